/* mtext: a document's text as lines with hints, what every meeting reader hands the meeting
 * grammar (meeting.c). */
#ifndef REFERAT_MTEXT_H
#define REFERAT_MTEXT_H

#include "../util/buf.h"

#include <stddef.h>

enum {
    ML_HEADING = 1 << 0, /* the source marks it as a heading (<h2>, a bold short PDF line) */
    ML_CELLS = 1 << 1,   /* a table row: its cells joined by a tab */
};

struct mline {
    size_t off, len;  /* in mtext.text */
    unsigned line;    /* where it is in the source: a line number (1-based), 0 unknown */
    unsigned page;    /* PDF: the page (1-based); 0 otherwise */
    unsigned flags;
};

struct mtext {
    struct buf text;
    struct mline *v;
    size_t n, cap;
    unsigned pages;    /* PDF: pages read */
    unsigned declared; /* PDF: the page count its footers state ("Side 3 af 7"), 0 unknown */
};

/* Appends one line (p[0..n) need not be NUL-free of blanks; it is copied). */
void mtext_add(struct mtext *t, const char *p, size_t n, unsigned line, unsigned page,
               unsigned flags);
void mtext_fini(struct mtext *t);
/* The text of line i (NUL-terminated in the buffer). */
const char *mtext_at(const struct mtext *t, size_t i);

/* The grammar: t's lines into a meeting document (format.h, fmt_read_meeting). */
struct meeting_doc;
struct err;
struct warnings;
int meeting_parse(const struct mtext *t, int flags, struct meeting_doc **out, struct err *e,
                  struct warnings *w);

#endif
