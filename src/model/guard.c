/* guard: finding CPR numbers and template help texts in what would be published (guard.h). */
#include "guard.h"
#include "library.h"
#include "../util/date.h"
#include "../util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- CPR numbers ---- */

/* How a CPR number is written: D, M, Y (the date), S (the serial number) are digits, other
 * characters stand for themselves. */
static const char *const cpr_shapes[] = {
    "DDMMYY-SSSS",
    "DDMMYYSSSS",
};

/* The century of a two-digit birth year, told by the serial number's first digit (CPR-kontoret,
 * "Personnummeret i CPR-systemet"): digit range, year range, century. */
static const struct {
    char lo, hi;
    int yy_lo, yy_hi;
    int century;
} centuries[] = {
    {'0', '3', 0, 99, 1900},
    {'4', '4', 0, 36, 2000}, {'4', '4', 37, 99, 1900},
    {'5', '8', 0, 57, 2000}, {'5', '8', 58, 99, 1800},
    {'9', '9', 0, 36, 2000}, {'9', '9', 37, 99, 1900},
};

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Does text[at..n) begin with shape? Fills the date's parts and the serial's first digit. */
static bool shape_at(const char *shape, const char *text, size_t n, size_t at, int *d, int *m,
                     int *y, char *serial)
{
    size_t k = 0;
    *d = *m = *y = 0;
    *serial = 0;
    for (; shape[k]; k++) {
        if (at + k >= n)
            return false;
        char c = text[at + k], s = shape[k];
        if (s == 'D' || s == 'M' || s == 'Y' || s == 'S') {
            if (!digit(c))
                return false;
            int v = c - '0';
            if (s == 'D')
                *d = *d * 10 + v;
            else if (s == 'M')
                *m = *m * 10 + v;
            else if (s == 'Y')
                *y = *y * 10 + v;
            else if (!*serial)
                *serial = c;
        } else if (c != s) {
            return false;
        }
    }
    /* A digit right after makes it a longer number. */
    return !(at + k < n && digit(text[at + k]));
}

static bool date_exists(int d, int m, int yy, char serial)
{
    for (size_t i = 0; i < sizeof centuries / sizeof centuries[0]; i++)
        if (serial >= centuries[i].lo && serial <= centuries[i].hi && yy >= centuries[i].yy_lo &&
            yy <= centuries[i].yy_hi)
            return date_valid(centuries[i].century + yy, m, d);
    return false;
}

bool guard_cpr_find(const char *text, size_t n, size_t *off, size_t *len)
{
    for (size_t i = 0; i < n; i++) {
        if (!digit(text[i]) || (i > 0 && digit(text[i - 1])))
            continue;
        for (size_t k = 0; k < sizeof cpr_shapes / sizeof cpr_shapes[0]; k++) {
            int d, m, y;
            char serial;
            if (shape_at(cpr_shapes[k], text, n, i, &d, &m, &y, &serial) &&
                date_exists(d, m, y, serial)) {
                *off = i;
                *len = strlen(cpr_shapes[k]);
                return true;
            }
        }
    }
    return false;
}

/* ---- a closed bilag quoted in open text (issue 9, publication) ---- */

static bool word_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c >= 0x80;
}

/* The first place needle stands in text as a whole (no letter or digit glued to either
 * end), compared without regard to ASCII case. */
static bool quoted_at(const char *text, size_t n, const char *needle, size_t *off)
{
    size_t k = strlen(needle);
    if (k == 0 || k > n)
        return false;
    for (size_t i = 0; i + k <= n; i++) {
        if (strncasecmp(text + i, needle, k) != 0)
            continue;
        bool before = i > 0 && word_char((unsigned char)text[i - 1]) &&
                      word_char((unsigned char)needle[0]);
        bool after = i + k < n && word_char((unsigned char)text[i + k]) &&
                     word_char((unsigned char)needle[k - 1]);
        if (!before && !after) {
            *off = i;
            return true;
        }
    }
    return false;
}

