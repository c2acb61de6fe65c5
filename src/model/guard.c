/* guard: finding CPR numbers and template help texts in what would be published (guard.h). */
#include "guard.h"
#include "library.h"
#include "../util/date.h"
#include "../util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* ---- a case's texts, in reading order ---- */

struct walk {
    const char *const *help;
    size_t nhelp;
    struct guard_hit *hit;
};

static bool check(struct walk *w, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool check(struct walk *w, const char *text, const char *fmt, ...)
{
    size_t off = 0, len, n = text ? strlen(text) : 0;
    const char *rule = NULL;
    if (!n)
        return false;
    if (guard_cpr_find(text, n, &off, &len)) {
        rule = "et CPR-nummer";
    } else {
        /* The library's own rule (one detector for the store and the guard alike). */
        struct library_help_hit lh;
        if (library_holds_help(text, w->help, w->nhelp, &lh)) {
            rule = "skabelonens hjælpetekst";
            off = lh.offset;
        }
    }
    if (!rule)
        return false;
    w->hit->rule = rule;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->hit->field, sizeof w->hit->field, fmt, ap);
    va_end(ap);
    utf8_position(text, off, &w->hit->line, &w->hit->col);
    return true;
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

bool guard_case(const struct case_doc *c, const char *const *help, size_t nhelp,
                struct guard_hit *hit)
{
    struct walk w = {help, nhelp, hit};
    char where[32];
    /* A closed case's public view holds its public title as the title. */
    if (check(&w, c->title, c->public ? "Titel" : "Offentlig titel") ||
        check(&w, c->public_title, "Offentlig titel") ||
        check(&w, c->public_text, "Offentlig beskrivelse"))
        return true;
    for (size_t i = 0; i < c->nroute; i++)
        if (check(&w, c->route[i], "Sagsgang"))
            return true;
    for (size_t i = 0; i < c->nrefs; i++)
        if (check(&w, c->refs[i].value, "Sagsnummer %zu", i + 1))
            return true;
    if (guests(&w, c->guests, c->nguests, "Sagen") ||
        check(&w, c->presentation, "Sagsfremstilling") ||
        check(&w, c->intro, "Tidsplanens indledning"))
        return true;
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        snprintf(where, sizeof where, "Punkt %zu", i + 1);
        if (check(&w, s->time, "%s, tid", where) || check(&w, s->title, "%s, titel", where) ||
            check(&w, s->text, "%s, tekst", where) || guests(&w, s->guests, s->nguests, where))
            return true;
    }
    for (size_t i = 0; i < c->nsections; i++)
        if (check(&w, c->sections[i].name, "Afsnit %zu, overskrift", i + 1) ||
            check(&w, c->sections[i].text, "Afsnit %zu, tekst", i + 1))
            return true;
    if (check(&w, c->recommendation, "Indstilling"))
        return true;
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        if (check(&w, d->text, "Beslutning %zu", i + 1))
            return true;
        for (size_t k = 0; k < d->nentries; k++)
            if (check(&w, d->entries[k].title, "Beslutning %zu, punkt %zu, titel", i + 1, k + 1) ||
                check(&w, d->entries[k].text, "Beslutning %zu, punkt %zu, tekst", i + 1, k + 1))
                return true;
    }
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        if (check(&w, a->title, "Bilag %u, titel", a->number) ||
            check(&w, a->journal, "Bilag %u, journalnummer", a->number) ||
            check(&w, a->flag, "Bilag %u, markering", a->number) ||
            check(&w, a->document, "Bilag %u, dokumentnummer", a->number))
            return true;
    }
    return false;
}
