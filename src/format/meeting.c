/* meeting: the grammar of whole-meeting documents: lines (mtext) into a meeting and one case
 * per agenda item. The words it reads are in vocabulary.inc; the layouts it knows are
 * described in docs/formats.md, "Meeting documents". */
#include "format.h"
#include "mtext.h"
#include "../model/meeting_doc.h"
#include "../util/date.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the vocabulary as tables ------------------------------------------------------------ */

enum hkind { H_NONE, H_EXTRA, H_PRESENTATION, H_RECOMMENDATION, H_DECISION };
enum fkind { F_DATE, F_TIME, F_START, F_END, F_PLACE, F_PRESENT, F_AFBUD, F_ABSENT,
             F_SUBSTITUTE, F_BODY };
enum rkind { R_SAGSNR, R_DOKNR, R_KLE, R_SAGSID };
static const char *const ref_names[] = {"sagsnr", "doknr", "kle", "sagsid"};

struct word {
    int kind;
    const char *s;
};

static const struct word headings[] = {
#define HEADING(k, s) {k, s},
#include "vocabulary.inc"
};
static const struct word decision_leads[] = {
#define DECISION_LEAD(s) {0, s},
#include "vocabulary.inc"
};
static const struct word recommend_leads[] = {
#define RECOMMEND_LEAD(s) {0, s},
#include "vocabulary.inc"
};
static const struct word dockinds[] = {
#define DOCKIND(s) {0, s},
#include "vocabulary.inc"
};
static const struct word marks[] = {
#define OPEN_MARK(s) {1, s},
#define CLOSED_MARK(s) {0, s},
#include "vocabulary.inc"
};
static const struct word groups[] = {
#define OPEN_GROUP(s) {1, s},
#define CLOSED_GROUP(s) {0, s},
#include "vocabulary.inc"
};
static const struct word item_words[] = {
#define ITEM_WORD(s) {0, s},
#include "vocabulary.inc"
};
static const struct word fields[] = {
#define FIELD(k, s) {k, s},
#include "vocabulary.inc"
};
static const struct word refs[] = {
#define REF(k, s) {k, s},
#include "vocabulary.inc"
};
static const struct word body_suffixes[] = {
#define BODY_SUFFIX(s) {0, s},
#include "vocabulary.inc"
};
static const struct word chrome[] = {
#define CHROME(s) {0, s},
#include "vocabulary.inc"
};
static const struct word endings[] = {
#define ENDING(s) {0, s},
#include "vocabulary.inc"
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* --- folding and matching ---------------------------------------------------------------- */

/* One byte of s folded: ASCII capitals and the Latin-1 capitals (UTF-8 C3 80..9E but not the
 * multiplication sign) to lower case. prev is the byte before (0 at the start). */
static unsigned char fold_at(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
        return c | 0x20;
    if (i > 0 && (unsigned char)s[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
        return c + 0x20;
    return c;
}

static bool letter(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return false;
    unsigned char c = (unsigned char)s[i];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The length of lit when s[0..n) starts with it (folded) and a word ends there, else 0. */
static size_t starts_word(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (k > n)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (fold_at(s, i) != fold_at(lit, i))
            return 0;
    if (letter(lit, k, k - 1) && letter(s, n, k))
        return 0;
    if (k < n && digit(lit[k - 1]) && digit(s[k]))
        return 0;
    return k;
}

/* The longest entry of a table that s starts with as a word; *len its length. */
static const struct word *longest(const struct word *t, size_t nt, const char *s, size_t n,
                                  size_t *len)
{
    const struct word *best = NULL;
    *len = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t k = starts_word(s, n, t[i].s);
        if (k > *len) {
            *len = k;
            best = &t[i];
        }
    }
    return best;
}

/* s[0..n) equals an entry of the table, folded, a trailing ':' or '.' aside. */
static const struct word *whole(const struct word *t, size_t nt, const char *s, size_t n)
{
    while (n && (s[n - 1] == ':' || s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    size_t len;
    const struct word *w = longest(t, nt, s, n, &len);
    return w && len == n ? w : NULL;
}

/* The word ends in the table's suffix (folded), also with a genitive "s". */
static bool ends_with(const struct word *t, size_t nt, const char *s, size_t n)
{
    for (int gen = 0; gen < 2; gen++) {
        size_t m = n - (size_t)gen;
        if (gen && (n < 2 || (s[n - 1] | 0x20) != 's'))
            break;
        for (size_t i = 0; i < nt; i++) {
            size_t k = strlen(t[i].s);
            if (k > m)
                continue;
            size_t j = 0;
            for (; j < k; j++)
                if (fold_at(s, m - k + j) != (unsigned char)t[i].s[j])
                    break;
            /* A UTF-8 capital at the suffix's start folds through its lead byte. */
            if (j == k)
                return true;
        }
    }
    return false;
}

/* --- lines -------------------------------------------------------------------------------- */

struct ln {
    char *s; /* trimmed, no-break spaces as spaces, bullet taken off */
    size_t n;
    unsigned line, page, flags;
    bool bullet;
    bool drop; /* chrome, a table-of-contents line, or a line already used */
};

static bool upper_start(const char *s, size_t n)
{
    if (!n)
        return false;
    unsigned char c = (unsigned char)s[0];
    if ((c >= 'A' && c <= 'Z') || digit((char)c) || c == '"' || c == 0xE2)
        return true;
    return n >= 2 && c == 0xC3 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9E;
}

static bool lower_start(const char *s, size_t n)
{
    if (!n)
        return false;
    unsigned char c = (unsigned char)s[0];
    return (c >= 'a' && c <= 'z') ||
           (n >= 2 && c == 0xC3 && (unsigned char)s[1] >= 0x9F && (unsigned char)s[1] <= 0xBF);
}

static void normalise(struct ln *l, const char *p, size_t n)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0xC2 && i + 1 < n && (unsigned char)p[i + 1] == 0xA0) {
            buf_putc(&b, ' ');
            i++;
        } else if (c == '\r' || c == '\f' || c == '\v') {
            buf_putc(&b, ' ');
        } else {
            buf_putc(&b, (char)c);
        }
    }
    char *s = buf_detach(&b), *q = s;
    size_t m = strlen(s);
    while (m && (s[m - 1] == ' ' || s[m - 1] == '\t'))
        s[--m] = '\0';
    while (*q == ' ' || *q == '\t')
        q++, m--;
    /* Bullets: "•", "·", "-", "*", "–" and a blank. */
    static const char *const bullets[] = {"\xE2\x80\xA2", "\xC2\xB7", "-", "*", "\xE2\x80\x93",
                                          "\xEF\x82\xB7", "\xE2\x96\xAA", NULL};
    for (const char *const *bu = bullets; *bu; bu++) {
        size_t k = strlen(*bu);
        if (m > k && memcmp(q, *bu, k) == 0 && (q[k] == ' ' || q[k] == '\t')) {
            q += k, m -= k;
            while (m && (*q == ' ' || *q == '\t'))
                q++, m--;
            l->bullet = true;
            break;
        }
    }
    l->s = xstrndup(q, m);
    l->n = m;
    free(s);
}

/* --- dates and times ---------------------------------------------------------------------- */

/* The first date with a year in s[0..n): "Tirsdag den 22. januar 2019", "04-06-2020",
 * "22.04.2021", "6/4 2016", "2021-04-22". *off and *len give where it was written. */
static bool find_date(const char *s, size_t n, char iso[11], size_t *off, size_t *len)
{
    struct date_span d;
    size_t pos = 0, best = n + 1;
    if (date_next(s, n, &pos, NULL, &d)) {
        memcpy(iso, d.start, 11);
        best = d.off;
        *off = d.off;
        *len = d.len;
    }
    /* "6/4 2016": day/month, a blank, the year. */
    for (size_t i = 0; i + 8 <= n && i < best; i++) {
        if (!digit(s[i]) || (i && (digit(s[i - 1]) || s[i - 1] == '/')))
            continue;
        size_t k = i;
        int dd = 0, mm = 0, yy = 0, nd = 0;
        while (k < n && digit(s[k]) && nd < 2)
            dd = dd * 10 + s[k++] - '0', nd++;
        if (k >= n || s[k] != '/')
            continue;
        k++, nd = 0;
        while (k < n && digit(s[k]) && nd < 2)
            mm = mm * 10 + s[k++] - '0', nd++;
        if (!nd || k >= n || s[k] != ' ')
            continue;
        k++, nd = 0;
        while (k < n && digit(s[k]) && nd < 4)
            yy = yy * 10 + s[k++] - '0', nd++;
        if (nd != 4 || (k < n && digit(s[k])) || date_format_iso(yy, mm, dd, iso) != 0)
            continue;
        *off = i;
        *len = k - i;
        return true;
    }
    return best <= n;
}

/* A time "17:30", "17.30" or "09:00:00" at s[i]: into t ("17:30"); *end past it. */
static bool time_at(const char *s, size_t n, size_t i, char t[6], size_t *end)
{
    if (i && (digit(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == ':' || s[i - 1] == '/'))
        return false;
    size_t k = i;
    int h = 0, m = 0, nd = 0;
    while (k < n && digit(s[k]) && nd < 2)
        h = h * 10 + s[k++] - '0', nd++;
    if (!nd || k + 2 >= n || (s[k] != ':' && s[k] != '.') || !digit(s[k + 1]) ||
        !digit(s[k + 2]))
        return false;
    m = (s[k + 1] - '0') * 10 + (s[k + 2] - '0');
    k += 3;
    if (k < n && digit(s[k]))
        return false;
    /* "22.04.2021" is a date, "09:00:00" a time with seconds. */
    if (k + 1 < n && (s[k] == '.' || s[k] == ':') && digit(s[k + 1])) {
        if (s[k] == '.' || k + 2 >= n || !digit(s[k + 2]) || (k + 3 < n && digit(s[k + 3])))
            return false;
        k += 3;
    }
    if (h > 23 || m > 59)
        return false;
    t[0] = (char)('0' + h / 10), t[1] = (char)('0' + h % 10), t[2] = ':';
    t[3] = (char)('0' + m / 10), t[4] = (char)('0' + m % 10), t[5] = '\0';
    *end = k;
    return true;
}

/* The first time in s (and the end of a range "17:00 - 19:30", "16.00-18.30"). */
static bool find_times(const char *s, size_t n, char start[6], char end[6])
{
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (!digit(s[i]) || !time_at(s, n, i, start, &k))
            continue;
        end[0] = '\0';
        size_t j = k;
        while (j < n && s[j] == ' ')
            j++;
        if (j < n && (s[j] == '-' || (unsigned char)s[j] == 0xE2)) {
            j += s[j] == '-' ? 1 : 3;
            while (j < n && s[j] == ' ')
                j++;
            if (j < n && (starts_word(s + j, n - j, "kl.") || starts_word(s + j, n - j, "kl")))
                j += s[j + 2] == '.' ? 4 : 3;
            size_t k2;
            if (j < n && !time_at(s, n, j, end, &k2))
                end[0] = '\0';
        }
        return true;
    }
    return false;
}

/* --- the parse ---------------------------------------------------------------------------- */

struct item_start {
    char number[16]; /* "" for an unnumbered item */
    const char *title;
    size_t ntitle;
    int closed; /* 1 closed, 0 open, -1 not said */
    char kind[8];
    bool toc;
    bool strong; /* "Punkt 5", a heading: not only a numbered line */
};

struct ctx {
    struct ln *L;
    size_t nl;
    int flags;
    const struct mtext *t;
    struct err *e;
    struct warnings *w;
    struct meeting_doc *d;
    int status;   /* the group header's Åben/Lukket for the items that follow: 1, 0, -1 */
    int default_open;
};

/* Strict: an error (returns -1). Lenient: a warning (returns 0). At line li of x->L. */
static int problem(struct ctx *x, size_t li, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int problem(struct ctx *x, size_t li, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = li < x->nl ? x->L[li].line : (x->nl ? x->L[x->nl - 1].line : 1);
    unsigned page = li < x->nl ? x->L[li].page : 0;
    char where[32] = "";
    if (page)
        snprintf(where, sizeof where, " (page %u)", page);
    if (x->flags & FMT_LENIENT) {
        warnings_add(x->w, line, 1, "%s%s", msg, where);
        return 0;
    }
    err_set(x->e, ERR_SYNTAX, line ? line : 1, 1, "%s%s", msg, where);
    return -1;
}

static bool is_blank(const struct ln *l)
{
    return l->n == 0;
}

/* "(B)", "(O)", "(B/O)": a type suffix at the end of a title, into kind. */
static void take_suffixes(struct item_start *st)
{
    for (int again = 1; again;) {
        again = 0;
        const char *t = st->title;
        size_t n = st->ntitle;
        while (n && t[n - 1] == ' ')
            n--;
        /* Table of contents: "Title .......... 3", "Title\t3". */
        size_t k = n;
        while (k && digit(t[k - 1]))
            k--;
        if (k < n && k > 0 && (t[k - 1] == '.' || t[k - 1] == '\t' ||
                               (k >= 3 && memcmp(t + k - 3, "\xE2\x80\xA6", 3) == 0) ||
                               (t[k - 1] == ' ' && k >= 2 && t[k - 2] == '.'))) {
            while (k && (t[k - 1] == '.' || t[k - 1] == ' ' || t[k - 1] == '\t'))
                k--;
            st->toc = true;
            n = k;
            again = 1;
        }
        static const char *const closed[] = {" - Lukket punkt", " (Lukket punkt)", " - Lukket",
                                             " (Lukket)", " - lukket punkt", NULL};
        static const char *const open[] = {" - Åbent punkt", " (Åbent punkt)", " - Åben", NULL};
        for (int o = 0; o < 2; o++)
            for (const char *const *c = o ? open : closed; *c; c++) {
                size_t m = strlen(*c);
                if (n > m && memcmp(t + n - m, *c, m) == 0) {
                    st->closed = !o;
                    n -= m;
                    again = 1;
                }
            }
        if (n >= 4 && t[n - 1] == ')' && t[n - 3] == '(' && t[n - 4] == ' ' &&
            t[n - 2] >= 'A' && t[n - 2] <= 'Z') {
            snprintf(st->kind, sizeof st->kind, "%c", t[n - 2]);
            n -= 4;
            again = 1;
        } else if (n >= 6 && t[n - 1] == ')' && t[n - 5] == '(' && t[n - 3] == '/' &&
                   t[n - 6] == ' ') {
            snprintf(st->kind, sizeof st->kind, "%.3s", t + n - 4);
            n -= 6;
            again = 1;
        }
        st->ntitle = n;
    }
}

/* Whether line l starts an item, and how. */
static bool item_start(const struct ln *l, struct item_start *st)
{
    memset(st, 0, sizeof *st);
    st->closed = -1;
    const char *s = l->s;
    size_t n = l->n, i = 0, len;
    if (n < 2 || n > 400)
        return false;
    bool heading = l->flags & ML_HEADING;
    const struct word *w = longest(marks, COUNT(marks), s, n, &len);
    if (w && !w->kind && len < n) {
        /* "Lukket punkt: Title", "Lukket punkt 14: Title", "Lukket punkt - Title" */
        size_t k = len;
        while (k < n && s[k] == ' ')
            k++;
        size_t nd = 0;
        while (k + nd < n && digit(s[k + nd]) && nd < 8)
            nd++;
        if (nd)
            memcpy(st->number, s + k, nd), k += nd;
        while (k < n && (s[k] == ':' || s[k] == ' ' || s[k] == '-' || s[k] == '.'))
            k++;
        if (k < n && k > len && upper_start(s + k, n - k)) {
            st->closed = 1;
            st->strong = true;
            st->title = s + k;
            st->ntitle = n - k;
            take_suffixes(st);
            return st->ntitle > 0;
        }
    }
    if ((w = longest(item_words, COUNT(item_words), s, n, &len)) != NULL) {
        i = len;
        while (i < n && s[i] == ' ')
            i++;
        st->strong = true;
    } else if (!digit(s[0])) {
        return false;
    }
    size_t nd = 0;
    while (i + nd < n && digit(s[i + nd]))
        nd++;
    if (nd == 0 || nd > 4 || (nd == 1 && s[i] == '0'))
        return false;
    memcpy(st->number, s + i, nd);
    st->number[nd] = '\0';
    i += nd;
    if (i < n && (s[i] == '.' || s[i] == ':' || s[i] == ')') && (i + 1 >= n || s[i + 1] == ' ' ||
                                                               s[i + 1] == '\t')) {
        i++;
    } else if (i < n && (s[i] == ' ' || s[i] == '\t')) {
        /* "131 Title" only as a heading or after "Punkt". */
        if (!heading && !st->strong)
            return false;
    } else if (!(i < n && upper_start(s + i, n - i) && !digit(s[i]))) {
        return false; /* not "228Godkendelse": a number glued to a capital */
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t' || (st->strong && s[i] == '-')))
        i++;
    if (i >= n || !upper_start(s + i, n - i))
        return false;
    st->title = s + i;
    st->ntitle = n - i;
    if (heading)
        st->strong = true;
    /* "22. januar 2019", "1. oktober": a date, not an item. */
    size_t used;
    if (date_month(st->title, st->ntitle, &used))
        return false;
    /* "133. Lukket punkt: Salg af grund" */
    const struct word *mk = longest(marks, COUNT(marks), st->title, st->ntitle, &len);
    if (mk && len < st->ntitle && (st->title[len] == ':' || st->title[len] == ' ')) {
        size_t k = len;
        while (k < st->ntitle && (st->title[k] == ':' || st->title[k] == ' ' ||
                                  st->title[k] == '-'))
            k++;
        if (k > len + (st->title[len] == ' ') && k < st->ntitle) {
            st->closed = mk->kind ? 0 : 1;
            st->title += k;
            st->ntitle -= k;
        }
    }
    take_suffixes(st);
    return st->ntitle > 0;
}

/* "Beslutning i Økonomiudvalget den 1. oktober 2018:", "Beslutning Byrådet den 02-02-2021",
 * "Beslutning", "Økonomiudvalget, 16-01-2019, pkt. 1", "Direktionen indstiller, at ...". */
struct head {
    int kind;
    char *name;  /* as written */
    char *body;  /* a decision's body, or NULL */
    char date[11];
    const char *rest; /* text run into the heading, or NULL */
    size_t nrest;
};

/* A body phrase ending at word s[a..b): "Økonomiudvalget", "Teknik- og Miljøudvalget". */
static char *body_phrase(const char *s, size_t n)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == ':' || s[n - 1] == '.'))
        n--;
    while (n && s[0] == ' ')
        s++, n--;
    if (!n || !upper_start(s, n) || n > 120)
        return NULL;
    size_t last = n;
    while (last && s[last - 1] != ' ')
        last--;
    if (!ends_with(body_suffixes, COUNT(body_suffixes), s + last, n - last))
        return NULL;
    size_t words = 1;
    for (size_t i = 0; i < n; i++)
        words += s[i] == ' ';
    if (words > 8)
        return NULL;
    char *r = xstrndup(s, n);
    /* "BYRÅDET" as "Byrådet": one spelling of a board's name. */
    bool lower = false;
    for (size_t i = 0; i < n && !lower; i++)
        lower = lower_start(s + i, n - i);
    for (size_t i = 1; !lower && i < n; i++)
        if (!(i == 1 && (unsigned char)r[0] == 0xC3) && s[i - 1] != ' ')
            r[i] = (char)fold_at(s, i);
    /* "Økonomiudvalgets" -> "Økonomiudvalget" */
    size_t m = strlen(r);
    if (m > 1 && r[m - 1] == 's' && ends_with(body_suffixes, COUNT(body_suffixes), r + last,
                                                m - last - 1))
        r[m - 1] = '\0';
    return r;
}

static void head_fini(struct head *h)
{
    free(h->name);
    free(h->body);
}

static bool decision_heading(const struct ln *l, struct head *h)
{
    const char *s = l->s;
    size_t n = l->n, len, off, dlen;
    char iso[11];
    if (longest(decision_leads, COUNT(decision_leads), s, n, &len)) {
        size_t k = len;
        while (k < n && s[k] == ' ')
            k++;
        if (k >= n || s[k] == ':') {
            h->kind = H_DECISION;
            h->name = xstrndup(s, len);
            if (k < n) {
                k++;
                while (k < n && s[k] == ' ')
                    k++;
                h->rest = k < n ? s + k : NULL;
                h->nrest = n - k;
            }
            return true;
        }
        if (find_date(s + k, n - k, iso, &off, &dlen) && off < 160) {
            const char *b = s + k;
            size_t bn = off;
            /* "... den 1. oktober", "... den 02-02-2021", "..., 16-01-2019" */
            while (bn && b[bn - 1] == ' ')
                bn--;
            if (bn >= 4 && starts_word(b + bn - 4, 4, " den"))
                bn -= 4;
            else if (bn >= 3 && starts_word(b + bn - 3, 3, "den") && bn == 3)
                bn -= 3;
            char *body = bn ? body_phrase(b, bn) : NULL;
            if (bn && !body)
                return false;
            h->kind = H_DECISION;
            h->body = body;
            memcpy(h->date, iso, 11);
            size_t r = k + off + dlen;
            while (r < n && (s[r] == ':' || s[r] == ' ' || s[r] == '.'))
                r++;
            /* ", pkt. 1" after the date is part of the heading. */
            if (r < n && (starts_word(s + r, n - r, "pkt.") || starts_word(s + r, n - r, "punkt"))) {
                while (r < n && s[r] != ' ')
                    r++;
                while (r < n && (s[r] == ' ' || digit(s[r]) || s[r] == ':' || s[r] == '.'))
                    r++;
            }
            h->name = xstrndup(s, k + off + dlen);
            h->rest = r < n ? s + r : NULL;
            h->nrest = r < n ? n - r : 0;
            return true;
        }
        if (!lower_start(s + k, n - k)) {
            h->kind = H_DECISION;
            h->name = xstrndup(s, len);
            h->rest = s + k;
            h->nrest = n - k;
            return true;
        }
        return false;
    }
    /* "Økonomiudvalget, 16-01-2019, pkt. 1" */
    const char *comma = memchr(s, ',', n);
    if (comma && find_date(comma, n - (size_t)(comma - s), iso, &off, &dlen) && off <= 3) {
        char *body = body_phrase(s, (size_t)(comma - s));
        if (!body)
            return false;
        size_t r = (size_t)(comma - s) + off + dlen;
        while (r < n && (s[r] == ',' || s[r] == ' '))
            r++;
        if (r < n && !starts_word(s + r, n - r, "pkt.") && !starts_word(s + r, n - r, "punkt")) {
            free(body);
            return false;
        }
        h->kind = H_DECISION;
        h->body = body;
        memcpy(h->date, iso, 11);
        h->name = xstrndup(s, n);
        return true;
    }
    return false;
}

static bool heading(const struct ln *l, struct head *h)
{
    memset(h, 0, sizeof *h);
    const char *s = l->s;
    size_t n = l->n, len;
    if (!n)
        return false;
    if (decision_heading(l, h))
        return true;
    const struct word *w = longest(headings, COUNT(headings), s, n, &len);
    if (w) {
        size_t k = len;
        bool colon = false;
        while (k < n && (s[k] == ' ' || s[k] == ':' || s[k] == '\t'))
            colon |= s[k++] == ':';
        if (k >= n || colon || upper_start(s + k, n - k)) {
            h->kind = w->kind;
            h->name = xstrndup(s, len);
            h->rest = k < n ? s + k : NULL;
            h->nrest = k < n ? n - k : 0;
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < COUNT(recommend_leads); i++) {
        size_t k = starts_word(s, n, recommend_leads[i].s);
        if (k && n - k > 11 && starts_word(s + k + 1, n - k - 1, "indstiller")) {
            h->kind = H_RECOMMENDATION;
            h->name = NULL;
            h->rest = s;
            h->nrest = n;
            return true;
        }
    }
    if ((l->flags & ML_HEADING) && n <= 80 && s[n - 1] != '.' && s[n - 1] != ',') {
        size_t words = 1;
        for (size_t i = 0; i < n; i++)
            words += s[i] == ' ';
        if (words <= 8) {
            h->kind = H_EXTRA;
            h->name = xstrndup(s, s[n - 1] == ':' ? n - 1 : n);
            return true;
        }
    }
    return false;
}

/* --- text of sections --------------------------------------------------------------------- */

struct para {
    struct buf b;
    bool pending; /* a blank line since the last text */
};

static bool list_line(const char *s, size_t n)
{
    return starts_word(s, n, "at") || (n > 1 && digit(s[0]) && (s[1] == ')' || s[1] == '.')) ||
           (n > 2 && digit(s[0]) && digit(s[1]) && (s[2] == ')' || s[2] == '.'));
}

static void para_add(struct para *p, const struct ln *l)
{
    if (is_blank(l)) {
        p->pending = p->b.len > 0;
        return;
    }
    if (p->b.len)
        buf_puts(&p->b, p->pending ? "\n\n" : (l->bullet || list_line(l->s, l->n)) ? "\n" : " ");
    p->pending = false;
    if (l->bullet)
        buf_puts(&p->b, "- ");
    buf_put(&p->b, l->s, l->n);
}

static void para_text(struct para *p, const char *s, size_t n)
{
    struct ln l = {.s = (char *)s, .n = n};
    para_add(p, &l);
}

static char *para_take(struct para *p)
{
    p->pending = false;
    return p->b.len ? buf_detach(&p->b) : (buf_free(&p->b), NULL);
}

/* --- references and marks ----------------------------------------------------------------- */

/* "85.02.02-G01-1-17", "01.00.00-G01-93-16": a KLE number. */
static bool kle_at(const char *s, size_t n, size_t *len)
{
    if (n < 8 || !digit(s[0]) || !digit(s[1]) || s[2] != '.' || !digit(s[3]) || !digit(s[4]) ||
        s[5] != '.' || !digit(s[6]) || !digit(s[7]))
        return false;
    size_t k = 8;
    while (k < n && s[k] != ' ' && s[k] != ',' && s[k] != ';')
        k++;
    *len = k;
    return true;
}

static void add_ref(struct case_doc *c, int kind, const char *v, size_t n)
{
    while (n && (v[n - 1] == ' ' || v[n - 1] == ',' || v[n - 1] == ';'))
        n--;
    if (!n)
        return;
    struct ref *r = case_add_ref(c);
    r->kind = xstrdup(ref_names[kind]);
    r->value = xstrndup(v, n);
}

/* Case numbers on a line: "Sagsnr.: 330-2018-3619 Dok.nr.: 330-2018-500301", a bare KLE
 * number, "Åbent - 01.00.00-G01-93-16". Returns true when the line held nothing else. */
static bool ref_line(struct case_doc *c, const char *s, size_t n, int *status)
{
    size_t i = 0, len;
    bool any = false;
    const struct word *m = longest(marks, COUNT(marks), s, n, &len);
    if (m && (len == n || s[len] == ' ' || s[len] == ':')) {
        size_t k = len;
        while (k < n && (s[k] == ' ' || s[k] == '-' || s[k] == ':' ||
                         (unsigned char)s[k] == 0xE2))
            k += (unsigned char)s[k] == 0xE2 ? 3 : 1;
        size_t kl;
        if (k >= n || kle_at(s + k, n - k, &kl) || starts_word(s + k, n - k, "punkt")) {
            *status = m->kind;
            if (k < n && kle_at(s + k, n - k, &kl)) {
                add_ref(c, R_KLE, s + k, kl);
                i = k + kl;
            } else {
                return true;
            }
            any = true;
        } else {
            return false;
        }
    }
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == ';' || s[i] == '|' ||
                         s[i] == '\t'))
            i++;
        if (i >= n)
            break;
        size_t kl;
        const struct word *r = longest(refs, COUNT(refs), s + i, n - i, &len);
        if (r) {
            size_t k = i + len;
            while (k < n && (s[k] == ':' || s[k] == ' ' || s[k] == '.'))
                k++;
            size_t v = k;
            while (k < n && s[k] != ' ' && s[k] != '\t' && s[k] != ',' && s[k] != ';')
                k++;
            if (k == v)
                return false;
            add_ref(c, r->kind, s + v, k - v);
            i = k;
            any = true;
        } else if (kle_at(s + i, n - i, &kl)) {
            add_ref(c, R_KLE, s + i, kl);
            i += kl;
            any = true;
        } else {
            return false;
        }
    }
    return any;
}

