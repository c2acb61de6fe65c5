/* library: a body's library (standard texts, case templates, recurring items) as plain values:
 * the rules an item must keep, a template applied to a new case, standard texts inserted into
 * paragraphs, and help text found in a text. No I/O; the store keeps the items (store.h). */
#ifndef REFERAT_LIBRARY_H
#define REFERAT_LIBRARY_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

struct err;

enum {
    LIBRARY_MAX = 200,          /* items of one kind in one body */
    LIBRARY_NAME_MAX = 200,     /* characters of a name (one line) */
    LIBRARY_TEXT_MAX = 65536,   /* bytes of a text, a section's text or its help */
    LIBRARY_SECTIONS_MAX = 40,  /* sections of a template */
    LIBRARY_DURATION_MAX = 600, /* minutes of a recurring item (from 1) */
    LIBRARY_HELP_MIN = 10,      /* characters: shorter lines of help are not looked for */
};

/* The kinds, as the database, the file and the pages spell them ("text", "template",
 * "recurring"), in the order the pages list them, with their Danish labels. */
extern const char *const library_kinds[3];
const char *library_kind_label(const char *kind); /* "Standardtekster"; NULL: unknown */
bool library_kind_valid(const char *kind);

/* One item's content. Borrowed strings; NULL or "" where empty.
 * - "text": a standard text: name and text (paragraphs separated by a blank line);
 * - "template": a case template: text is the case's default title (or NULL), sections a JSON
 *   array [{"name", "field": "presentation"|"intro"|"recommendation"|null, "text", "help"}];
 * - "recurring": an item every new meeting gets: name its title, text its presentation,
 *   duration its minutes, public Åben (true) or Lukket. */
struct library_item {
    const char *kind, *name, *text, *sections;
    int duration;
    bool public;
};

/* A template's section. field: where its text goes in a case: "presentation"
 * (Sagsfremstilling), "intro" (the paragraph before the time plan), "recommendation"
 * (Indstilling), or NULL: a section of its own under its name (case_doc.sections). Help is
 * shown while writing, never copied into a case. Owned heap strings, NULL where empty. */
struct library_section {
    char *name, *field, *text, *help;
};
/* The fields a section may fill, with their Danish labels. */
extern const char *const library_fields[3];
const char *library_field_label(const char *field); /* NULL: unknown */

/* Sections from their JSON: ERR_SYNTAX (the message names the place, "section 3: ...", never
 * a value) when it is not an array of objects with a string "name" and string-or-null
 * "field", "text", "help" and nothing else. Field names are not checked here
 * (library_item_check does). *v (NULL for none) is the caller's. */
int library_sections_parse(const char *json, struct library_section **v, size_t *n, struct err *e);
/* The JSON of sections, keys in the order above, empty strings as null (a heap string). */
char *library_sections_json(const struct library_section *v, size_t n);
void library_sections_free(struct library_section *v, size_t n);

/* What is wrong with an item, field by field. field is "name", "text", "duration",
 * "sections", or "sections[I].name" (.field, .text, .help; I from 0); message is English
 * (the CLI's), danish the same for the pages. Past LIBRARY_PROBLEMS_MAX only n grows. */
enum { LIBRARY_PROBLEMS_MAX = 16 };
struct library_problems {
    struct {
        char field[40];
        char message[200];
        char danish[240];
    } v[LIBRARY_PROBLEMS_MAX];
    size_t n;
};
void library_problem(struct library_problems *pr, const char *field, const char *danish,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Checks an item's content: a known kind; a name of 1..LIBRARY_NAME_MAX characters on one
 * line; a standard text's text; a template's 1..LIBRARY_SECTIONS_MAX sections that parse,
 * with distinct non-empty names and known fields, each field once; a recurring item's
 * duration of 1..LIBRARY_DURATION_MAX; every text valid UTF-8 without control characters
 * (tab and line ends allowed) of at most LIBRARY_TEXT_MAX bytes. Returns the number of
 * problems added to *pr. */
size_t library_item_check(const struct library_item *it, struct library_problems *pr);
/* A text as stored: "\r\n" as "\n", no white space at the end of lines or of the text, no
 * more than one blank line in a row; NULL for a text that is then empty. A heap string. */
char *library_text_norm(const char *text);

/* Applies a template (its default title and its sections' JSON) to a case being created:
 * the title when the case has none, each section's prefilled text in its field (after what
 * the field holds, as a new paragraph) or as a section of its own under its name. Help text
 * is never copied. ERR_SYNTAX for sections that do not parse; c is then unchanged. */
int library_template_apply(const char *title, const char *sections, struct case_doc *c,
                           struct err *e);
/* The help text a template gives for one place of the case: a field ("presentation",
 * "intro", "recommendation") or the name of a section of its own. *help is a heap string,
 * NULL when the template has none there. ERR_SYNTAX for sections that do not parse. */
int library_template_help(const char *sections, const char *where, char **help, struct err *e);

/* Inserts a standard text into paragraphs (a heap string with paragraphs separated by "\n\n",
 * *paragraphs may be NULL) before paragraph `at` (0-based; at or past the end: at the end).
 * ERR_USAGE for a text that is empty. *paragraphs is replaced by a new heap string. */
int library_text_insert(char **paragraphs, size_t at, const char *text, struct err *e);

/* Where a text holds help text: the earliest place in text where a line of any of help[0..n)
 * occurs. White space need not match exactly (any run of spaces, tabs and line ends is one
 * space); lines shorter than LIBRARY_HELP_MIN characters are not looked for, they occur in
 * ordinary prose. */
struct library_help_hit {
    size_t help;        /* which: help[help] */
    unsigned line, col; /* 1-based, col in characters */
    size_t offset, len; /* the bytes of text it covers */
};
bool library_holds_help(const char *text, const char *const *help, size_t n,
                        struct library_help_hit *hit);

#endif
