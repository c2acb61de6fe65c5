/* html: HTML output helpers (safe text, autolinks, paragraphs, dates, page frame). */
#include "html.h"
#include "../util/date.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* How many bytes at p form one character HTML may carry; 0 when they must be replaced, and
 * then *bad is how many bytes the replacement covers (the maximal ill-formed prefix, so one
 * broken sequence gives one U+FFFD, as browsers do). */
static size_t char_ok(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned char c = p[0];
    *bad = 1;
    if (c < 0x80)
        return (c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED) /* surrogates */
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi) {
            *bad = i;
            return 0;
        }
        cp = cp << 6 | (p[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *bad = need + 1;
    /* C1 controls and noncharacters are parse errors in HTML. */
    if (cp <= 0x9F || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE)
        return 0;
    return need + 1;
}

/* Runs of acceptable characters go to the escaper in one call; the rest become U+FFFD. */
static void safe(struct buf *b, const char *s, size_t len, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = 0, i = 0;
    while (i < len) {
        size_t bad, k = char_ok(p + i, len - i, &bad);
        if (k) {
            i += k;
            continue;
        }
        if (attr)
            buf_html_attr(b, s + start, i - start);
        else
            buf_html_text(b, s + start, i - start);
        buf_puts(b, replacement);
        i += bad;
        start = i;
    }
    if (attr)
        buf_html_attr(b, s + start, len - start);
    else
        buf_html_text(b, s + start, len - start);
}

void html_textn(struct buf *b, const char *s, size_t len)
{
    if (s)
        safe(b, s, len, false);
}

void html_attrn(struct buf *b, const char *s, size_t len)
{
    if (s)
        safe(b, s, len, true);
}

void html_text(struct buf *b, const char *s)
{
    if (s)
        safe(b, s, strlen(s), false);
}

void html_attr(struct buf *b, const char *s)
{
    if (s)
        safe(b, s, strlen(s), true);
}

/* --- autolinks ---------------------------------------------------------------------------- */

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The scheme (lower case) that starts s, or NULL. */
static const char *scheme_at(const char *s, size_t n)
{
    static const char *const schemes[] = {"https://", "http://", "mailto:"};
    for (size_t k = 0; k < sizeof schemes / sizeof *schemes; k++) {
        size_t m = strlen(schemes[k]);
        if (n >= m && strncasecmp(s, schemes[k], m) == 0)
            return schemes[k];
    }
    return NULL;
}

/* Bytes that end a URL in running text. Non-ASCII letters stay inside (Danish paths), but a
 * no-break space (C2 A0) ends it like a space. */
static bool url_stop(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '`')
        return true;
    return c == 0xC2 && n > 1 && p[1] == 0xA0;
}

/* Punctuation that ends a sentence rather than a URL when it comes last. */
static bool trailing(char c)
{
    return c && strchr(".,;:!?'*)]", c);
}

/* Where the URL starting at s[from] ends inside the run s[..re): trailing punctuation goes,
 * and so does a closing bracket the URL did not open: "(se https://x.dk/a_(b))." links
 * https://x.dk/a_(b). The brackets are counted once, so this is linear in the run. */
static size_t url_end(const char *s, size_t from, size_t re)
{
    size_t open_p = 0, close_p = 0, open_b = 0, close_b = 0;
    for (size_t j = from; j < re; j++) {
        open_p += s[j] == '(';
        close_p += s[j] == ')';
        open_b += s[j] == '[';
        close_b += s[j] == ']';
    }
    size_t end = re;
    while (end > from && trailing(s[end - 1])) {
        char c = s[end - 1];
        if (c == ')' && close_p-- <= open_p)
            break;
        if (c == ']' && close_b-- <= open_b)
            break;
        end--;
    }
    return end;
}

static void link(struct buf *b, const char *s, size_t n)
{
    buf_puts(b, "<a href=\"");
    html_attrn(b, s, n);
    buf_puts(b, "\">");
    html_textn(b, s, n);
    buf_puts(b, "</a>");
}

/* Runs of non-stop bytes are the only places a URL can be. Each candidate is accepted or
 * rejected in constant time (the search for "@" only moves forward), and an accepted one
 * takes the rest of its run, so the whole text is scanned in linear time. */