/* --- attendance --------------------------------------------------------------------------- */

/* One name of an attendance list: "Anna Holm (A)", "Bo Ek (V), formand". */
static struct attendee *attendee(struct meeting *m, const char *s, size_t n, int status)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == ',' || s[n - 1] == ';'))
        n--;
    while (n && (*s == ' ' || *s == ','))
        s++, n--;
    if (!n || !upper_start(s, n) || n > 120)
        return NULL;
    const char *par = memchr(s, '(', n);
    size_t nn = par ? (size_t)(par - s) : n;
    while (nn && s[nn - 1] == ' ')
        nn--;
    if (!nn)
        return NULL;
    struct attendee *a = meeting_add_attendee(m);
    a->name = xstrndup(s, nn);
    a->status = status;
    if (par) {
        const char *close = memchr(par, ')', n - (size_t)(par - s));
        if (close && close - par > 1 && close - par <= 8)
            a->remark = xstrndup(par + 1, (size_t)(close - par - 1));
    }
    return a;
}

/* "Anna Holm (A), Bo Ek (V) og Eva Dahl (Ø)" */
static void attendance(struct meeting *m, const char *s, size_t n, int status)
{
    size_t a = 0;
    int depth = 0;
    for (size_t i = 0; i <= n; i++) {
        bool cut = i == n;
        if (!cut && s[i] == '(')
            depth++;
        else if (!cut && s[i] == ')')
            depth--;
        else if (!cut && depth == 0 && (s[i] == ',' || s[i] == ';'))
            cut = true;
        else if (!cut && depth == 0 && i + 4 <= n && memcmp(s + i, " og ", 4) == 0)
            cut = true;
        if (!cut)
            continue;
        const char *p = s + a;
        size_t len = i - a;
        /* "formand", "næstformand" after a comma: the role of the name before. */
        while (len && *p == ' ')
            p++, len--;
        if (len && lower_start(p, len) && m->nattendees &&
            !m->attendees[m->nattendees - 1].role) {
            while (len && (p[len - 1] == '.' || p[len - 1] == ' '))
                len--;
            m->attendees[m->nattendees - 1].role = xstrndup(p, len);
        } else if (status == ATTENDEE_STEDFORTRAEDER) {
            /* "Bo Ek (V) for Anna Holm (A)" */
            const char *f = NULL;
            for (size_t k = 0; k + 5 <= len; k++)
                if (memcmp(p + k, " for ", 5) == 0)
                    f = p + k;
            if (f) {
                struct attendee *x = NULL;
                const char *who = f + 5;
                size_t wn = len - (size_t)(who - p);
                char *name = NULL;
                {
                    const char *par = memchr(who, '(', wn);
                    size_t nn = par ? (size_t)(par - who) : wn;
                    while (nn && (who[nn - 1] == ' ' || who[nn - 1] == '.'))
                        nn--;
                    name = xstrndup(who, nn);
                }
                for (size_t k = 0; k < m->nattendees; k++)
                    if (strcmp(m->attendees[k].name, name) == 0)
                        x = &m->attendees[k];
                if (!x)
                    x = attendee(m, who, wn, ATTENDEE_STEDFORTRAEDER);
                free(name);
                if (x) {
                    x->status = ATTENDEE_STEDFORTRAEDER;
                    size_t sn = (size_t)(f - p);
                    const char *par = memchr(p, '(', sn);
                    size_t nn = par ? (size_t)(par - p) : sn;
                    while (nn && p[nn - 1] == ' ')
                        nn--;
                    free(x->substitute);
                    x->substitute = xstrndup(p, nn);
                }
            }
        } else {
            attendee(m, p, len, status);
        }
        a = i + (i + 4 <= n && i < n && s[i] == ' ' ? 4 : 1);
        if (i < n && s[i] == ' ')
            i += 3;
    }
}

