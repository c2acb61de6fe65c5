/* html: HTML output helpers shared by the HTML writer and the web portal. */
#ifndef REFERAT_HTML_H
#define REFERAT_HTML_H

#include <stddef.h>

#include "../model/case.h"
#include "../util/buf.h"

/* Every helper below accepts any bytes: a NULL string writes nothing, and what HTML must not
 * carry (invalid UTF-8, control characters other than tab, LF and CR, noncharacters) is
 * written as U+FFFD, so the page stays valid whatever the model holds. Nothing from the
 * string is ever written unescaped. */

/* s as element content / as the value of a double-quoted attribute. */
void html_text(struct buf *b, const char *s);
void html_attr(struct buf *b, const char *s);
void html_textn(struct buf *b, const char *s, size_t len);
void html_attrn(struct buf *b, const char *s, size_t len);

/* Element content in which http://, https:// and mailto: URLs become links. No other scheme
 * is ever linked, and line breaks are kept as they are (see html_paragraphs). */
void html_autolink(struct buf *b, const char *s, size_t len);

/* Multi-paragraph text (paragraphs separated by "\n\n", as in the model) as one
 * <p class="cls"> per non-blank paragraph, with autolinks; a single "\n" inside a paragraph
 * becomes <br>. cls may be NULL. */
void html_paragraphs(struct buf *b, const char *s, const char *cls);

/* An ISO date ("2023-12-20") in Danish form: <time datetime="2023-12-20">20-12-2023</time>.
 * Anything that is not a valid ISO date is written as escaped text, as it is. */
void html_date(struct buf *b, const char *iso);

/* The page up to and including <body>: doctype, lang="da", charset, viewport, the title and,
 * when css is not NULL, an embedded stylesheet (trusted, written as it is). */
void html_page_begin(struct buf *b, const char *title, const char *css);
void html_page_end(struct buf *b);

/* Defined in write_html.c: the <main> element of a case page, for pages that put a case
 * inside their own layout. With FMT_PUBLIC in flags, c must be a public view (case_view). */
void html_case(struct buf *b, const struct case_doc *c, int flags);

#endif
