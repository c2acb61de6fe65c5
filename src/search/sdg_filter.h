/* sdg_filter: the search's verdensmål filter, `verdensmål:13` in the query, and the goals'
 * markers in the index (issue 10, sdg; docs/sdg.md). Called from query.c's search_query and
 * index.c's search_index_case in marked lines. */
#ifndef REFERAT_SEARCH_SDG_FILTER_H
#define REFERAT_SEARCH_SDG_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/err.h"

/* Takes the words `verdensmål:N` (also `verdensmaal:N`, any case) out of query q: *goal is N
 * (0 when there is none) and *rest a new string with the other words (caller frees; NULL when
 * there was no filter, so q is used as it is). One such word at most, N from 1 to 17: else
 * ERR_USAGE naming the field. */
int search_sdg_strip(const char *q, unsigned *goal, char **rest, struct err *e);

/* The index's marker of goal g is SEARCH_META 'g' and its number ("\x02g13"): every row of a
 * case carries the goals of the case and of all its sub-items, in each index as that index
 * holds the case (the public index its public view: a closed case has none there). */
#define SEARCH_SDG_MARKER 'g'
struct case_doc;
struct buf;
/* The goals of c and its sub-items together. */
uint32_t search_sdg_goals(const struct case_doc *c);
/* Appends the markers of c's goals, except those in skip, to meta (space-separated). */
void search_sdg_markers(const struct case_doc *c, uint32_t skip, struct buf *meta);

#endif
