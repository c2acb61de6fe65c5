/* minutes: the grammar shared by the Markdown and plain-text exports of published minutes.
 *
 * Both exports carry the same sections in the same order (title, Åben/Lukket Sag, Sagsgang,
 * Sagsfremstilling with its Tid/Punkt table, Indstilling, Beslutning i <organ> den DD-MM-YYYY,
 * Bilag:); they differ only in markup. One parser and one writer serve both, told the dialect. */
#ifndef REFERAT_MINUTES_H
#define REFERAT_MINUTES_H

#include "format.h"

enum minutes_dialect { MINUTES_MD, MINUTES_TXT };

int minutes_parse(enum minutes_dialect d, const char *p, size_t n, int flags,
                  struct case_doc **out, struct err *e, struct warnings *w);
/* The canonical rendering (no layout applied: fmt_write does that). */
void minutes_write(enum minutes_dialect d, const struct case_doc *c, struct buf *out);
/* How much p[0..n) looks like this dialect, 0..100. */
int minutes_sniff(enum minutes_dialect d, const char *p, size_t n);

#endif
