/* minutes: one parser and one canonical writer for the md and txt exports of minutes. */
#include "minutes.h"
#include "lines.h"
#include "../util/date.h"
#include "../util/utf8.h"

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlstring.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum part { SEC_NONE, SEC_ROUTE, SEC_PRESENTATION, SEC_RECOMMENDATION, SEC_DECISION,
               SEC_ATTACHMENTS,
               SEC_ADDITION /* issue 9, minutes: "Tillæg den DD-MM-YYYY" */ };

static const char *const section_names[] = {"", "Sagsgang", "Sagsfremstilling", "Indstilling",
                                            "Beslutning", "Bilag:",
                                            "Tillæg den DD-MM-YYYY" /* issue 9, minutes */};

/* Past this many title comparisons, sub-items and decision entries are matched by position
 * only, so that no input makes matching quadratic. */
enum { MATCH_BUDGET = 1000000 };

struct ctx {
    enum minutes_dialect d;
    const char *src;
    struct span *L;
    size_t nl;
    size_t i;
    int flags;
    struct err *e;
    struct warnings *w;
    struct case_doc *c;
    unsigned char *guessed; /* per sub-item: title and text ran together in the cell */
    size_t nguessed;
    struct buf scratch; /* where text is put together before one copy of its exact size */
};

/* --- small helpers ----------------------------------------------------------------------- */

static struct span rtrim(struct span s)
{
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
        s.n--;
    return s;
}

static int blank(struct span s)
{
    return rtrim(s).n == 0;
}

static int eq(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && memcmp(s.p, lit, n) == 0;
}

