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
/* The canonical rendering (no layout applied: fmt_write does that). The three sections the
 * exports always have are written even when empty, so that the rendering reads back; only the
 * public view of a closed case (flags has FMT_PUBLIC) is its title and status alone. */
void minutes_write(enum minutes_dialect d, const struct case_doc *c, int flags, struct buf *out);
/* What the exports cannot carry (docs/formats.md). Each check returns NULL when the value can
 * be written in both dialects and read back, or else the message to report ("expected ..."),
 * which never quotes the value. The md and txt readers refuse with these what the other
 * dialect could not carry, and the JSON reader refuses the same, so every reader accepts the
 * same models and every writer can write them. */
enum minutes_field {
    MINUTES_TITLE,        /* the case title */
    MINUTES_CODE,         /* one body code of Sagsgang */
    MINUTES_TIME,         /* a sub-item's time */
    MINUTES_BODY,         /* a decision's body */
    MINUTES_LINE,         /* a decision entry's title */
    MINUTES_CELL,         /* an attachment's title, journal or flag */
    MINUTES_DOCUMENT,     /* an attachment's document number */
    MINUTES_TEXT,         /* paragraphs: the recommendation */
    MINUTES_TEXT_HEAD,    /* paragraphs before the table: presentation and intro */
    MINUTES_TEXT_DECISION, /* paragraphs in a decision: its text and its entries' */
    MINUTES_REASON /* issue 9, minutes: a tillæg's reason, one paragraph */
};
const char *minutes_check(enum minutes_field f, const char *s);
/* The Sagsgang line as the writers join the codes. */
const char *minutes_check_route(char *const *codes, size_t n);
/* A table cell: the text export writes title and text on one line, which must not be blank. */
const char *minutes_check_cell(const char *title, const char *text);

/* How much p[0..n) looks like this dialect, 0..100. */
int minutes_sniff(enum minutes_dialect d, const char *p, size_t n);

#endif