/* --- the header --------------------------------------------------------------------------- */

static void set_str(char **f, const char *s, size_t n)
{
    if (!*f)
        *f = xstrndup(s, n);
}

static void set_times(struct meeting *m, const char *s, size_t n)
{
    char a[6], b[6];
    if (find_times(s, n, a, b)) {
        set_str(&m->start, a, strlen(a));
        if (b[0])
            set_str(&m->end, b, strlen(b));
    }
}

/* A header field "Label: value" (or "Label<TAB>value" from a table). Returns the value's
 * start, or NULL. */
static const struct word *field(const struct ln *l, const char **v, size_t *vn)
{
    size_t len;
    const struct word *f = longest(fields, COUNT(fields), l->s, l->n, &len);
    if (!f)
        return NULL;
    size_t k = len;
    while (k < l->n && l->s[k] == ' ')
        k++;
    if (k < l->n && l->s[k] != ':' && l->s[k] != '\t')
        return NULL;
    if (k < l->n)
        k++;
    while (k < l->n && (l->s[k] == ' ' || l->s[k] == '\t'))
        k++;
    *v = l->s + k;
    *vn = l->n - k;
    return f;
}

static bool body_in(struct meeting_doc *d, const char *s, size_t n)
{
    if (d->body)
        return false;
    /* Each word ending in a body suffix, extended to the left over "X-", "og" and
     * capitalised words. */
    for (size_t b = 0; b < n;) {
        size_t e = b;
        while (e < n && s[e] != ' ' && s[e] != ',' && s[e] != ':')
            e++;
        if (e > b && upper_start(s + b, e - b) &&
            ends_with(body_suffixes, COUNT(body_suffixes), s + b, e - b)) {
            size_t a = b;
            while (a >= 2) {
                size_t p = a - 1; /* the blank before */
                size_t q = p;
                while (q && s[q - 1] != ' ')
                    q--;
                bool hyph = p > q && s[p - 1] == '-';
                bool og = p - q == 2 && memcmp(s + q, "og", 2) == 0 && q >= 2 && s[q - 2] == '-';
                if (!hyph && !og)
                    break;
                a = q;
            }
            d->body = body_phrase(s + a, e - a);
            if (d->body)
                return true;
        }
        b = e + 1;
    }
    return false;
}