static int starts(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* Report a problem at byte offset off of line li. Strict: an error (returns -1). Lenient:
 * a warning, and the caller skips what it could not read (returns 0). */
static int fail(struct ctx *x, size_t li, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct ctx *x, size_t li, size_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = (unsigned)(li < x->nl ? li + 1 : x->nl);
    const struct span *l = &x->L[li < x->nl ? li : x->nl - 1];
    unsigned col = (unsigned)utf8_chars(l->p, off <= l->n ? off : l->n) + 1;
    if (x->flags & FMT_LENIENT) {
        warnings_add(x->w, line, col, "%s", msg);
        return 0;
    }
    err_set(x->e, ERR_SYNTAX, line, col, "%s", msg);
    return -1;
}

/* An error even in lenient mode: what no reading can go on without. Returns -1. */
static int fatal(struct ctx *x, size_t li, const char *msg)
{
    unsigned line = (unsigned)(li < x->nl ? li + 1 : x->nl);
    err_set(x->e, ERR_SYNTAX, line, 1, "%s", msg);
    return -1;
}

/* The text of a heading line, or a zero span when the line is no heading in this dialect.
 * md headings are "#"s and a space, the text optionally in **bold**. */
static struct span heading_text(enum minutes_dialect d, struct span l)
{
    l = rtrim(l);
    if (d == MINUTES_TXT)
        return l;
    size_t k = 0;
    while (k < l.n && k < 7 && l.p[k] == '#')
        k++;
    if (k == 0 || k > 6 || k >= l.n || l.p[k] != ' ')
        return (struct span){NULL, 0};
    struct span t = {l.p + k + 1, l.n - k - 1};
    while (t.n && t.p[0] == ' ')
        t.p++, t.n--;
    if (t.n >= 4 && starts(t, "**") && t.p[t.n - 1] == '*' && t.p[t.n - 2] == '*')
        t.p += 2, t.n -= 4;
    return t;
}

/* ---- issue 9, minutes: a tillæg's heading and its first paragraph ---- */
#define ADDITION_HEAD "Tillæg den "
#define ADDITION_REASON "Begrundelse: "
/* ---- end issue 9, minutes ---- */

static enum part classify(struct span t)
{
    if (!t.p)
        return SEC_NONE;
    if (eq(t, "Sagsgang"))
        return SEC_ROUTE;
    if (eq(t, "Sagsfremstilling"))
        return SEC_PRESENTATION;
    if (eq(t, "Indstilling"))
        return SEC_RECOMMENDATION;
    if (starts(t, "Beslutning i "))
        return SEC_DECISION;
    if (eq(t, "Bilag:") || eq(t, "Bilag"))
        return SEC_ATTACHMENTS;
    if (starts(t, ADDITION_HEAD) && t.n == strlen(ADDITION_HEAD) + 10) /* issue 9, minutes */
        return SEC_ADDITION;
    return SEC_NONE;
}

static enum part section_at(const struct ctx *x, size_t li)
{
    return li < x->nl ? classify(heading_text(x->d, x->L[li])) : SEC_NONE;
}

static int table_header(struct span l)
{
    return eq(rtrim(l), "Tid\tPunkt");
}

static int bullet(const struct ctx *x, size_t li)
{
    return li < x->nl && starts(x->L[li], "- ");
}

/* --- what the exports cannot carry ---------------------------------------------------------
 * Both dialects must read back whatever either of them reads (and JSON, which reads the same
 * models): a value that one dialect would write as a heading, a table header, a bullet, a
 * second line or a blank row is refused by every reader. */

static struct span str_span(const char *s)
{
    return (struct span){s, strlen(s)};
}

static int has_any(const char *s, const char *set)
{
    return s[strcspn(s, set)] != '\0';
}

static int blank_str(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* A line that either dialect reads as a section heading. */
static int heading_line(struct span l)
{
    return classify(heading_text(MINUTES_MD, l)) != SEC_NONE ||
           classify(heading_text(MINUTES_TXT, l)) != SEC_NONE;
}

/* One line of paragraph text as the model holds it. Only the text export can fail here: md
 * writes a backslash before a line that would read as markup. */
static const char *check_text_line(enum minutes_field f, struct span l)
{
    if (classify(heading_text(MINUTES_TXT, l)) != SEC_NONE)
        return "expected text, found a line the text export reads as a section heading";
    if (f == MINUTES_TEXT_HEAD && table_header(l))
        return "expected text, found a line that reads as the Tid/Punkt table header";
    if (f == MINUTES_TEXT_DECISION && starts(l, "- "))
        return "expected text, found a line the text export reads as a \"- \" bullet";
    return NULL;
}

static int digits(struct span s)
{
    if (!s.n)
        return 0;
    for (size_t k = 0; k < s.n; k++)
        if (s.p[k] < '0' || s.p[k] > '9')
            return 0;
    return 1;
}

const char *minutes_check(enum minutes_field f, const char *s)
{
    if (!s)
        return NULL;
    switch (f) {
    case MINUTES_TITLE:
        if (has_any(s, "\n"))
            return "expected a title on one line";
        if (blank_str(s))
            return "expected a title, found a blank one";
        /* md reads the title as written, txt without trailing blanks. */
        if (classify(str_span(s)) != SEC_NONE || classify(rtrim(str_span(s))) != SEC_NONE)
            return "expected a case title, found a section heading";
        return NULL;
    case MINUTES_CODE:
        return has_any(s, ",\n") ? "expected a body code without commas or line breaks" : NULL;
    case MINUTES_TIME: {
        if (has_any(s, "\t\n"))
            return "expected a time without tabs or line breaks";
        /* Whether the row "<time><TAB><cell>" reads as a heading depends on the time alone.
         * A time is short: the row is put together on the stack unless it is not. */
        char row[64];
        size_t n = strlen(s);
        struct buf b = BUF_INIT;
        struct span l = {row, n + 2};
        if (n + 2 < sizeof row) {
            memcpy(row, s, n);
            memcpy(row + n, "\tx", 2);
        } else {
            buf_puts(&b, s);
            buf_puts(&b, "\tx");
            l = (struct span){b.ptr, b.len};
        }
        int h = heading_line(l);
        buf_free(&b);
        return h ? "expected a time, found the start of a section heading" : NULL;
    }
    case MINUTES_BODY:
        if (!*s)
            return "expected the name of a body";
        return has_any(s, "\n") ? "expected the name of a body on one line" : NULL;
    case MINUTES_LINE:
        return has_any(s, "\n") ? "expected a title on one line" : NULL;
    case MINUTES_CELL:
        return has_any(s, "\t\n") ? "expected a value without tabs or line breaks" : NULL;
    case MINUTES_DOCUMENT:
        return digits(str_span(s)) ? NULL : "expected a document number of digits";
    case MINUTES_REASON: /* issue 9, minutes: one paragraph after "Begrundelse: " */
        if (blank_str(s))
            return "expected a reason, found a blank one";
        if (s[0] == ' ' || s[0] == '\n')
            return "expected a reason of one paragraph";
        /* a blank line (white space only) would end the paragraph */
        for (const char *p = s; *p;) {
            size_t n = strcspn(p, "\n");
            if (!rtrim((struct span){p, n}).n)
                return "expected a reason of one paragraph";
            p += n + (p[n] == '\n');
            if (p[-1] == '\n' && !*p)
                return "expected a reason of one paragraph";
        }
        /* Its lines after the first are text lines; the first follows "Begrundelse: ", so
         * it never starts a line ("Beslutning i ..." is a fine reason). */
        s = strchr(s, '\n');
        if (!s)
            return NULL;
        s++;
        __attribute__((fallthrough));
    case MINUTES_TEXT:
    case MINUTES_TEXT_HEAD:
    case MINUTES_TEXT_DECISION:
        for (const char *p = s;;) {
            const char *nl = strchr(p, '\n');
            struct span l = {p, nl ? (size_t)(nl - p) : strlen(p)};
            const char *why = check_text_line(f, l);
            if (why || !nl)
                return why;
            p = nl + 1;
        }
    }
    return NULL;
}

const char *minutes_check_route(char *const *codes, size_t n)
{
    /* The line as written, and as written again from what the readers keep of it (the codes
     * trimmed, empty ones left out). */
    int h = 0;
    for (int trimmed = 0; trimmed < 2 && !h; trimmed++) {
        struct buf b = BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            struct span c = str_span(codes[i]);
            if (trimmed) {
                c = rtrim(c);
                while (c.n && (c.p[0] == ' ' || c.p[0] == '\t' || c.p[0] == '\r'))
                    c.p++, c.n--;
                if (!c.n)
                    continue;
            }
            if (i && (!trimmed || b.len))
                buf_puts(&b, ", ");
            buf_put(&b, c.p, c.n);
        }
        h = b.len && heading_line((struct span){b.ptr, b.len});
        buf_free(&b);
    }
    return h ? "expected body codes, found a line that reads as a section heading" : NULL;
}

const char *minutes_check_cell(const char *title, const char *text)
{
    if (blank_str(title ? title : "") && blank_str(text ? text : ""))
        return "expected a table cell that is not blank (the text export ends the table there)";
    /* The text export separates the columns, and an agenda's title from its text, by tabs. */
    if ((title && strchr(title, '\t')) || (text && strchr(text, '\t')))
        return "expected a table cell without tabs";
    return NULL;
}

/* A paragraph line as the model holds it; md drops the backslash that kept it from being
 * markup. */
static struct span text_line(const struct ctx *x, struct span l)
{
    l = rtrim(l);
    if (x->d == MINUTES_MD && l.n >= 2 && l.p[0] == '\\' && strchr("-#*\\", l.p[1]))
        l.p++, l.n--;
    return l;
}

enum { STOP_BULLET = 1, STOP_TABLE = 2 };

/* Paragraphs from the current line up to a section heading (or a bullet or the table
 * header, as asked), joined by "\n\n"; *out is NULL when there are none. A line the other
 * dialect could not carry is an error (-1), or in lenient mode a warning and left out. */
static int paragraphs(struct ctx *x, int stop, char **out)
{
    enum minutes_field kind = (stop & STOP_BULLET)  ? MINUTES_TEXT_DECISION
                              : (stop & STOP_TABLE) ? MINUTES_TEXT_HEAD
                                                    : MINUTES_TEXT;
    struct buf *b = &x->scratch;
    buf_truncate(b, 0);
    int pending = 0;
    *out = NULL;
    for (; x->i < x->nl; x->i++) {
        struct span l = x->L[x->i];
        if (blank(l)) {
            pending = b->len > 0;
            continue;
        }
        if (section_at(x, x->i) != SEC_NONE || ((stop & STOP_TABLE) && table_header(l)) ||
            ((stop & STOP_BULLET) && bullet(x, x->i)))
            break;
        struct span t = text_line(x, l);
        const char *why = check_text_line(kind, t);
        if (why) {
            if (fail(x, x->i, 0, "%s", why) < 0)
                return -1;
            continue;
        }
        if (b->len)
            buf_put(b, "\n\n", pending ? 2 : 1);
        pending = 0;
        buf_put(b, t.p, t.n);
    }
    *out = b->len ? xstrndup(b->ptr, b->len) : NULL;
    return 0;
}

static void skip_blank(struct ctx *x)
{
    while (x->i < x->nl && blank(x->L[x->i]))
        x->i++;
}

/* --- table cells ------------------------------------------------------------------------- */

/* HTML text of a cell paragraph to plain text: entities decoded (named ones through libxml2's
 * table), <br> to a newline. Other markup is kept as written. */
static void html_decode(struct buf *b, const char *p, size_t n)
{
    /* The next '<' and '&' are found with memchr and kept until passed: most cells have
     * few of them, and memchr skips the text between many bytes at a time. */
    const char *lt = memchr(p, '<', n), *amp = memchr(p, '&', n);
    size_t i = 0;
    while (i < n) {
        if (lt && lt < p + i)
            lt = memchr(p + i, '<', n - i);
        if (amp && amp < p + i)
            amp = memchr(p + i, '&', n - i);
        size_t run = lt && (!amp || lt < amp) ? (size_t)(lt - p) : amp ? (size_t)(amp - p) : n;
        buf_put(b, p + i, run - i);
        if ((i = run) >= n)
            break;
        if (p[i] == '<' && (n - i >= 4) &&
            (memcmp(p + i, "<br>", 4) == 0 || (n - i >= 5 && memcmp(p + i, "<br/>", 5) == 0) ||
             (n - i >= 6 && memcmp(p + i, "<br />", 6) == 0))) {
            buf_putc(b, '\n');
            i += p[i + 3] == '>' ? 4 : p[i + 3] == '/' ? 5 : 6;
            continue;
        }
        if (p[i] == '&') {
            const char *semi = memchr(p + i, ';', n - i < 12 ? n - i : 12);
            if (semi && semi > p + i + 1) {
                char name[12];
                size_t nl = (size_t)(semi - p - i - 1);
                memcpy(name, p + i + 1, nl);
                name[nl] = '\0';
                int cp = -1;
                if (name[0] == '#') {
                    char *end;
                    long v = (name[1] == 'x' || name[1] == 'X') ? strtol(name + 2, &end, 16)
                                                                : strtol(name + 1, &end, 10);
                    if (*end == '\0' && end != name + 1 && v > 0 && v <= 0x10FFFF &&
                        !(v >= 0xD800 && v <= 0xDFFF))
                        cp = (int)v;
                } else {
                    const htmlEntityDesc *ent = htmlEntityLookup((const xmlChar *)name);
                    if (ent)
                        cp = (int)ent->value;
                }
                if (cp > 0) {
                    xmlChar out[8];
                    int len = xmlCopyCharMultiByte(out, cp);
                    if (len > 0) {
                        buf_put(b, out, (size_t)len);
                        i = (size_t)(semi - p) + 1;
                        continue;
                    }
                }
            }
        }
        buf_putc(b, p[i++]);
    }
}

/* The first "</p>" in p[0..n), or NULL: memchr finds each '<' many bytes at a time, which
 * glibc's memmem does not do for a needle this short. */
static const char *find_close_p(const char *p, size_t n)
{
    const char *end = p + n;
    for (const char *q = p; (q = memchr(q, '<', (size_t)(end - q))); q++)
        if ((size_t)(end - q) >= 4 && memcmp(q, "</p>", 4) == 0)
            return q;
    return NULL;
}

/* A md cell "<p>Title</p> <p>Text</p> <p>More</p>": title and text known for certain.
 * Returns 1, 0 when the cell has another shape (read as plain text), or -1 when a paragraph
 * is opened and never closed: a cell cut off. */
static int cell_paragraphs(struct subitem *s, const char *p, size_t n, struct buf *b)
{
    /* The title, then the text, is put together in b (the parse's scratch) and copied out. */
    char *title = NULL;
    buf_truncate(b, 0);
    size_t i = 0;
    int k = 0;
    while (i < n) {
        if (k > 0) {
            if (p[i] != ' ')
                goto fail;
            i++;
        }
        if (n - i < 7 || memcmp(p + i, "<p>", 3) != 0)
            goto fail;
        const char *end = find_close_p(p + i + 3, n - i - 3);
        if (!end) {
            free(title);
            return -1;
        }
        if (k > 1)
            buf_put(b, "\n\n", 2);
        html_decode(b, p + i + 3, (size_t)(end - p - i - 3));
        if (k == 0) {
            title = xstrndup(buf_cstr(b), b->len);
            buf_truncate(b, 0);
        }
        i = (size_t)(end - p) + 4;
        k++;
    }
    if (k == 0)
        goto fail;
    s->title = title;
    s->text = k > 1 ? xstrndup(buf_cstr(b), b->len) : NULL; /* "<p>T</p> <p></p>": "" */
    return 1;
fail:
    free(title);
    return 0;
}

/* --- sections ---------------------------------------------------------------------------- */

static int is_blank_byte(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static int parse_route(struct ctx *x, size_t hl)
{
    skip_blank(x);
    if (x->i >= x->nl)
        return fail(x, hl, 0, "expected the bodies of Sagsgang (e.g. \"DIR\" or \"FU, ØK, KB\")");
    if (section_at(x, x->i) != SEC_NONE)
        return 0; /* an empty Sagsgang, as the writers write a case without a route */
    if (x->i + 1 < x->nl && !blank(x->L[x->i + 1]) && section_at(x, x->i + 1) == SEC_NONE)
        return fail(x, x->i + 1, 0, "expected one line of bodies separated by \", \"");
    size_t li = x->i;
    struct span l = rtrim(x->L[x->i++]);
    for (size_t a = 0, b = 0; b <= l.n; b++) {
        if (b < l.n && l.p[b] != ',')
            continue;
        size_t s = a, e = b;
        while (s < e && is_blank_byte(l.p[s]))
            s++;
        while (e > s && is_blank_byte(l.p[e - 1]))
            e--;
        if (e > s)
            *case_add_route(x->c) = xstrndup(l.p + s, e - s);
        a = b + 1;
    }
    const char *why = minutes_check_route(x->c->route, x->c->nroute);
    if (why) {
        for (size_t k = 0; k < x->c->nroute; k++)
            free(x->c->route[k]);
        x->c->nroute = 0;
        return fail(x, li, 0, "%s", why);
    }
    return 0;
}

static void subitem_fini(struct subitem *s)
{
    free(s->time);
    free(s->title);
    free(s->text);
}

/* One table row "<tid><TAB><punkt>" into *s. Returns 1 for a row, 0 for a row left out
 * (lenient mode), -1 on an error. */
static int parse_row(struct ctx *x, struct subitem *s, int *certain)
{
    struct span l = rtrim(x->L[x->i]);
    const char *tab = memchr(l.p, '\t', l.n);
    if (!tab)
        return fail(x, x->i, 0, "expected a table row \"<tid><TAB><punkt>\"");
    size_t tn = (size_t)(tab - l.p);
    s->time = tn ? xstrndup(l.p, tn) : NULL;
    const char *cell = tab + 1;
    size_t cn = l.n - tn - 1, at = (size_t)(cell - x->L[x->i].p);
    *certain = x->d == MINUTES_MD ? cell_paragraphs(s, cell, cn, &x->scratch) : 0;
    int rc = 1;
    const char *why;
    if (*certain < 0) {
        rc = fail(x, x->i, at, "expected \"</p>\" closing the table cell's paragraph");
        *certain = 0;
        if (rc < 0)
            return -1;
        rc = 1;
    }
    /* "<tid><TAB><title><TAB><text>", or a title and a tab: an agenda's cell as our writer
     * marks where its title ends (the line before trimming, which would drop that tab). */
    const char *raw_end = x->L[x->i].p + x->L[x->i].n;
    while (raw_end > cell && raw_end[-1] == '\r')
        raw_end--;
    const char *tab2 = x->d == MINUTES_TXT ? memchr(cell, '\t', (size_t)(raw_end - cell)) : NULL;
    if (tab2) {
        s->title = xstrndup(cell, (size_t)(tab2 - cell));
        if (tab2 + 1 < l.p + l.n)
            s->text = xstrndup(tab2 + 1, (size_t)(l.p + l.n - tab2 - 1));
        *certain = 1;
    } else if (!*certain) {
        if (x->d == MINUTES_MD) {
            buf_truncate(&x->scratch, 0);
            html_decode(&x->scratch, cell, cn);
            s->title = xstrndup(buf_cstr(&x->scratch), x->scratch.len);
        } else {
            s->title = xstrndup(cell, cn);
        }
    }
    if ((why = minutes_check(MINUTES_TIME, s->time)))
        rc = fail(x, x->i, 0, "%s", why);
    else if ((why = minutes_check_cell(s->title, s->text)))
        rc = fail(x, x->i, at, "%s", why);
    return rc;
}

static int parse_presentation(struct ctx *x)
{
    struct case_doc *c = x->c;
    char *text;
    if (paragraphs(x, STOP_TABLE, &text) < 0)
        return -1;
    if (x->i < x->nl && table_header(x->L[x->i])) {
        c->has_table = true;
        /* The paragraph right before the table introduces it. */
        if (text) {
            char *cut = NULL;
            for (char *q = text; (q = strstr(q, "\n\n")); q += 2)
                cut = q;
            if (cut) {
                c->intro = xstrdup(cut + 2);
                *cut = '\0';
            } else {
                c->intro = text;
                text = NULL;
            }
        }
        x->i++;
        for (; x->i < x->nl && !blank(x->L[x->i]) && section_at(x, x->i) == SEC_NONE; x->i++) {
            if (c->nsubitems == CASE_MAX_SUBITEMS) {
                /* The archive numbers sub-items in 11 bits (see CASE_MAX_SUBITEMS). */
                if (fail(x, x->i, 0, "expected at most %u sub-items in the Tid/Punkt table "
                                     "(the archive holds no more in one case)",
                         CASE_MAX_SUBITEMS) < 0) {
                    free(text);
                    return -1;
                }
                while (x->i + 1 < x->nl && !blank(x->L[x->i + 1]) &&
                       section_at(x, x->i + 1) == SEC_NONE)
                    x->i++;
                continue;
            }
            struct subitem row = {0};
            int certain = 0, r = parse_row(x, &row, &certain);
            if (r <= 0) {
                subitem_fini(&row);
                if (r < 0) {
                    free(text);
                    return -1;
                }
                continue;
            }
            *case_add_subitem(c) = row;
            if ((c->nsubitems & (c->nsubitems - 1)) == 0) /* at powers of two: amortised */
                x->guessed = xrealloc(x->guessed, 2 * c->nsubitems);
            x->guessed[c->nsubitems - 1] = !certain;
            x->nguessed = c->nsubitems;
        }
        skip_blank(x);
        if (x->i < x->nl && section_at(x, x->i) == SEC_NONE) {
            if (fail(x, x->i, 0, "expected a section heading after the Tid/Punkt table") < 0) {
                free(text);
                return -1;
            }
            while (x->i < x->nl && section_at(x, x->i) == SEC_NONE)
                x->i++;
        }
    }
    c->presentation = text;
    return 0;
}

static int parse_decision(struct ctx *x, size_t hl, struct span t)
{
    /* "Beslutning i <organ> den DD-MM-YYYY" */
    const char *start = t.p + strlen("Beslutning i ");
    const char *den = NULL;
    for (const char *q = start; q + 5 <= t.p + t.n; q++)
        if (memcmp(q, " den ", 5) == 0)
            den = q;
    char iso[11];
    char dmy[11] = "";
    if (den && (size_t)(t.p + t.n - den - 5) == 10) {
        memcpy(dmy, den + 5, 10);
        dmy[10] = '\0';
    }
    if (!den || den == start || !dmy[0] || date_parse_dmy(dmy, iso) != 0)
        return fail(x, hl, (size_t)(t.p - x->L[hl].p),
                    "expected \"Beslutning i <organ> den DD-MM-YYYY\"");
    struct decision *d = case_add_decision(x->c);
    d->body = xstrndup(start, (size_t)(den - start));
    d->date = xstrdup(iso);
    if (paragraphs(x, STOP_BULLET, &d->text) < 0)
        return -1;
    while (bullet(x, x->i)) {
        struct entry *en = decision_add_entry(d);
        struct span l = rtrim(x->L[x->i]); /* "- " alone trims to "-": an empty title */
        en->title = xstrndup(l.p + 2, l.n > 2 ? l.n - 2 : 0);
        x->i++;
        if (paragraphs(x, STOP_BULLET, &en->text) < 0)
            return -1;
    }
    return 0;
}

/* ---- issue 9, minutes: a tillæg ----
 * "Tillæg den DD-MM-YYYY", then "Begrundelse: <reason>" (one paragraph), then its text. */
static int parse_addition(struct ctx *x, size_t hl, struct span t)
{
    char dmy[11], iso[11];
    memcpy(dmy, t.p + strlen(ADDITION_HEAD), 10);
    dmy[10] = '\0';
    if (date_parse_dmy(dmy, iso) != 0)
        return fail(x, hl, (size_t)(t.p - x->L[hl].p), "expected \"" ADDITION_HEAD
                    "DD-MM-YYYY\" with a date that exists");
    char *all = NULL;
    skip_blank(x);
    size_t first = x->i < x->nl ? x->i : hl;
    if (paragraphs(x, 0, &all) < 0)
        return -1;
    size_t nr = strlen(ADDITION_REASON);
    if (!all || strncmp(all, ADDITION_REASON, nr) != 0) {
        free(all);
        return fail(x, first, 0,
                    "expected \"" ADDITION_REASON "...\" after the heading of a tillæg");
    }
    const char *end = strstr(all, "\n\n");
    char *reason = xstrndup(all + nr, end ? (size_t)(end - all) - nr : strlen(all) - nr);
    /* The rule every reader applies (JSON's too), so each format carries what one accepts. */
    const char *why = minutes_check(MINUTES_REASON, reason);
    if (why) {
        free(reason);
        free(all);
        return fail(x, first, nr, "%s", why);
    }
    struct addition *a = case_add_addition(x->c);
    a->date = xstrdup(iso);
    a->reason = reason;
    a->text = end ? xstrdup(end + 2) : NULL;
    free(all);
    return 0;
}
/* ---- end issue 9, minutes ---- */

/* "()" -> "", "(x)" -> "x", "0" stays, "" -> absent. */
static char *meta_cell(struct span f)
{
    f = rtrim(f);
    if (!f.n)
        return NULL;
    if (f.n >= 2 && f.p[0] == '(' && f.p[f.n - 1] == ')')
        return xstrndup(f.p + 1, f.n - 2);
    return xstrndup(f.p, f.n);
}

static int parse_attachments(struct ctx *x)
{
    struct case_doc *c = x->c;
    c->has_attachments = true;
    struct attachment *last = NULL;
    for (; x->i < x->nl && section_at(x, x->i) == SEC_NONE; x->i++) {
        struct span l = x->L[x->i];
        if (blank(l))
            continue;
        struct span f[6];
        size_t nf = 0;
        for (size_t a = 0, b = 0; nf < 6; b++)
            if (b == l.n || l.p[b] == '\t') {
                f[nf++] = (struct span){l.p + a, b - a};
                a = b + 1;
                if (b == l.n)
                    break;
            }
        /* "1 -<TAB>Åben<TAB>Title<TAB>(122962/23)<TAB>(H)" */
        struct span num = f[0];
        if (num.n > 2 && memcmp(num.p + num.n - 2, " -", 2) == 0 &&
            digits((struct span){num.p, num.n - 2})) {
            if (nf < 3 || nf > 5)
                return fail(x, x->i, 0, "expected \"N -<TAB>Åben|Lukket<TAB>titel<TAB>"
                                        "(journalnr.)<TAB>(H)\"");
            size_t nd = num.n - 2;
            while (nd > 1 && num.p[0] == '0')
                num.p++, num.n--, nd--;
            unsigned long v = nd <= 9 ? strtoul(num.p, NULL, 10) : ULONG_MAX;
            if (v < 1 || v > CASE_MAX_ATTACHMENT) {
                last = NULL; /* a document number below belongs to no attachment */
                if (fail(x, x->i, 0, "expected an attachment number from 1 to %u",
                         CASE_MAX_ATTACHMENT) < 0)
                    return -1;
                continue;
            }
            struct span st = rtrim(f[1]);
            if (!eq(st, "Åben") && !eq(st, "Lukket")) {
                if (fail(x, x->i, (size_t)(f[1].p - l.p), "expected \"Åben\" or \"Lukket\"") < 0)
                    return -1;
                continue;
            }
            last = case_add_attachment(c);
            last->number = (unsigned)v;
            last->public = eq(st, "Åben");
            struct span title = rtrim(f[2]);
            last->title = xstrndup(title.p, title.n);
            last->journal = nf > 3 ? meta_cell(f[3]) : NULL;
            last->flag = nf > 4 ? meta_cell(f[4]) : NULL;
            continue;
        }
        /* "3553435<TAB><TAB><TAB><TAB>": the document number of the line above. */
        if (digits(rtrim(f[0])) && blank((struct span){l.p + f[0].n, l.n - f[0].n})) {
            if (!last || last->document) {
                if (fail(x, x->i, 0, "expected an attachment line before document number") < 0)
                    return -1;
                continue;
            }
            struct span dn = rtrim(f[0]);
            last->document = xstrndup(dn.p, dn.n);
            continue;
        }
        /* A rule of dashes and tabs closes the export's table: layout only. */
        int rule = 1;
        for (size_t k = 0; k < l.n && rule; k++)
            rule = l.p[k] == '-' || l.p[k] == '\t' || l.p[k] == ' ' || l.p[k] == '\r';
        if (rule)
            continue;
        if (fail(x, x->i, 0, "expected an attachment line \"N -<TAB>Åben|Lukket<TAB>titel\"") < 0)
            return -1;
    }
    return 0;
}

/* --- after the parse: what the cells lost, and which entry belongs to which sub-item ------ */

/* A cell "Title Text" whose title some decision entry names: "Title" and "Text". */
static int split_by(struct subitem *s, const char *t)
{
    size_t m = strlen(t), n = strlen(s->title);
    if (!m || m > n || memcmp(s->title, t, m) != 0 || (m < n && s->title[m] != ' '))
        return 0;
    if (m < n) {
        s->text = xstrdup(s->title + m + 1);
        s->title[m] = '\0';
    }
    return 1;
}

static void recover_titles(struct ctx *x)
{
    struct case_doc *c = x->c;
    size_t budget = MATCH_BUDGET;
    for (size_t k = 0; k < c->nsubitems; k++) {
        if (!x->guessed[k])
            continue;
        struct subitem *s = &c->subitems[k];
        int done = 0;
        for (size_t di = 0; di < c->ndecisions && !done; di++) {
            struct decision *d = &c->decisions[di];
            if (k < d->nentries)
                done = split_by(s, d->entries[k].title);
            for (size_t ei = 0; ei < d->nentries && !done && budget; ei++, budget--)
                done = split_by(s, d->entries[ei].title);
        }
        if (done)
            continue;
        /* No decision names it: guess at the end of the first sentence. */
        for (char *q = s->title; (q = strstr(q, ". ")); q++) {
            unsigned char nx = (unsigned char)q[2];
            if ((nx >= 'A' && nx <= 'Z') || nx == 0xC3) {
                s->text = xstrdup(q + 2);
                q[1] = '\0';
                break;
            }
        }
        if (c->ndecisions || s->text)
            warnings_add(x->w, 0, 0,
                         "sub-item %zu: title and text run together in the table cell; "
                         "the title was guessed",
                         k + 1);
    }
}

static void match_entries(struct case_doc *c)
{
    size_t budget = MATCH_BUDGET;
    for (size_t di = 0; di < c->ndecisions; di++) {
        struct decision *d = &c->decisions[di];
        for (size_t ei = 0; ei < d->nentries; ei++) {
            struct entry *en = &d->entries[ei];
            en->subitem = 0;
            if (ei < c->nsubitems && strcmp(c->subitems[ei].title, en->title) == 0) {
                en->subitem = ei + 1;
                continue;
            }
            for (size_t k = 0; k < c->nsubitems && budget; k++, budget--)
                if (strcmp(c->subitems[k].title, en->title) == 0) {
                    en->subitem = k + 1;
                    break;
                }
        }
    }
}

/* --- the parser -------------------------------------------------------------------------- */

/* What each thread keeps between parses (see minutes_parse), up to KEEP_MAX bytes each. */
enum { KEEP_MAX = 1 << 20 };
static _Thread_local struct {
    struct span *lines;
    size_t ncap;
    struct buf scratch;
} keep;

static int parse_status(struct ctx *x)
{
    skip_blank(x);
    if (x->i >= x->nl)
        return fail(x, x->nl - 1, x->L[x->nl - 1].n, "expected \"Åben Sag\" or \"Lukket Sag\"");
    struct span l = rtrim(x->L[x->i]);
    if (x->d == MINUTES_MD && l.n >= 2 && (l.p[0] == '*' || l.p[0] == '_') &&
        l.p[l.n - 1] == l.p[0])
        l.p++, l.n -= 2;
    if (eq(l, "Åben Sag") || eq(l, "Åben sag"))
        x->c->public = true;
    else if (eq(l, "Lukket Sag") || eq(l, "Lukket sag"))
        x->c->public = false;
    else
        return fail(x, x->i, 0, "expected \"Åben Sag\" or \"Lukket Sag\"");
    x->i++;
    return 0;
}

int minutes_parse(enum minutes_dialect d, const char *p, size_t n, int flags,
                  struct case_doc **out, struct err *e, struct warnings *w)
{
    struct ctx x = {.d = d, .src = p, .flags = flags, .e = e, .w = w};
    /* The line array and the scratch buffer are the thread's, kept from one parse to the
     * next: two large allocations fewer per document, which also spares malloc the
     * consolidating a large request makes it do. */
    x.L = keep.lines;
    x.scratch = keep.scratch;
    x.nl = lines_split_reuse(p, n, &x.L, &keep.ncap);
    x.c = case_new();
    int rc = -1;
    unsigned seen = 0;

    skip_blank(&x);
    if (x.i >= x.nl) {
        fatal(&x, 0, "expected a case title, found an empty document");
        goto done;
    }
    struct span title = rtrim(x.L[x.i]);
    if (d == MINUTES_MD) {
        struct span t = heading_text(d, title);
        if (t.p)
            title = t;
    }
    if (classify(title) != SEC_NONE) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected a case title before the %s section",
                 section_names[classify(title)]);
        fatal(&x, x.i, msg);
        goto done;
    }
    x.c->title = xstrndup(title.p, title.n);
    const char *why = minutes_check(MINUTES_TITLE, x.c->title);
    if (why) {
        fatal(&x, x.i, why);
        goto done;
    }
    x.i++;
    if (parse_status(&x) < 0)
        goto done;

    for (;;) {
        skip_blank(&x);
        if (x.i >= x.nl)
            break;
        size_t hl = x.i;
        struct span t = heading_text(d, x.L[hl]);
        enum part s = classify(t);
        if (s == SEC_NONE) {
            if (fail(&x, hl, 0, "expected a section heading (Sagsgang, Sagsfremstilling, "
                                "Indstilling, Beslutning i <organ> den DD-MM-YYYY, Bilag:)") < 0)
                goto done;
            x.i++;
            continue;
        }
        if (s != SEC_DECISION && s != SEC_ADDITION /* issue 9 */ && (seen & (1u << s))) {
            if (fail(&x, hl, 0, "expected one %s section, found another", section_names[s]) < 0)
                goto done;
            x.i++;
            while (x.i < x.nl && section_at(&x, x.i) == SEC_NONE)
                x.i++;
            continue;
        }
        seen |= 1u << s;
        x.i++;
        int r = 0;
        switch (s) {
        case SEC_ROUTE: r = parse_route(&x, hl); break;
        case SEC_PRESENTATION: r = parse_presentation(&x); break;
        case SEC_RECOMMENDATION: r = paragraphs(&x, 0, &x.c->recommendation); break;
        case SEC_DECISION: r = parse_decision(&x, hl, t); break;
        case SEC_ATTACHMENTS: r = parse_attachments(&x); break;
        case SEC_ADDITION: r = parse_addition(&x, hl, t); break; /* issue 9, minutes */
        case SEC_NONE: break;
        }
        if (r < 0)
            goto done;
    }
    /* The exports always carry these three; without one the file is most likely cut off. */
    static const enum part required[] = {SEC_ROUTE, SEC_PRESENTATION, SEC_RECOMMENDATION};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (!(seen & (1u << required[k])) &&
            fail(&x, x.nl - 1, x.L[x.nl - 1].n,
                 "expected a \"%s\" section before the end of the document (is it cut off?)",
                 section_names[required[k]]) < 0)
            goto done;
    recover_titles(&x);
    match_entries(x.c);
    rc = 0;
done:
    keep.lines = x.L;
    keep.scratch = x.scratch;
    if (keep.ncap > KEEP_MAX / sizeof *keep.lines || keep.scratch.cap > KEEP_MAX) {
        free(keep.lines); /* a large document's: not kept */
        keep.lines = NULL;
        keep.ncap = 0;
        buf_free(&keep.scratch);
    }
    free(x.guessed);
    if (rc < 0) {
        case_free(x.c);
        x.c = NULL;
    }
    *out = x.c;
    return rc < 0 ? ERR_SYNTAX : 0;
}

