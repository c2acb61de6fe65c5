/* file: whole-file reading and atomic writing. */
#ifndef REFERAT_FILE_H
#define REFERAT_FILE_H

#include "buf.h"
#include "err.h"

/* Append the whole of path ("-" is standard input) to out. Returns 0 or ERR_IO with e set. */
int file_read(const char *path, struct buf *out, struct err *e);
/* Write p[0..n) to path through a temporary file and rename, so readers never see half a
 * file. "-" writes to standard output. Returns 0 or ERR_IO with e set. */
int file_write(const char *path, const char *p, size_t n, struct err *e);

#endif
