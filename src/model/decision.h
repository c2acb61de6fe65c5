/* decision: what the minute-taker's decision page is built from (issue 9): one entry per
 * sub-item prefilled from the agenda, the follow-ups the extraction suggests for an entry's
 * text, the body's standard phrases, and whether a decision says the case is treated again.
 * Pure functions on the case model; the words are data (words.inc, the decisions block). No
 * I/O. */
#ifndef REFERAT_DECISION_H
#define REFERAT_DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

/* Adds to c a decision of body on date (ISO), its opening text the agenda's intro in the past
 * tense ("Direktionen har følgende øvrige punkter til behandling:" -> "... havde ..."), with
 * one entry per sub-item: the sub-item's
 * title as the entry's title, subitem its 1-based number, and as text the guests' sentences
 * of the agenda in the past tense ("Jurist Maria Drejer Petersen deltager under drøftelsen."
 * -> "... deltog under drøftelsen."), NULL when the sub-item has no guests. A case without
 * sub-items gets one entry with the case's title (subitem 0). Nothing else is guessed: the
 * decision itself is the minute-taker's. Returns the new decision (owned by c). */
struct decision *decision_prefill(struct case_doc *c, const char *body, const char *date);

/* The guests' sentences of a sub-item in the past tense (a heap string), or NULL when it has
 * no guests. A guest the agenda's text does not mention gets the standard sentence. */
char *decision_guest_text(const struct subitem *s);

/* The follow-ups the extraction (extract.h) reads from text as the decision entry for
 * sub-item `subitem` (1-based, 0: none) of case c decided on date: owner, role, the sentence
 * and its due date. *out is the caller's (decision_followups_free); returns the count. */
size_t decision_suggest(const struct case_doc *c, size_t subitem, const char *text,
                        const char *date, struct followup **out);
/* The dates of an entry's text (the extraction's rule, resolved against date), as the readers
 * of the exports find them. *out is the caller's; returns the count. */
size_t decision_entry_dates(const char *text, const char *date, struct dateref **out);
void decision_followup_fini(struct followup *f);
void decision_followups_free(struct followup *v, size_t n);
/* A deep copy of f into *dst. */
void decision_followup_copy(struct followup *dst, const struct followup *src);

/* text with phrase appended as its own sentence ("Oplægget blev drøftet. Godkendt."), a heap
 * string; a phrase without a final stop gets one. */
char *decision_append_phrase(const char *text, const char *phrase);

/* The phrases of the body setting decision.phrases ("Godkendt|Drøftet|Taget til
 * efterretning"): blank pieces dropped, each trimmed. *out is the caller's
 * (decision_phrases_free). */
size_t decision_phrases(const char *setting, char ***out);
void decision_phrases_free(char **v, size_t n);

/* True when text says the case comes back ("behandles igen på et kommende møde", "genoptages
 * på et senere møde", ...; the phrases in words.inc), ASCII case folded. */
bool decision_treated_again(const char *text);

#endif