/* --- the canonical writer ---------------------------------------------------------------- */

/* A string literal, without the strlen of buf_puts (issue 11, readers: the rendering runs on
 * every read, for the layout patch). */
#define PUT(b, lit) buf_put((b), (lit), sizeof(lit) - 1)

/* "2023-12-20" -> "20-12-2023"; anything else is written as it is (at most 10 bytes). */
static void iso_to_dmy(const char *iso, char dmy[11])
{
    if (!iso)
        iso = "";
    size_t n = strnlen(iso, 11);
    if (n == 10 && iso[4] == '-' && iso[7] == '-') {
        memcpy(dmy, iso + 8, 2);
        dmy[2] = '-';
        memcpy(dmy + 3, iso + 5, 2);
        dmy[5] = '-';
        memcpy(dmy + 6, iso, 4);
        dmy[10] = '\0';
    } else {
        n = n > 10 ? 10 : n;
        memcpy(dmy, iso, n);
        dmy[n] = '\0';
    }
}

/* A heading is written in two halves so that its text can be put in pieces. */
static void heading_open(enum minutes_dialect d, struct buf *b, const char *marks, int bold)
{
    PUT(b, "\n\n");
    if (d == MINUTES_MD) {
        buf_puts(b, marks);
        buf_puts(b, bold ? " **" : " ");
    }
}

