/* guest_text: the sentence an agenda says about a sub-item's guests ("Chef for Borgerservice
 * Tonny Olsen deltager under behandlingen af punktet."), as the reference cases write it. The
 * exports carry guests only in the sub-item's text (the readers find them there again), so the
 * editor keeps the guests as fields and writes the sentence into the text when it saves. */
#ifndef REFERAT_GUEST_TEXT_H
#define REFERAT_GUEST_TEXT_H

#include <stddef.h>

struct buf;
struct guest;

/* "Role Name, role Name og role Name deltager under behandlingen af punktet." (a role after
 * the first starts in lower case unless it is an abbreviation such as "IT-chef"); nothing for
 * n == 0. */
void guest_text_sentence(struct buf *b, const struct guest *g, size_t n);
/* text with the sentence for the guests of g it does not name already (a guest whose name is
 * in the text is one the writer wrote about in their own words: "Jurist Maria Drejer Petersen
 * deltager under drøftelsen.") added at the end of its last paragraph (a new heap string; text
 * may be NULL; NULL when both are empty). */
char *guest_text_add(const char *text, const struct guest *g, size_t n);
/* text without the sentence guest_text_add added, as the editor shows it (a new heap string,
 * NULL when nothing is left); text unchanged when it does not end with one. */
char *guest_text_strip(const char *text, const struct guest *g, size_t n);

#endif
