/* library_file: the file a municipality brings its body library in (docs/library.md):
 * {"format": "referat-library/1", "body": "DIR", "texts": [...], "templates": [...],
 *  "recurring": [...]}, read into model items with their positions, and written back. */
#ifndef REFERAT_LIBRARY_FILE_H
#define REFERAT_LIBRARY_FILE_H

#include <stddef.h>

#include "../model/library.h"

#define LIBRARY_FILE_FORMAT "referat-library/1"

struct library_file {
    struct library_item *v; /* in the file's order: texts, templates, recurring items */
    size_t n;
    const char *body; /* the file's "body" (a code), or NULL */
    /* private: where each item is in the file, and what the strings point into */
    size_t *where; /* v[i]'s index within its kind's list */
    void *doc;     /* the parsed document */
    char **owned;  /* joined paragraphs, sections as JSON */
    size_t nowned;
    const char *src; /* the bytes (borrowed) */
    size_t len;
};

/* Parses bytes[0..len) (borrowed until library_file_fini). ERR_SYNTAX with e's line and
 * column (characters) for text that is not JSON or not of the format's shape: an unknown or
 * missing "format", unknown keys, wrong types, an item without a name. A text may be a string
 * or an array of strings (its paragraphs). The items' content is checked by
 * library_item_check (and the store's import). Never quotes a value in a message. */
int library_file_parse(const char *bytes, size_t len, struct library_file *out, struct err *e);
/* Where item i's field (a library_problems field: "name", "text", "sections[2].help") is:
 * 1-based line and column in characters; the item itself when the field is absent. */
void library_file_locate(const struct library_file *f, size_t i, const char *field, unsigned *line,
                         unsigned *col);
void library_file_fini(struct library_file *f);

/* The file of a body's items v[0..n) (kinds in any order), a heap string ending in "\n".
 * Texts of several paragraphs are written as arrays of them. */
char *library_file_write(const char *body_code, const struct library_item *v, size_t n);

#endif