static void heading_close(enum minutes_dialect d, struct buf *b, int bold)
{
    if (d == MINUTES_MD && bold)
        PUT(b, "**");
}

static void heading(enum minutes_dialect d, struct buf *b, const char *marks, int bold,
                    const char *text)
{
    heading_open(d, b, marks, bold);
    buf_puts(b, text);
    heading_close(d, b, bold);
}

/* Appends v in decimal (what "%u" writes), without going through printf. */
static void put_uint(struct buf *b, unsigned v)
{
    char tmp[16];
    size_t k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_put(b, tmp + k, sizeof tmp - k);
}

/* Paragraphs; in md a line that would read as markup is kept text with a backslash. */
static void paras(enum minutes_dialect d, struct buf *b, const char *text)
{
    PUT(b, "\n\n");
    for (const char *p = text;;) {
        if (d == MINUTES_MD &&
            (*p == '#' || *p == '*' || *p == '\\' || (p[0] == '-' && p[1] == ' ')))
            buf_putc(b, '\\');
        const char *nl = strchr(p, '\n');
        if (!nl) {
            buf_puts(b, p);
            return;
        }
        buf_put(b, p, (size_t)(nl - p) + 1);
        p = nl + 1;
    }
}

/* s[0..n); the byte after a break at s[n - 1] counts as no newline, as a string's NUL. */
static void cell_text(enum minutes_dialect d, struct buf *b, const char *s, size_t n)
{
    /* Cells are one line: md spells a break <br>, plain text a space ("\n\n" too). */
    for (;;) {
        const char *q = memchr(s, '\n', n);
        size_t k = q ? (size_t)(q - s) : n;
        if (d == MINUTES_MD)
            buf_html_text(b, s, k);
        else
            buf_put(b, s, k);
        if (!q)
            return;
        if (d == MINUTES_MD)
            PUT(b, "<br>");
        else if (k + 1 >= n || q[1] != '\n')
            buf_putc(b, ' ');
        s = q + 1;
        n -= k + 1;
    }
}

