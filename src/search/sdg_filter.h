/* sdg_filter: the search's verdensmål filter, `verdensmål:13` in the query (issue 10, sdg;
 * docs/sdg.md). Called from query.c's search_query in its marked blocks. */
#ifndef REFERAT_SEARCH_SDG_FILTER_H
#define REFERAT_SEARCH_SDG_FILTER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/err.h"

/* Takes the words `verdensmål:N` (also `verdensmaal:N`, any case) out of query q: *goal is N
 * (0 when there is none) and *rest a new string with the other words (caller frees; NULL when
 * there was no filter, so q is used as it is). One such word at most, N from 1 to 17: else
 * ERR_USAGE naming the field. */
int search_sdg_strip(const char *q, unsigned *goal, char **rest, struct err *e);

/* Whether case_id carries goal (on itself or a sub-item) for a row of the public index (only
 * an open case's goals count there: a closed case is its title to the public) or of the
 * closed index (closed_index). *st is a statement kept by the caller between calls (finalize
 * it after). */
int search_sdg_check(sqlite3 *db, sqlite3_stmt **st, int64_t case_id, unsigned goal,
                     bool closed_index, bool *ok, struct err *e);

#endif