static int parse_header(struct ctx *x, size_t end)
{
    struct meeting_doc *d = x->d;
    struct meeting *m = d->meeting;
    struct para notes = {BUF_INIT, false};
    for (size_t i = 0; i < end; i++) {
        struct ln *l = &x->L[i];
        if (l->drop || is_blank(l)) {
            if (is_blank(l))
                para_add(&notes, l);
            continue;
        }
        size_t len;
        const struct word *k = longest(dockinds, COUNT(dockinds), l->s, l->n, &len);
        const struct word *g = whole(groups, COUNT(groups), l->s, l->n);
        if (g) {
            x->status = g->kind;
            if (k && !d->kind)
                d->kind = xstrdup(k->s); /* "ÅBEN DAGSORDEN": both */
            continue;
        }
        bool used = false;
        if (k) {
            if (!d->kind)
                d->kind = xstrdup(k->s);
            if (starts_word(k->s, strlen(k->s), "Åben"))
                x->default_open = 1;
            used = true;
        }
        const char *v;
        size_t vn;
        const struct word *f = field(l, &v, &vn);
        char iso[11];
        size_t off, dl;
        if (f) {
            int st = -1;
            switch (f->kind) {
            case F_DATE:
                if (!m->date && find_date(v, vn, iso, &off, &dl)) {
                    m->date = xstrdup(iso);
                    set_times(m, v + off + dl, vn - off - dl);
                }
                break;
            case F_TIME: set_times(m, v, vn); break;
            case F_START: {
                char a[6], b[6];
                if (find_times(v, vn, a, b))
                    set_str(&m->start, a, 5);
                break;
            }
            case F_END: {
                char a[6], b[6];
                if (find_times(v, vn, a, b))
                    set_str(&m->end, a, 5);
                break;
            }
            case F_PLACE: set_str(&m->place, v, vn); break;
            case F_BODY: body_in(d, v, vn); break;
            case F_PRESENT: st = ATTENDEE_PRESENT; break;
            case F_AFBUD: st = ATTENDEE_AFBUD; break;
            case F_ABSENT: st = ATTENDEE_FRAVAERENDE; break;
            case F_SUBSTITUTE: st = ATTENDEE_STEDFORTRAEDER; break;
            }
            if (st >= 0) {
                attendance(m, v, vn, st);
                /* A list under its label: one name a line, up to a blank line. */
                while (!vn && i + 1 < end && !is_blank(&x->L[i + 1]) &&
                       !field(&x->L[i + 1], &v, &len) && x->L[i + 1].n <= 80) {
                    i++;
                    attendance(m, x->L[i].s, x->L[i].n, st);
                }
            }
            continue;
        }
        bool b = body_in(d, l->s, l->n);
        bool dt = false;
        if (!m->date && find_date(l->s, l->n, iso, &off, &dl)) {
            m->date = xstrdup(iso);
            set_times(m, l->s + off + dl, l->n - off - dl);
            dt = true;
        } else if (m->date && !m->start && (starts_word(l->s, l->n, "kl.") ||
                                            starts_word(l->s, l->n, "kl"))) {
            set_times(m, l->s, l->n);
            dt = true;
        }
        if (!used && !b && !dt && !d->kind && !m->date)
            continue; /* the municipality's name above the header */
        if (!used && !b && !dt)
            para_add(&notes, l);
    }
    d->notes = para_take(&notes);
    return 0;
}