static void cell_str(enum minutes_dialect d, struct buf *b, const char *s)
{
    cell_text(d, b, s, strlen(s));
}

static void meta_out(struct buf *b, const char *v)
{
    buf_putc(b, '\t');
    if (!v)
        return;
    if (strcmp(v, "0") == 0) {
        buf_putc(b, '0');
        return;
    }
    buf_putc(b, '(');
    buf_puts(b, v);
    buf_putc(b, ')');
}

/* ---- issue 9, minutes: the tillæg, after the decisions they correct ---- */
static void write_additions(enum minutes_dialect d, struct buf *b, const struct case_doc *c)
{
    for (size_t i = 0; i < c->nadditions; i++) {
        const struct addition *a = &c->additions[i];
        char dmy[11];
        iso_to_dmy(a->date, dmy);
        heading_open(d, b, "##", 0);
        buf_puts(b, ADDITION_HEAD);
        buf_puts(b, dmy);
        heading_close(d, b, 0);
        /* as a paragraph, so that md escapes a line of it that would read as markup */
        struct buf r = BUF_INIT;
        buf_puts(&r, ADDITION_REASON);
        buf_puts(&r, a->reason ? a->reason : "");
        paras(d, b, buf_cstr(&r));
        buf_free(&r);
        if (a->text)
            paras(d, b, a->text);
    }
}
/* ---- end issue 9, minutes ---- */

