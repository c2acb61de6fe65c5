/* guard: what may never be published, found in what the public would read of a case: CPR
 * numbers (CPR-loven § 54, stk. 3) and a case template's help text (shown while writing,
 * never published). The shapes of a CPR number and the century rule are tables in guard.c.
 * No I/O. */
#ifndef REFERAT_GUARD_H
#define REFERAT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

/* What a check found, and where: the field in Danish ("Sagsfremstilling", "Punkt 2, tekst",
 * "Bilag 3, titel") and the 1-based line and column (in characters) in that field's text.
 * Never the text itself: it is what must not be shown. */
struct guard_hit {
    const char *rule; /* "et CPR-nummer", "skabelonens hjælpetekst", "en tom beslutning",
                         "en henvisning til et lukket bilag" (static) */
    char field[96];
    unsigned line, col;
};

/* The first CPR number in text[0..n): six digits that are a date that exists (day, month,
 * two-digit year, the century told by the seventh digit as the CPR office assigns it), then
 * four digits, written DDMMYY-NNNN or DDMMYYNNNN, with no digit right before or after (a
 * longer run of digits is another number). Returns true with the match at text[*off ..
 * *off + *len). */
bool guard_cpr_find(const char *text, size_t n, size_t *off, size_t *len);

/* Checks every text of pub, which must be the public view of a case (case_view(c,
 * AUDIENCE_PUBLIC): exactly what would be published, a closed case's public title and text
 * only), for a CPR number and for each of the nhelp help texts by the library's rule
 * (library_holds_help: any line of a help text of LIBRARY_HELP_MIN characters or more, white
 * space compared loosely). Returns true and fills *hit
 * at the first problem, in the order the case reads. */
bool guard_case(const struct case_doc *pub, const char *const *help, size_t nhelp,
                struct guard_hit *hit);

/* ---- issue 9, publication: every problem at once, for publishing the minutes ---- */
/* What the publish guard checks besides the texts of pub. */
struct guard_scope {
    const char *const *help; /* the body's template help texts */
    size_t nhelp;
    /* The case in full (staff view), whose closed bilag (title of GUARD_MIN_TITLE characters
     * or more, journal or document number with 4 digits or more) must not be quoted in open
     * text: a title, public text, presentation, sub-item, Indstilling or decision. NULL: not
     * checked. */
    const struct case_doc *full;
    /* The minutes are published: an open case needs a decision that says something (none,
     * one without text or entries, or an entry without text is "en tom beslutning"). */
    bool minutes;
};
/* Every problem in pub (the public view that would be published), in the order the case
 * reads: CPR numbers, help text, closed bilag quoted, empty decisions. Fills at most max hits
 * and returns how many there are (which may be more than max). */
size_t guard_case_all(const struct case_doc *pub, const struct guard_scope *g,
                      struct guard_hit *hits, size_t max);
/* ---- end issue 9, publication ---- */

#endif
