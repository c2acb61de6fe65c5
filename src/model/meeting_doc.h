/* meeting_doc: one whole-meeting document as read: the meeting (header, attendance) and one
 * case per agenda item. No I/O. */
#ifndef REFERAT_MEETING_DOC_H
#define REFERAT_MEETING_DOC_H

#include "case.h"
#include "meeting.h"

#include <stddef.h>

/* Ownership as in case.h: every char * is a heap string owned by the struct that holds it,
 * or NULL; each item owns its case. meeting_doc_free() releases everything. */

/* One item of the agenda: its number as the document writes it and the case it holds. */
struct meeting_item {
    char *number;  /* "131", "523", or NULL for an unnumbered item */
    char *kind;    /* the type suffix of the title ("B", "O"), or NULL */
    unsigned line; /* where the item starts in the document (1-based; 0 unknown) */
    struct case_doc *c;
};

struct meeting_doc {
    /* body_code is left NULL by the readers: the archive gives the body its code. The
     * agenda (cases) is empty: the items below are the agenda. Attendees: name, status,
     * substitute; remark holds the party letters written after the name ("A", "SF"). */
    struct meeting *meeting;
    char *body;  /* the body as the document names it: "Økonomiudvalget" */
    char *kind;  /* "Referat", "Dagsorden", "Beslutningsprotokol" as written, or NULL */
    char *notes; /* meeting-level text outside the items (a note on guests), or NULL */
    struct meeting_item *items;
    size_t nitems;
};

struct meeting_doc *meeting_doc_new(void);
void meeting_doc_free(struct meeting_doc *d); /* NULL does nothing */
/* Appends a zeroed item owned by d, with a fresh empty case. */
struct meeting_item *meeting_doc_add_item(struct meeting_doc *d);
/* The item numbered number (as written), or NULL. */
struct meeting_item *meeting_doc_item(struct meeting_doc *d, const char *number);

#endif
