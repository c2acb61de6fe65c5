/* csv: fields of RFC 4180 CSV into a buffer (issue 10: the verdensmål report and the control
 * list share it). Rows end with CRLF; the text is written as it is (UTF-8). */
#ifndef REFERAT_CSV_H
#define REFERAT_CSV_H

#include "buf.h"

/* s (NULL: empty) as one field: quoted when it holds a comma, a quote or a line break, with
 * its quotes doubled; text a spreadsheet would run as a formula (=, +, @, a - before no
 * digit) starts with an apostrophe. */
void csv_field(struct buf *b, const char *s);
/* The separator before every field but a row's first. */
void csv_sep(struct buf *b);
void csv_row_end(struct buf *b);

#endif