/* --- items -------------------------------------------------------------------------------- */

struct sec {
    int kind;
    char *name;
    struct para p;
    struct decision *dec;
};

static void flush(struct ctx *x, struct case_doc *c, struct sec *s)
{
    char *text = para_take(&s->p);
    switch (s->kind) {
    case H_PRESENTATION:
        if (!c->presentation && (!s->name || strcmp(s->name, "") != 0)) {
            c->presentation = text;
            text = NULL;
            break;
        }
        /* A second presentation-like section keeps its name. */
        __attribute__((fallthrough));
    case H_EXTRA: {
        if (!s->name && !text)
            break;
        struct section *sec = case_add_section(c);
        sec->name = s->name ? s->name : xstrdup("");
        s->name = NULL;
        sec->text = text;
        text = NULL;
        break;
    }
    case H_RECOMMENDATION:
        if (!c->recommendation) {
            c->recommendation = text;
            text = NULL;
        } else {
            struct section *sec = case_add_section(c);
            sec->name = s->name ? s->name : xstrdup("Indstilling");
            s->name = NULL;
            sec->text = text;
            text = NULL;
        }
        break;
    case H_DECISION:
        if (text) {
            struct entry *en = decision_add_entry(s->dec);
            en->title = xstrdup(c->title);
            en->text = text;
            text = NULL;
        }
        break;
    }
    (void)x;
    free(text);
    free(s->name);
    s->name = NULL;
}

