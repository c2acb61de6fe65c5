/* jsonpos: where a value sits in JSON text. jansson keeps no positions for the values it
 * returns, so an error found after parsing is located by walking the (valid) text again along
 * the value's path. */
#ifndef REFERAT_JSONPOS_H
#define REFERAT_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct buf;

/* One step of a path: an object's key, or an array's index when key is NULL. */
struct jsonpos_step {
    const char *key;
    size_t index;
};

/* The byte offset in p[0..n) (valid JSON) of the value the first depth steps of path lead
 * to, or of the last step's key when at_key. A step that cannot be followed stops the walk
 * at the value it could not enter. */
size_t jsonpos_locate(const char *p, size_t n, const struct jsonpos_step *path, size_t depth,
                      bool at_key);
/* The path as "$.items[2].name" into b. */
void jsonpos_put_path(struct buf *b, const struct jsonpos_step *path, size_t depth);

/* Whether an object key may be repeated in a message: a schema word (1..32 of a-z A-Z 0-9 _
 * -); anything else might be text, closed text included. */
bool jsonpos_key_printable(const char *key);
/* jansson's parse error as e (ERR_SYNTAX at its line and column, which count characters),
 * without the " near '<token>'" it ends in: the token can be closed text. */
struct err;
void jsonpos_syntax_error(const json_error_t *je, struct err *e);

#endif
