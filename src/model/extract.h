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

#endif
