/* extract: what can be read out of a case's text: guests, follow-ups and dates. No I/O. */
#ifndef REFERAT_EXTRACT_H
#define REFERAT_EXTRACT_H

#include "../util/err.h"
#include "case.h"

/* Fill every sub-item's guests and every decision entry's followups and dates from the text
 * of the case, replacing what was there (so a second call changes nothing). Dates are
 * resolved against the decision's date. Guests come from a sub-item's title and text and from
 * the entries whose subitem points at it. The rules are in docs/extraction.md. c and w may be
 * NULL; w collects warnings (a decision without an ISO date, a guest in an entry that matches
 * no sub-item), which never quote the case's text. */
void extract_case(struct case_doc *c, struct warnings *w);

/* A guest named in free text (a meeting's note), with the agenda item its sentence points at
 * ("deltog i forbindelse med behandlingen af pkt. 13": "13"), or NULL when it names none. */
struct extract_guest {
    char *name;
    char *role;
    char *item;
};
/* The guests of text in order of mention; *out is the caller's (extract_guests_free). */
size_t extract_guests(const char *text, struct extract_guest **out);
void extract_guests_free(struct extract_guest *v, size_t n);

#endif