void minutes_write(enum minutes_dialect d, const struct case_doc *c, int flags, struct buf *b)
{
    int md = d == MINUTES_MD;
    heading(d, b, "##", 1, c->title ? c->title : "");
    PUT(b, "\n\n");
    buf_puts(b, md ? (c->public ? "*Åben Sag*" : "*Lukket Sag*")
                   : (c->public ? "Åben Sag" : "Lukket Sag"));
    if ((flags & FMT_PUBLIC) && !c->public)
        return; /* the public view of a closed case is its title */
    /* The sections every export has come even when empty: the readers require them. */
    heading(d, b, "###", 1, "Sagsgang");
    if (c->nroute) {
        PUT(b, "\n\n");
        for (size_t i = 0; i < c->nroute; i++) {
            if (i)
                PUT(b, ", ");
            buf_puts(b, c->route[i]);
        }
    }
    heading(d, b, "###", 1, "Sagsfremstilling");
    if (c->presentation)
        paras(d, b, c->presentation);
    if (c->intro)
        paras(d, b, c->intro);
    if (c->has_table || c->nsubitems) {
        PUT(b, "\n\nTid\tPunkt");
        for (size_t i = 0; i < c->nsubitems; i++) {
            const struct subitem *s = &c->subitems[i];
            buf_putc(b, '\n');
            if (s->time)
                buf_puts(b, s->time);
            buf_putc(b, '\t');
            if (md) {
                PUT(b, "<p>");
                cell_str(d, b, s->title ? s->title : "");
                PUT(b, "</p>");
                /* Every paragraph of the text, an empty one too, so that it reads back. */
                for (const char *t = s->text; t;) {
                    const char *end = strstr(t, "\n\n");
                    size_t len = end ? (size_t)(end - t) : strlen(t);
                    PUT(b, " <p>");
                    cell_text(d, b, t, len);
                    PUT(b, "</p>");
                    t = end ? end + 2 : NULL;
                }
            } else {
                cell_str(d, b, s->title ? s->title : "");
                /* With a decision, its bullets tell the reader where the title ends; an
                 * agenda has none, so a tab marks it (the reader takes it back); a title
                 * without text that the reader would split at a sentence ends in a tab. */
                if (s->text) {
                    buf_putc(b, c->ndecisions ? ' ' : '\t');
                    cell_str(d, b, s->text);
                } else if (!c->ndecisions && s->title && strstr(s->title, ". ")) {
                    buf_putc(b, '\t');
                }
            }
        }
    }
    heading(d, b, "###", 0, "Indstilling");
    if (c->recommendation)
        paras(d, b, c->recommendation);
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *dc = &c->decisions[i];
        char dmy[11];
        iso_to_dmy(dc->date, dmy);
        heading_open(d, b, "##", 0);
        PUT(b, "Beslutning i ");
        buf_puts(b, dc->body ? dc->body : "");
        PUT(b, " den ");
        buf_puts(b, dmy);
        heading_close(d, b, 0);
        if (dc->text)
            paras(d, b, dc->text);
        for (size_t k = 0; k < dc->nentries; k++) {
            PUT(b, "\n\n- ");
            buf_puts(b, dc->entries[k].title ? dc->entries[k].title : "");
            if (dc->entries[k].text)
                paras(d, b, dc->entries[k].text);
        }
    }
    write_additions(d, b, c); /* issue 9, minutes */
    if (c->has_attachments || c->nattachments) {
        heading(d, b, "##", 0, "Bilag:");
        for (size_t i = 0; i < c->nattachments; i++) {
            const struct attachment *a = &c->attachments[i];
            buf_puts(b, i ? "\n" : "\n\n");
            put_uint(b, a->number);
            buf_puts(b, a->public ? " -\tÅben\t" : " -\tLukket\t");
            buf_puts(b, a->title ? a->title : "");
            if (a->journal || a->flag) {
                meta_out(b, a->journal);
                meta_out(b, a->flag);
            }
            if (a->document) {
                buf_putc(b, '\n');
                buf_puts(b, a->document);
                PUT(b, "\t\t\t\t");
            }
        }
    }
}

/* Lines that only this dialect writes, counted over the first lines. */
int minutes_sniff(enum minutes_dialect d, const char *p, size_t n)
{
    if (n > 4096)
        n = 4096;
    int score = 0;
    struct span *L;
    size_t nl = lines_split(p, n, &L);
    for (size_t i = 0; i < nl; i++) {
        struct span l = rtrim(L[i]);
        struct span t = heading_text(MINUTES_MD, l);
        if (d == MINUTES_MD) {
            if (classify(t) != SEC_NONE || eq(l, "*Åben Sag*") || eq(l, "*Lukket Sag*"))
                score += 30;
        } else {
            if ((!t.p && classify(l) != SEC_NONE) || eq(l, "Åben Sag") || eq(l, "Lukket Sag"))
                score += 30;
        }
    }
    free(L);
    return score > 90 ? 90 : score;
}