/* A closed bilag's title or numbers are worth looking for when they cannot be ordinary words:
 * a title of GUARD_MIN_TITLE characters or more, a number with GUARD_MIN_DIGITS digits. */
enum { GUARD_MIN_TITLE = 12, GUARD_MIN_DIGITS = 4 };

static bool number_worth(const char *v)
{
    size_t d = 0;
    for (; v && *v; v++)
        d += digit(*v);
    return d >= GUARD_MIN_DIGITS;
}

static bool closed_ref_find(const char *text, size_t n, const struct case_doc *full,
                            size_t *off)
{
    if (!full)
        return false;
    for (size_t i = 0; i < full->nattachments; i++) {
        const struct attachment *a = &full->attachments[i];
        if (a->public)
            continue;
        if ((a->title && utf8_chars(a->title, strlen(a->title)) >= GUARD_MIN_TITLE &&
             quoted_at(text, n, a->title, off)) ||
            (number_worth(a->journal) && quoted_at(text, n, a->journal, off)) ||
            (number_worth(a->document) && quoted_at(text, n, a->document, off)))
            return true;
    }
    return false;
}

/* ---- a case's texts, in reading order ---- */

struct walk {
    const char *const *help;
    size_t nhelp;
    const struct case_doc *full; /* closed bilag to look for, or NULL */
    bool open_text;              /* the field is open text (not a bilag's own line) */
    struct guard_hit *hits;      /* room for max */
    size_t max, n;               /* n: found so far (may pass max) */
    bool all;                    /* go on after the first */
};

static bool done(const struct walk *w)
{
    return !w->all && w->n > 0;
}

static void hit(struct walk *w, const char *rule, const char *text, size_t off, const char *fmt,
                va_list ap)
{
    if (w->n < w->max) {
        struct guard_hit *h = &w->hits[w->n];
        h->rule = rule;
        vsnprintf(h->field, sizeof h->field, fmt, ap);
        if (text)
            utf8_position(text, off, &h->line, &h->col);
        else
            h->line = h->col = 1;
    }
    w->n++;
}