void html_autolink(struct buf *b, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t done = 0, i = 0;
    if (!s)
        return;
    while (i < len) {
        if (url_stop(p + i, len - i)) {
            i++;
            continue;
        }
        size_t rs = i, re = i, solid = i; /* solid: just past the last non-trailing byte */
        while (re < len && !url_stop(p + re, len - re)) {
            if (!trailing(s[re]))
                solid = re + 1;
            re++;
        }
        size_t at = rs; /* the next "@" at or after some point already searched */
        for (size_t k = rs; k < re; k++) {
            /* A scheme glued to a word ("xhttps://") is part of that word. */
            if (k > 0 && is_alnum(p[k - 1]))
                continue;
            const char *sch = scheme_at(s + k, re - k);
            if (!sch)
                continue;
            size_t body = k + strlen(sch);
            bool ok;
            if (sch[0] == 'm') {
                if (at < body) {
                    at = body;
                    while (at < re && s[at] != '@')
                        at++;
                }
                /* Something before the "@" and something solid after it. */
                ok = at > body && at + 1 < solid;
            } else {
                /* "https://" alone, "https:///x" and "http://." link nothing. */
                ok = body < re && (is_alnum(p[body]) || p[body] >= 0x80 || p[body] == '[');
            }
            if (!ok)
                continue;
            size_t end = url_end(s, k, re);
            html_textn(b, s + done, k - done);
            link(b, s + k, end - k);
            done = end;
            break;
        }
        i = re;
    }
    html_textn(b, s + done, len - done);
}

/* --- paragraphs --------------------------------------------------------------------------- */

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static void paragraph(struct buf *b, const char *s, size_t n, const char *cls)
{
    /* Lines inside the paragraph: drop the newlines at its edges, then one <br> per break. */
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    while (n && s[0] == '\n') {
        s++;
        n--;
    }
    if (cls) {
        buf_puts(b, "<p class=\"");
        html_attr(b, cls);
        buf_puts(b, "\">");
    } else {
        buf_puts(b, "<p>");
    }
    const char *end = s + n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl) {
            html_autolink(b, s, (size_t)(end - s));
            break;
        }
        html_autolink(b, s, (size_t)(nl - s));
        buf_puts(b, "<br>\n");
        s = nl + 1;
    }
    buf_puts(b, "</p>\n");
}

/* The next "\n\n" in s[..end), or NULL. memchr rather than strstr: strstr may look at the
 * whole rest of the string on each call (sanitizers do), which is quadratic here. */
static const char *separator(const char *s, const char *end)
{
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl || nl + 1 == end)
            return NULL;
        if (nl[1] == '\n')
            return nl;
        s = nl + 2;
    }
    return NULL;
}

void html_paragraphs(struct buf *b, const char *s, const char *cls)
{
    if (!s)
        return;
    const char *end = s + strlen(s);
    while (s < end) {
        const char *sep = separator(s, end);
        const char *stop = sep ? sep : end;
        if (!blank(s, (size_t)(stop - s)))
            paragraph(b, s, (size_t)(stop - s), cls);
        s = sep ? sep + 2 : end;
    }
}

/* --- dates -------------------------------------------------------------------------------- */

void html_date(struct buf *b, const char *iso)
{
    if (!iso)
        return;
    int y, m, d;
    if (date_parse_iso(iso, &y, &m, &d) != 0) {
        html_text(b, iso);
        return;
    }
    buf_printf(b, "<time datetime=\"%04d-%02d-%02d\">%02d-%02d-%04d</time>", y, m, d, d, m, y);
}

/* --- page frame --------------------------------------------------------------------------- */

void html_page_begin(struct buf *b, const char *title, const char *css)
{
    buf_puts(b, "<!DOCTYPE html>\n"
                "<html lang=\"da\">\n"
                "<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(b, title);
    buf_puts(b, "</title>\n");
    if (css) {
        buf_puts(b, "<style>\n");
        buf_puts(b, css);
        buf_puts(b, "</style>\n");
    }
    buf_puts(b, "</head>\n<body>\n");
}

void html_page_end(struct buf *b)
{
    buf_puts(b, "</body>\n</html>\n");
}
