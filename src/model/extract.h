/* extract: what can be read out of a case's text: guests, follow-ups and dates. No I/O. */
#ifndef REFERAT_EXTRACT_H
#define REFERAT_EXTRACT_H

#include "../util/err.h"
#include "case.h"

/* Fill every sub-item's guests and every decision entry's followups and dates from the text
 * of the case, replacing what was there. Dates are resolved against the decision's date. */
void extract_case(struct case_doc *c, struct warnings *w);

#endif