static bool check(struct walk *w, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Every rule on one field; true when the walk is to stop. */
static bool check(struct walk *w, const char *text, const char *fmt, ...)
{
    size_t off = 0, len, n = text ? strlen(text) : 0;
    if (!n || done(w))
        return done(w);
    const char *rules[3] = {NULL, NULL, NULL};
    size_t offs[3] = {0, 0, 0};
    if (guard_cpr_find(text, n, &off, &len)) {
        rules[0] = "et CPR-nummer";
        offs[0] = off;
    }
    /* The library's own rule (one detector for the store and the guard alike). */
    struct library_help_hit lh;
    if (library_holds_help(text, w->help, w->nhelp, &lh)) {
        rules[1] = "skabelonens hjælpetekst";
        offs[1] = lh.offset;
    }
    if (w->open_text && closed_ref_find(text, n, w->full, &off)) {
        rules[2] = "en henvisning til et lukket bilag";
        offs[2] = off;
    }
    for (size_t i = 0; i < 3 && !done(w); i++) {
        if (!rules[i])
            continue;
        va_list ap;
        va_start(ap, fmt);
        hit(w, rules[i], text, offs[i], fmt, ap);
        va_end(ap);
    }
    return done(w);
}

static void flag(struct walk *w, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void flag(struct walk *w, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hit(w, rule, NULL, 0, fmt, ap);
    va_end(ap);
}

static bool guests(struct walk *w, const struct guest *g, size_t n, const char *where)
{
    for (size_t i = 0; i < n; i++)
        if (check(w, g[i].name, "%s, deltager %zu, navn", where, i + 1) ||
            check(w, g[i].role, "%s, deltager %zu, rolle", where, i + 1) ||
            check(w, g[i].unit, "%s, deltager %zu, enhed", where, i + 1))
            return true;
    return false;
}

static bool blank(const char *t)
{
    for (; t && *t; t++)
        if (*t != ' ' && *t != '\n' && *t != '\t' && *t != '\r')
            return false;
    return true;
}

/* An empty decision: none at all, one with neither text nor entries, or an entry without
 * text (issue 9: the minutes must say what was decided). */
static void empty_decisions(struct walk *w, const struct case_doc *c)
{
    if (!c->ndecisions) {
        flag(w, "en tom beslutning", "Beslutning");
        return;
    }
    for (size_t i = 0; i < c->ndecisions && !done(w); i++) {
        const struct decision *d = &c->decisions[i];
        if (!d->nentries && blank(d->text))
            flag(w, "en tom beslutning", "Beslutning %zu", i + 1);
        for (size_t k = 0; k < d->nentries && !done(w); k++)
            if (blank(d->entries[k].text))
                flag(w, "en tom beslutning", "Beslutning %zu, punkt %zu, tekst", i + 1, k + 1);
    }
}

static void walk_case(struct walk *w, const struct case_doc *c, bool minutes)
{
    char where[32];
    w->open_text = true;
    /* A closed case's public view holds its public title as the title. */
    if (check(w, c->title, c->public ? "Titel" : "Offentlig titel") ||
        check(w, c->public_title, "Offentlig titel") ||
        check(w, c->public_text, "Offentlig beskrivelse") ||
        check(w, c->public ? NULL : c->public_decision, "Offentlig beslutning"))
        return;
    for (size_t i = 0; i < c->nroute; i++)
        if (check(w, c->route[i], "Sagsgang"))
            return;
    for (size_t i = 0; i < c->nrefs; i++)
        if (check(w, c->refs[i].value, "Sagsnummer %zu", i + 1))
            return;
    if (guests(w, c->guests, c->nguests, "Sagen") ||
        check(w, c->presentation, "Sagsfremstilling") ||
        check(w, c->intro, "Tidsplanens indledning"))
        return;
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        snprintf(where, sizeof where, "Punkt %zu", i + 1);
        if (check(w, s->time, "%s, tid", where) || check(w, s->title, "%s, titel", where) ||
            check(w, s->text, "%s, tekst", where) || guests(w, s->guests, s->nguests, where))
            return;
    }
    for (size_t i = 0; i < c->nsections; i++)
        if (check(w, c->sections[i].name, "Afsnit %zu, overskrift", i + 1) ||
            check(w, c->sections[i].text, "Afsnit %zu, tekst", i + 1))
            return;
    if (check(w, c->recommendation, "Indstilling"))
        return;
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        if (check(w, d->text, "Beslutning %zu", i + 1))
            return;
        for (size_t k = 0; k < d->nentries; k++)
            if (check(w, d->entries[k].title, "Beslutning %zu, punkt %zu, titel", i + 1, k + 1) ||
                check(w, d->entries[k].text, "Beslutning %zu, punkt %zu, tekst", i + 1, k + 1))
                return;
    }
    if (minutes && c->public)
        empty_decisions(w, c);
    /* A bilag's own line names it: only CPR numbers and help text count there. */
    w->open_text = false;
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        if (check(w, a->title, "Bilag %u, titel", a->number) ||
            check(w, a->journal, "Bilag %u, journalnummer", a->number) ||
            check(w, a->flag, "Bilag %u, markering", a->number) ||
            check(w, a->document, "Bilag %u, dokumentnummer", a->number))
            return;
    }
}

bool guard_case(const struct case_doc *c, const char *const *help, size_t nhelp,
                struct guard_hit *out)
{
    struct walk w = {.help = help, .nhelp = nhelp, .hits = out, .max = 1};
    walk_case(&w, c, false);
    return w.n > 0;
}

size_t guard_case_all(const struct case_doc *pub, const struct guard_scope *g,
                      struct guard_hit *hits, size_t max)
{
    struct walk w = {.help = g->help, .nhelp = g->nhelp, .full = g->full, .hits = hits,
                     .max = max, .all = true};
    walk_case(&w, pub, g->minutes);
    return w.n;
}