static void open_section(struct ctx *x, struct case_doc *c, struct sec *s, struct head *h)
{
    flush(x, c, s);
    s->kind = h->kind;
    s->name = h->name;
    h->name = NULL;
    if (h->kind == H_DECISION) {
        s->dec = case_add_decision(c);
        s->dec->body = h->body ? h->body : xstrdup(x->d->body ? x->d->body : "");
        h->body = NULL;
        s->dec->date = xstrdup(h->date[0] ? h->date : x->d->meeting->date);
    }
    if (h->rest)
        para_text(&s->p, h->rest, h->nrest);
}

static int parse_item(struct ctx *x, size_t from, size_t to, const struct item_start *st)
{
    struct meeting_item *it = meeting_doc_add_item(x->d);
    struct case_doc *c = it->c;
    it->number = st->number[0] ? xstrdup(st->number) : NULL;
    it->kind = st->kind[0] ? xstrdup(st->kind) : NULL;
    it->line = x->L[from].line;
    c->title = xstrndup(st->title, st->ntitle);
    int status = st->closed >= 0 ? !st->closed : -1; /* 1 open, 0 closed, -1 not said */
    int group = x->status; /* a group header inside the item is for the items after it */
    struct sec s = {H_NONE, NULL, {BUF_INIT, false}, NULL};
    struct para lead = {BUF_INIT, false};
    bool preamble = true;
    for (size_t i = from + 1; i < to; i++) {
        struct ln *l = &x->L[i];
        if (l->drop)
            continue;
        if (is_blank(l)) {
            if (preamble)
                para_add(&lead, l);
            else
                para_add(&s.p, l);
            continue;
        }
        const struct word *g = whole(groups, COUNT(groups), l->s, l->n);
        if (g) {
            x->status = g->kind; /* for the items that follow */
            continue;
        }
        if (preamble) {
            struct item_start again = {.title = l->s, .ntitle = l->n, .closed = -1};
            take_suffixes(&again);
            if (again.ntitle == st->ntitle && memcmp(l->s, st->title, st->ntitle) == 0)
                continue; /* the title repeated */
            int mark = -1;
            if (ref_line(c, l->s, l->n, &mark)) {
                if (mark >= 0)
                    status = mark;
                continue;
            }
            if (l->n == 3 && l->s[0] == '(' && l->s[2] == ')') {
                free(it->kind);
                it->kind = xstrndup(l->s + 1, 1);
                continue;
            }
        }
        struct head h;
        if (heading(l, &h)) {
            preamble = false;
            open_section(x, c, &s, &h);
            head_fini(&h);
            continue;
        }
        if (preamble)
            para_add(&lead, l);
        else
            para_add(&s.p, l);
    }
    flush(x, c, &s);
    char *lt = para_take(&lead);
    if (lt && !c->presentation) {
        c->presentation = lt;
    } else if (lt) {
        struct section *sec = case_add_section(c);
        sec->name = xstrdup("");
        sec->text = lt;
    }
    c->public = status >= 0 ? status : group >= 0 ? group : 1;
    return 0;
}

