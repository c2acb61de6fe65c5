/* utf8: validation with a position, and character counting for column numbers. */
#ifndef REFERAT_UTF8_H
#define REFERAT_UTF8_H

#include <stddef.h>

struct buf;

/* Returns the byte offset of the first invalid sequence or NUL byte, or n when p[0..n) is
 * valid UTF-8 without NUL. */
size_t utf8_invalid_at(const char *p, size_t n);
/* The number of characters (code points) in valid UTF-8 p[0..n). */
size_t utf8_chars(const char *p, size_t n);
/* 1-based line and column (in characters) of byte offset off in p. */
void utf8_position(const char *p, size_t off, unsigned *line, unsigned *col);

/* p[0..n) into b with each byte that is not valid UTF-8 (and each NUL) as U+FFFD: how a
 * writer that cannot fail keeps text that broke the model's promise. */
void utf8_put_repaired(struct buf *b, const char *p, size_t n);

#endif