/* --- whole document ----------------------------------------------------------------------- */

static bool ending(const struct ln *l)
{
    size_t len;
    return longest(endings, COUNT(endings), l->s, l->n, &len) != NULL;
}

static long num(const char *s)
{
    return *s ? strtol(s, NULL, 10) : -1;
}

/* A second meeting's header after the first item: a document kind on a line of its own
 * (or leading it) and, within a few lines, a date other than the meeting's. */
static size_t second_meeting(struct ctx *x, size_t from, size_t to, char iso[11])
{
    for (size_t i = from; i < to; i++) {
        struct ln *l = &x->L[i];
        size_t len;
        if (l->drop || !longest(dockinds, COUNT(dockinds), l->s, l->n, &len) || l->n > 120)
            continue;
        for (size_t k = i; k < to && k < i + 6; k++) {
            size_t off, dl;
            if (!x->L[k].drop && find_date(x->L[k].s, x->L[k].n, iso, &off, &dl))
                return x->d->meeting->date && strcmp(iso, x->d->meeting->date) != 0 ? i : to;
        }
    }
    return to;
}

int meeting_parse(const struct mtext *t, int flags, struct meeting_doc **out, struct err *e,
                  struct warnings *w)
{
    struct ctx x = {.flags = flags, .t = t, .e = e, .w = w, .status = -1, .default_open = -1};
    int rc = -1;
    *out = NULL;
    x.nl = t->n;
    x.L = xcalloc(t->n + 1, sizeof *x.L);
    x.d = meeting_doc_new();
    for (size_t i = 0; i < t->n; i++) {
        struct ln *l = &x.L[i];
        normalise(l, mtext_at(t, i), t->v[i].len);
        l->line = t->v[i].line;
        l->page = t->v[i].page;
        l->flags = t->v[i].flags;
        l->drop = l->n && whole(chrome, COUNT(chrome), l->s, l->n) != NULL;
    }
    /* The item starts, with a table of contents (the same numbers again later) left out. */
    struct cand {
        size_t li;
        struct item_start st;
    } *cv = NULL;
    size_t nc = 0, cap = 0;
    for (size_t i = 0; i < x.nl; i++) {
        struct item_start st;
        if (x.L[i].drop || !item_start(&x.L[i], &st))
            continue;
        if (!st.strong) {
            /* A numbered line counts after a blank line (or at the start), not inside a
             * list of the text. */
            size_t p = i;
            while (p > 0 && x.L[p - 1].drop)
                p--;
            if (p > 0 && !is_blank(&x.L[p - 1]) && !(x.L[p - 1].flags & ML_HEADING)) {
                struct item_start pst;
                struct head h;
                bool ok = item_start(&x.L[p - 1], &pst) ||
                          whole(groups, COUNT(groups), x.L[p - 1].s, x.L[p - 1].n);
                if (!ok && heading(&x.L[p - 1], &h))
                    ok = true, head_fini(&h);
                if (!ok)
                    continue;
            }
        }
        if (nc == cap)
            cv = xrealloc(cv, (cap = cap ? 2 * cap : 16) * sizeof *cv);
        cv[nc++] = (struct cand){i, st};
    }
    /* A table of contents: entries with page numbers, or entries with nothing under them
     * whose numbers come again later. */
    for (size_t i = 0; i < nc; i++) {
        if (!cv[i].st.number[0] || cv[i].st.toc)
            continue;
        size_t to = i + 1 < nc ? cv[i + 1].li : x.nl;
        bool body = false;
        for (size_t k = cv[i].li + 1; k < to && !body; k++)
            body = !x.L[k].drop && !is_blank(&x.L[k]) &&
                   !whole(groups, COUNT(groups), x.L[k].s, x.L[k].n);
        for (size_t k = i + 1; k < nc && !body && !cv[i].st.toc; k++)
            if (strcmp(cv[k].st.number, cv[i].st.number) == 0)
                cv[i].st.toc = true;
    }
    size_t na = 0;
    long last = -1;
    size_t stop = x.nl;
    for (size_t i = 0; i < nc; i++) {
        if (cv[i].st.toc) {
            x.L[cv[i].li].drop = true;
            continue;
        }
        long v = num(cv[i].st.number);
        bool ok = v < 0 || last < 0 || (v > last && (cv[i].st.strong || v - last <= 30));
        if (!ok)
            continue;
        if (v >= 0)
            last = v;
        cv[na++] = cv[i];
    }
    if (na == 0) {
        if (problem(&x, x.nl ? x.nl - 1 : 0,
                    "expected numbered agenda items (\"1. Title\", \"Punkt 1 Title\", "
                    "\"Pkt. 1 Title\")") < 0)
            goto done;
    }
    if (parse_header(&x, na ? cv[0].li : x.nl) < 0)
        goto done;
    struct meeting *m = x.d->meeting;
    if (!m->date && problem(&x, 0, "expected the meeting's date in the header (\"Tirsdag den 22. "
                                   "januar 2019\", \"04-06-2020\")") < 0)
        goto done;
    if (!x.d->body && problem(&x, 0, "expected the name of the board in the header "
                                     "(\"Økonomiudvalget\", \"Byrådet\")") < 0)
        goto done;
    /* One meeting per document. */
    if (na) {
        char iso[11];
        size_t sm = second_meeting(&x, cv[0].li + 1, x.nl, iso);
        if (sm < x.nl) {
            if (problem(&x, sm, "expected one meeting per document: a second meeting (%s) "
                                "starts here", iso) < 0)
                goto done;
            stop = sm;
            while (na && cv[na - 1].li >= stop)
                na--;
        }
    }
    /* The closing lines ("Mødet hævet kl. 19.15", "Underskrifter") end the last item. */
    size_t last_end = stop;
    for (size_t i = na ? cv[na - 1].li + 1 : stop; i < stop; i++)
        if (!x.L[i].drop && ending(&x.L[i])) {
            last_end = i;
            set_times(m, x.L[i].s, x.L[i].n);
            if (m->start && m->end == NULL) {
                char a[6], b[6];
                if (find_times(x.L[i].s, x.L[i].n, a, b) && strcmp(a, m->start) != 0)
                    m->end = xstrdup(a);
            }
            break;
        }
    if (last_end < stop && m->start && !m->end) {
        char a[6], b[6];
        if (find_times(x.L[last_end].s, x.L[last_end].n, a, b))
            m->end = xstrdup(a);
    }
    for (size_t i = 0; i < na; i++) {
        size_t to = i + 1 < na ? cv[i + 1].li : last_end;
        if (parse_item(&x, cv[i].li, to, &cv[i].st) < 0)
            goto done;
    }
    for (size_t i = 0; i + 1 < x.d->nitems; i++)
        for (size_t k = i + 1; k < x.d->nitems; k++)
            if (x.d->items[i].number && x.d->items[k].number &&
                strcmp(x.d->items[i].number, x.d->items[k].number) == 0 &&
                problem(&x, cv[k].li, "expected item %s once, found it again",
                        x.d->items[k].number) < 0)
                goto done;
    /* Cut off: the last item stops mid-sentence, or lacks the decision every other item of
     * the minutes has. */
    if (na && last_end == stop) {
        size_t li = stop;
        while (li > cv[na - 1].li && (x.L[li - 1].drop || is_blank(&x.L[li - 1])))
            li--;
        if (li > cv[na - 1].li + 1) {
            const struct ln *l = &x.L[li - 1];
            unsigned char z = (unsigned char)l->s[l->n - 1];
            size_t words = 1;
            for (size_t k = 0; k < l->n; k++)
                words += l->s[k] == ' ';
            bool mid = (z == ',' || z == '-' || (z >= 'a' && z <= 'z') || z >= 0x80) &&
                       words >= 4;
            struct head h;
            if (mid && heading(l, &h)) {
                mid = false;
                head_fini(&h);
            }
            if (mid && problem(&x, li - 1, "expected the last item to end with a full sentence "
                                           "(is the document cut off?)") < 0)
                goto done;
        }
    }
    if (x.d->nitems >= 2) {
        size_t with = 0;
        for (size_t i = 0; i + 1 < x.d->nitems; i++)
            with += x.d->items[i].c->ndecisions > 0;
        if (with == x.d->nitems - 1 && x.d->items[x.d->nitems - 1].c->ndecisions == 0 &&
            problem(&x, stop ? stop - 1 : 0, "expected a decision in the last item, as in every "
                                             "other (is the document cut off?)") < 0)
            goto done;
    }
    if (t->declared > t->pages &&
        problem(&x, x.nl ? x.nl - 1 : 0, "expected %u pages, as the page footers say, found %u "
                                         "(is the document cut off?)", t->declared, t->pages) < 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < x.nl; i++)
        free(x.L[i].s);
    free(x.L);
    free(cv);
    if (rc < 0) {
        meeting_doc_free(x.d);
        return ERR_SYNTAX;
    }
    *out = x.d;
    return 0;
}

/* --- lines -------------------------------------------------------------------------------- */

void mtext_add(struct mtext *t, const char *p, size_t n, unsigned line, unsigned page,
               unsigned flags)
{
    if (t->n == t->cap)
        t->v = xrealloc(t->v, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof *t->v);
    /* No NUL inside a line: the grammar reads lines as strings. */
    size_t off = t->text.len;
    for (size_t i = 0; i < n; i++)
        buf_putc(&t->text, p[i] ? p[i] : ' ');
    buf_putc(&t->text, '\0');
    t->v[t->n++] = (struct mline){off, n, line, page, flags};
}

void mtext_fini(struct mtext *t)
{
    buf_free(&t->text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

const char *mtext_at(const struct mtext *t, size_t i)
{
    return t->text.ptr + t->v[i].off;
}
