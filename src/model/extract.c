/* extract: guests, follow-ups and dates read out of a case's Danish text (rules in
 * docs/extraction.md). */
#include "extract.h"
#include "../util/buf.h"
#include "../util/date.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Owner and guest phrases are short; these bounds keep the work per sentence constant, so
 * a whole case costs time linear in its size. */
#define MAXTOK 24    /* tokens looked at from the start of a sentence */
#define MAXPHRASE 14 /* tokens in an owner or guest phrase */
#define MAXNAME 4    /* words in a name */
#define MAXWORD 64   /* longer tokens are never names, roles or units */
_Static_assert(MAXTOK < 32, "parse_many keeps a 32-bit set of token positions");

/* --- words ------------------------------------------------------------------------------ */

struct tok {
    const char *p;
    size_t n;   /* without a trailing comma */
    bool comma; /* a comma followed the word */
};

/* Lower-cases ASCII and the Latin-1 capitals (UTF-8 C3 80..C3 9E) of a word into out, which
 * has room for MAXWORD bytes. Returns false when the word is too long. */
static bool lower(const struct tok *t, char out[MAXWORD + 1])
{
    if (t->n > MAXWORD)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        unsigned char c = (unsigned char)t->p[i];
        if (c >= 'A' && c <= 'Z')
            c |= 0x20;
        else if (i > 0 && (unsigned char)t->p[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E && c != 0x97)
            c += 0x20;
        out[i] = (char)c;
    }
    out[t->n] = '\0';
    return true;
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

static bool in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

static bool upper_at(const char *p, size_t n)
{
    unsigned char c = (unsigned char)p[0];
    if (c >= 'A' && c <= 'Z')
        return true;
    return n >= 2 && c == 0xC3 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9E &&
           (unsigned char)p[1] != 0x97;
}

static bool has_lower(const struct tok *t)
{
    for (size_t i = 0; i < t->n; i++) {
        unsigned char c = (unsigned char)t->p[i];
        if ((c >= 'a' && c <= 'z') ||
            (i > 0 && (unsigned char)t->p[i - 1] == 0xC3 && c >= 0x9F && c <= 0xBF))
            return true;
    }
    return false;
}

/* Letters (any non-ASCII byte counts as part of a letter), hyphens and apostrophes. */
static bool lettery(const struct tok *t)
{
    for (size_t i = 0; i < t->n; i++) {
        unsigned char c = (unsigned char)t->p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || c == '-' ||
              c == '\''))
            return false;
    }
    return t->n > 0;
}

/* 1: a role word ("Jurist", "økonomichef", "Udviklingskonsulent"); 2: its definite form
 * ("økonomichefen"); 0: neither. */
static int role_word(const struct tok *t)
{
    static const char *const suffixes[] = {
        "chef",         "konsulent",  "direktør", "medarbejder", "jurist",     "leder",
        "koordinator",  "sekretær",   "rådgiver", "specialist",  "fuldmægtig", "økonom",
        "controller",   "borgmester", "formand",  "analytiker",  "arkitekt",   "assistent",
        "psykolog",     "revisor",    "ingeniør", "udvikler",    "advokat",    "tovholder",
        "repræsentant", "partner",    "minister", NULL};
    char w[MAXWORD + 1];
    if (!lettery(t) || !lower(t, w))
        return 0;
    size_t n = t->n;
    for (const char *const *s = suffixes; *s; s++) {
        if (ends_with(w, n, *s))
            return 1;
        if (n > 2 && ends_with(w, n, "en") && ends_with(w, n - 2, *s))
            return 2;
    }
    return 0;
}

/* A word that names an organisational unit rather than a person. */
static bool unit_word(const struct tok *t)
{
    static const char *const suffixes[] = {
        "ering",       "service",    "sekretariat", "sekretariatet", "forvaltning", "forvaltningen",
        "afdeling",    "afdelingen", "center",      "centret",       "centeret",    "enhed",
        "enheden",     "kontor",     "kontoret",    "udvalg",        "udvalget",    "direktion",
        "direktionen", "stab",       "staben",      "gruppe",        "gruppen",     "område",
        "området",     "team",       "teamet",      "ledelse",       "ledelsen",    "kommune",
        "kommunen",    "kommunes",   "region",      "regionen",      "rådet",       "bestyrelse",
        "bestyrelsen", "sektion",    "sektionen",   "funktion",      "funktionen",  "forum",
        "huset",       "skolen",     "institution", "institutionen", NULL};
    char w[MAXWORD + 1];
    if (!lower(t, w))
        return false;
    for (const char *const *s = suffixes; *s; s++)
        if (ends_with(w, t->n, *s))
            return true;
    return false;
}

/* "IT", "HR", "ØK": two to six capitals (digits allowed after the first). */
static bool acronym(const struct tok *t)
{
    size_t letters = 0;
    if (t->n < 2 || t->n > 12 || !upper_at(t->p, t->n))
        return false;
    for (size_t i = 0; i < t->n; i++) {
        unsigned char c = (unsigned char)t->p[i];
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            letters++;
        } else if (c == 0xC3 && i + 1 < t->n && upper_at(t->p + i, t->n - i)) {
            letters++;
            i++;
        } else {
            return false;
        }
    }
    return letters >= 2 && letters <= 6;
}

/* Capitalised function words that start sentences but never names. */
static bool stop_word(const struct tok *t)
{
    static const char *const words[] = {
        "det",      "der",     "den",   "de",     "dem",      "dette",     "disse",    "denne",
        "han",      "hun",     "vi",    "jeg",    "man",      "i",         "på",       "til",
        "med",      "for",     "efter", "ved",    "som",      "alle",      "hvis",     "når",
        "men",      "og",      "eller", "både",   "her",      "da",        "nu",       "også",
        "under",    "om",      "af",    "fra",    "hos",      "mellem",    "inden",    "forud",
        "blandt",   "sammen",  "samt",  "derfor", "desuden",  "endvidere", "herefter", "derudover",
        "samtidig", "et",      "en",    "hvor",   "hvordan",  "hvad",      "hvem",     "hvorfor",
        "hvilke",   "punktet", "sagen", "mødet",  "oplægget", "forslaget", "bilag",    NULL};
    char w[MAXWORD + 1];
    return !lower(t, w) || in_list(w, words);
}

static bool name_word(const struct tok *t)
{
    if (t->n == 2 && t->p[0] >= 'A' && t->p[0] <= 'Z' && t->p[1] == '.' && !t->comma)
        return true; /* an initial: "Anna B. Hansen" */
    return t->n >= 2 && t->n <= MAXWORD && !t->comma && upper_at(t->p, t->n) && has_lower(t) &&
           lettery(t) && !role_word(t) && !unit_word(t) && !stop_word(t);
}

/* Compares with a lower-case word, folding ASCII capitals only. */
static bool word_is(const struct tok *t, const char *w)
{
    size_t k = strlen(w);
    if (t->n != k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = t->p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c | 0x20);
        if (c != w[i])
            return false;
    }
    return true;
}

/* The word without trailing sentence punctuation ("op." is "op"). */
static bool word_is_bare(const struct tok *t, const char *w)
{
    struct tok b = *t;
    while (b.n > 0 && strchr(".;:!?)", b.p[b.n - 1]))
        b.n--;
    return word_is(&b, w);
}

static bool word_starts(const struct tok *t, const char *prefix)
{
    size_t k = strlen(prefix);
    return t->n >= k && strncmp(t->p, prefix, k) == 0;
}

/* --- owner and guest phrases ------------------------------------------------------------ */

/* One person, unit or position read from a phrase; the spans point into the sentence. */
struct who {
    const char *name; /* a person's name, or NULL */
    size_t nname;
    const char *role; /* the person's role as written, or NULL */
    size_t nrole;
    const char *unit; /* a unit or a position without a name, or NULL */
    size_t nunit;
};

static void span(const struct tok *t, size_t a, size_t b, const char **p, size_t *n)
{
    *p = t[a].p;
    *n = (size_t)(t[b - 1].p + t[b - 1].n - t[a].p);
}

/* A role: [modifier] role-word [preposition words...]. No role word may follow the
 * preposition: "chef for X og økonomichef Y" is two owners, not one role. */
static bool role_phrase(const struct tok *t, size_t a, size_t b, bool need_prep)
{
    static const char *const modifiers[] = {"konstitueret", "fungerende", "administrerende",
                                            "nyansat",      "ny",         "tidligere",
                                            "midlertidig",  NULL};
    static const char *const preps[] = {"for", "af", "i", "ved", "på", "til", "over", "med", NULL};
    char w[MAXWORD + 1];
    size_t i = a;
    if (i < b && lower(&t[i], w) && in_list(w, modifiers) && !t[i].comma)
        i++;
    if (i >= b || role_word(&t[i]) != 1 || t[i].comma)
        return false;
    i++;
    if (i == b)
        return !need_prep;
    if (!lower(&t[i], w) || !in_list(w, preps) || t[i].comma)
        return false;
    if (++i == b)
        return false;
    for (; i < b; i++)
        if (role_word(&t[i]) == 1)
            return false;
    return true;
}

/* One owner in t[a..b): a name with an optional role, or (unless need_name) a unit or a
 * position such as "chef for Ledelsessekretariatet". */
static bool parse_one(const struct tok *t, size_t a, size_t b, bool need_name, bool comma_ok,
                      struct who *out)
{
    if (b <= a || b - a > MAXPHRASE || (t[b - 1].comma && !comma_ok))
        return false;
    memset(out, 0, sizeof *out);
    struct tok last = t[b - 1];
    last.comma = false;
    /* The name is the trailing run of name words; the last word may carry the comma of a
     * list ("Tonny Olsen, ..."), which name_word would refuse. */
    size_t k = b;
    while (k > a && b - k < MAXNAME && name_word(k == b ? &last : &t[k - 1]))
        k--;
    if (b - k >= 2 && (k == a || role_phrase(t, a, k, false))) {
        span(t, k, b, &out->name, &out->nname);
        if (k > a)
            span(t, a, k, &out->role, &out->nrole);
        return true;
    }
    if (need_name)
        return false;
    if (b - a == 1 && (unit_word(&last) || acronym(&last) || role_word(&last) == 2) &&
        upper_at(last.p, last.n)) {
        span(t, a, b, &out->unit, &out->nunit);
        return true;
    }
    if (b - a >= 3 && role_phrase(t, a, b, true)) {
        span(t, a, b, &out->unit, &out->nunit);
        return true;
    }
    return false;
}

struct whos {
    struct who v[MAXPHRASE];
    size_t n;
};

/* All owners in t[a..b), joined by "og", "samt" or commas. A split is taken only when
 * every part parses on its own, so commas and "og" inside a role stay there. failed marks
 * the starts already known not to parse up to b, which keeps the search polynomial. */
static bool parse_many(const struct tok *t, size_t a, size_t b, bool need_name, struct whos *out,
                       uint32_t *failed)
{
    struct who w;
    if (*failed & (UINT32_C(1) << a))
        return false;
    if (parse_one(t, a, b, need_name, false, &w)) {
        out->v[out->n++] = w;
        return true;
    }
    for (size_t s = a + 1; s < b; s++) {
        bool conj = word_is(&t[s], "og") || word_is(&t[s], "samt");
        if (!conj && !t[s - 1].comma)
            continue;
        size_t mark = out->n;
        if (!parse_one(t, a, s, need_name, true, &w))
            continue;
        out->v[out->n++] = w;
        if (parse_many(t, conj ? s + 1 : s, b, need_name, out, failed))
            return true;
        out->n = mark;
    }
    *failed |= UINT32_C(1) << a;
    return false;
}

/* The owners in front of the verb at t[v]. */
static bool owners(const struct tok *t, size_t v, bool need_name, struct whos *out)
{
    uint32_t failed = 0;
    out->n = 0;
    return parse_many(t, 0, v, need_name, out, &failed);
}

/* --- sentences -------------------------------------------------------------------------- */

static bool lower_at(const char *p, size_t n)
{
    unsigned char c = (unsigned char)p[0];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return n >= 2 && c == 0xC3 && (unsigned char)p[1] >= 0x9F && (unsigned char)p[1] <= 0xBF &&
           (unsigned char)p[1] != 0xB7;
}

/* True when the "." at t[i] closes an abbreviation that does not end a sentence ("bl.a.",
 * "jf.", "d.") or an initial ("Anna B. Hansen"). */
static bool abbreviation(const char *t, size_t lo, size_t i)
{
    static const char *const words[] = {
        "d",  "jf",  "bl.a", "f.eks", "ift", "mht", "pga", "vedr", "inkl", "ekskl", "ca", "kl",
        "nr", "evt", "dvs",  "iht",   "hhv", "ang", "pkt", "jvf",  "tlf",  "att",   "fx", NULL};
    size_t j = i;
    while (j > lo && i - j < 8) {
        unsigned char c = (unsigned char)t[j - 1];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.'))
            break;
        j--;
    }
    if (i - j >= 8 || i == j || (j > lo && (unsigned char)t[j - 1] >= 0x80))
        return false;
    if (i - j == 1 && t[j] >= 'A' && t[j] <= 'Z')
        return true;
    char w[9];
    for (size_t k = 0; k < i - j; k++)
        w[k] = (char)(t[j + k] | 0x20);
    w[i - j] = '\0';
    return in_list(w, words);
}

/* The next sentence of t[*pos..n): a paragraph line, cut after ".", "!" or "?" when a blank
 * and something other than a lower-case letter or a digit follow. */
static bool next_sentence(const char *t, size_t n, size_t *pos, const char **sp, size_t *sn)
{
    size_t i = *pos;
    while (i < n) {
        unsigned char c = (unsigned char)t[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-' || c == '*') {
            i++;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)t[i + 1] == 0xA0) {
            i += 2;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)t[i + 1] == 0x80 &&
                   (unsigned char)t[i + 2] == 0xA2) {
            i += 3; /* a bullet */
        } else {
            break;
        }
    }
    if (i >= n) {
        *pos = n;
        return false;
    }
    size_t start = i, end = n;
    for (; i < n; i++) {
        char c = t[i];
        if (c == '\n' || c == '\r') {
            end = i;
            break;
        }
        if (c != '.' && c != '!' && c != '?')
            continue;
        size_t j = i + 1;
        while (j < n && (t[j] == ' ' || t[j] == '\t'))
            j++;
        if (j == i + 1 && j < n && t[j] != '\n' && t[j] != '\r')
            continue; /* "bl.a", "3.0": no blank after the stop */
        if (j < n && t[j] != '\n' && t[j] != '\r' && lower_at(t + j, n - j))
            continue;
        if (c == '.' && j < n && t[j] != '\n' && t[j] != '\r' && abbreviation(t, start, i))
            continue;
        end = i + 1;
        break;
    }
    *sp = t + start;
    *sn = end - start;
    *pos = end;
    return true;
}

static size_t blank(const char *s, size_t n, size_t i)
{
    if (s[i] == ' ' || s[i] == '\t')
        return 1;
    return (unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0 ? 2 : 0;
}

/* Splits the first MAXTOK words of a sentence at blanks. */
static size_t tokens(const char *s, size_t n, struct tok *t)
{
    size_t k = 0, i = 0, w;
    while (k < MAXTOK) {
        while (i < n && (w = blank(s, n, i)) > 0)
            i += w;
        if (i >= n)
            break;
        size_t a = i;
        while (i < n && !blank(s, n, i))
            i++;
        t[k].p = s + a;
        t[k].n = i - a;
        t[k].comma = t[k].n > 0 && s[i - 1] == ',';
        t[k].n -= t[k].comma;
        k++;
    }
    return k;
}

/* The last byte of a word, ASCII-folded: the verb lists below end in only a few letters, so
 * this rejects most words before they are folded and looked up. */
static bool ends_in(const struct tok *t, const char *letters)
{
    return t->n && strchr(letters, t->p[t->n - 1] | 0x20) != NULL;
}

/* --- guests ----------------------------------------------------------------------------- */

/* Where a guest verb starts, or 0: "deltager under", "deltog i behandlingen",
 * "præsenterede", "holdt oplæg", "var til stede". */
static size_t guest_verb(const struct tok *t, size_t nt)
{
    static const char *const verbs[] = {"præsenterede", "præsenterer", "fremlagde",
                                        "fremlægger",   "orienterede", "orienterer",
                                        "redegjorde",   "redegør",     NULL};
    static const char *const topics[] = {"behandling", "drøftelse", "punkt", "mødet", "møde", NULL};
    char w[MAXWORD + 1];
    for (size_t v = 2; v < nt && v <= MAXPHRASE; v++) {
        if (!ends_in(&t[v], "ergt") || !lower(&t[v], w))
            continue;
        if (in_list(w, verbs))
            return v;
        bool more = v + 1 < nt, more2 = v + 2 < nt;
        if (strcmp(w, "deltager") == 0 || strcmp(w, "deltog") == 0) {
            if (more && (word_is(&t[v + 1], "under") || word_is(&t[v + 1], "ved")))
                return v;
            if (more2 && (word_is(&t[v + 1], "i") || word_is(&t[v + 1], "på")))
                for (const char *const *p = topics; *p; p++)
                    if (word_starts(&t[v + 2], *p))
                        return v;
        }
        if ((strcmp(w, "holdt") == 0 || strcmp(w, "holder") == 0) && more &&
            (word_is_bare(&t[v + 1], "oplæg") ||
             (more2 && word_is(&t[v + 1], "et") && word_is_bare(&t[v + 2], "oplæg"))))
            return v;
        if ((strcmp(w, "var") == 0 || strcmp(w, "er") == 0) && more2 && word_is(&t[v + 1], "til") &&
            word_is_bare(&t[v + 2], "stede"))
            return v;
    }
    return 0;
}

/* Grows a local list by doubling; returns arr with room for element n, which is zeroed. */
static void *push(void *arr, size_t n, size_t *cap, size_t size)
{
    if (n == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        arr = xrealloc(arr, *cap * size);
    }
    memset((char *)arr + n * size, 0, size);
    return arr;
}

/* Guests found so far, each with the index of the sub-item it belongs to. */
struct pending {
    size_t sub;
    struct guest g;
};

struct gather {
    struct pending *v;
    size_t n, cap;
};

static void add_guests(struct gather *out, size_t sub, const char *text)
{
    if (!text)
        return;
    size_t n = strlen(text), pos = 0, sn;
    const char *sp;
    struct tok t[MAXTOK];
    while (next_sentence(text, n, &pos, &sp, &sn)) {
        size_t nt = tokens(sp, sn, t), v = guest_verb(t, nt);
        struct whos who;
        if (!v || !owners(t, v, true, &who))
            continue;
        for (size_t i = 0; i < who.n; i++) {
            out->v = push(out->v, out->n, &out->cap, sizeof *out->v);
            struct pending *p = &out->v[out->n++];
            p->sub = sub;
            p->g.name = xstrndup(who.v[i].name, who.v[i].nname);
            p->g.role = who.v[i].role ? xstrndup(who.v[i].role, who.v[i].nrole) : NULL;
        }
    }
}

/* --- follow-ups ------------------------------------------------------------------------- */

/* Where an action verb starts, or 0: "følger op", "indarbejder", "sikrer", ... */
static size_t action_verb(const struct tok *t, size_t nt)
{
    static const char *const verbs[] = {
        "indarbejder", "sikrer",      "udarbejder",  "rammesætter",   "forbereder", "laver",
        "koordinerer", "undersøger",  "indkalder",   "udsender",      "sender",     "planlægger",
        "tilretter",   "tilpasser",   "reviderer",   "kontakter",     "afklarer",   "inviterer",
        "arrangerer",  "gennemfører", "igangsætter", "implementerer", "opdaterer",  "færdiggør",
        "leverer",     "formidler",   "udpeger",     "beskriver",     "afholder",   "genoptager",
        NULL};
    char w[MAXWORD + 1];
    for (size_t v = 1; v < nt && v <= MAXPHRASE; v++) {
        if (!ends_in(&t[v], "r") || !lower(&t[v], w))
            continue;
        if (in_list(w, verbs))
            return v;
        bool more = v + 1 < nt;
        if (more && ((strcmp(w, "følger") == 0 && word_is_bare(&t[v + 1], "op")) ||
                     (strcmp(w, "sørger") == 0 && word_is_bare(&t[v + 1], "for")) ||
                     (strcmp(w, "vender") == 0 && word_is_bare(&t[v + 1], "tilbage")) ||
                     (strcmp(w, "går") == 0 && word_is_bare(&t[v + 1], "videre"))))
            return v;
    }
    return 0;
}

static void add_followups(struct entry *e, const char *ref)
{
    size_t n = strlen(e->text), pos = 0, sn;
    const char *sp;
    struct tok t[MAXTOK];
    while (next_sentence(e->text, n, &pos, &sp, &sn)) {
        size_t nt = tokens(sp, sn, t), v = action_verb(t, nt);
        struct whos who;
        if (!v || !owners(t, v, false, &who))
            continue;
        size_t dpos = 0;
        struct date_span d;
        bool due = date_next(sp, sn, &dpos, ref, &d);
        while (sn > 0 && (sp[sn - 1] == ' ' || sp[sn - 1] == '\t'))
            sn--;
        for (size_t i = 0; i < who.n; i++) {
            struct followup *f = entry_add_followup(e);
            if (who.v[i].name) {
                f->owner = xstrndup(who.v[i].name, who.v[i].nname);
                f->role = who.v[i].role ? xstrndup(who.v[i].role, who.v[i].nrole) : NULL;
            } else {
                f->owner = xstrndup(who.v[i].unit, who.v[i].nunit);
            }
            f->text = xstrndup(sp, sn);
            f->due = due ? xstrdup(d.start) : NULL;
        }
    }
}

/* --- a small hash map from one or two strings to a string ------------------------------- */

struct slot {
    const char *k1, *k2; /* borrowed; k1 == NULL marks a free slot */
    const char *val;
    size_t idx;
};

struct map {
    struct slot *v;
    size_t cap, n;
};

static uint64_t hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603u;
    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 1099511628211u;
    h = (h ^ 0xFF) * 1099511628211u;
    for (; b && *b; b++)
        h = (h ^ (unsigned char)*b) * 1099511628211u;
    return h;
}

static bool same(const char *x, const char *y)
{
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static struct slot *map_find(struct map *m, const char *k1, const char *k2)
{
    size_t i = (size_t)hash(k1, k2) & (m->cap - 1);
    while (m->v[i].k1 && !(strcmp(m->v[i].k1, k1) == 0 && same(m->v[i].k2, k2)))
        i = (i + 1) & (m->cap - 1);
    return &m->v[i];
}

/* Adds k1/k2 -> val unless the key is there; returns the slot holding the key. */
static struct slot *map_put(struct map *m, const char *k1, const char *k2, const char *val)
{
    if (2 * (m->n + 1) > m->cap) {
        struct map g = {xcalloc(m->cap ? 2 * m->cap : 16, sizeof *g.v), m->cap ? 2 * m->cap : 16,
                        m->n};
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].k1)
                *map_find(&g, m->v[i].k1, m->v[i].k2) = m->v[i];
        free(m->v);
        *m = g;
    }
    struct slot *s = map_find(m, k1, k2);
    if (!s->k1) {
        s->k1 = k1;
        s->k2 = k2;
        s->val = val;
        m->n++;
    }
    return s;
}

static void map_fini(struct map *m)
{
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* --- the case --------------------------------------------------------------------------- */

static void clear(struct case_doc *c)
{
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = &c->subitems[i];
        for (size_t k = 0; k < s->nguests; k++) {
            free(s->guests[k].name);
            free(s->guests[k].role);
        }
        free(s->guests);
        s->guests = NULL;
        s->nguests = 0;
    }
    for (size_t i = 0; i < c->ndecisions; i++) {
        for (size_t k = 0; k < c->decisions[i].nentries; k++) {
            struct entry *e = &c->decisions[i].entries[k];
            for (size_t j = 0; j < e->nfollowups; j++) {
                free(e->followups[j].owner);
                free(e->followups[j].role);
                free(e->followups[j].text);
                free(e->followups[j].due);
            }
            free(e->followups);
            e->followups = NULL;
            e->nfollowups = 0;
            for (size_t j = 0; j < e->ndates; j++) {
                free(e->dates[j].text);
                free(e->dates[j].start);
                free(e->dates[j].end);
            }
            free(e->dates);
            e->dates = NULL;
            e->ndates = 0;
        }
    }
}

/* Every distinct day or range named in the entry, in order of first mention. */
static void add_dates(struct entry *e, const char *ref)
{
    size_t n = strlen(e->text), pos = 0;
    struct date_span d;
    struct map seen = {NULL, 0, 0};
    while (date_next(e->text, n, &pos, ref, &d)) {
        char *start = xstrdup(d.start), *end = xstrdup(d.end);
        if (map_put(&seen, start, end, NULL)->k1 != start) {
            free(start);
            free(end);
            continue;
        }
        struct dateref *r = entry_add_date(e);
        r->start = start;
        r->end = end;
        r->text = xstrndup(e->text + d.off, d.len);
    }
    map_fini(&seen);
}

/* A person named without a role gets the role given with the same name elsewhere in the
 * case (the first one, in document order). */
static void fill_roles(struct case_doc *c)
{
    struct map roles = {NULL, 0, 0};
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++) {
            struct guest *g = &c->subitems[i].guests[k];
            if (g->role)
                map_put(&roles, g->name, NULL, g->role);
        }
    for (size_t i = 0; i < c->ndecisions; i++)
        for (size_t k = 0; k < c->decisions[i].nentries; k++) {
            struct entry *e = &c->decisions[i].entries[k];
            for (size_t j = 0; j < e->nfollowups; j++)
                if (e->followups[j].role)
                    map_put(&roles, e->followups[j].owner, NULL, e->followups[j].role);
        }
    if (!roles.n)
        return;
    /* Only names ever carry a role, so a unit owner never finds one here. */
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++) {
            struct guest *g = &c->subitems[i].guests[k];
            if (!g->role)
                g->role = xstrdup(map_find(&roles, g->name, NULL)->val);
        }
    for (size_t i = 0; i < c->ndecisions; i++)
        for (size_t k = 0; k < c->decisions[i].nentries; k++) {
            struct entry *e = &c->decisions[i].entries[k];
            for (size_t j = 0; j < e->nfollowups; j++)
                if (!e->followups[j].role)
                    e->followups[j].role =
                        xstrdup(map_find(&roles, e->followups[j].owner, NULL)->val);
        }
    map_fini(&roles);
}

/* Keeps the first guest of each name in a sub-item (taking a later mention's role when the
 * first had none). */
static void dedupe_guests(struct subitem *s)
{
    struct map seen = {NULL, 0, 0};
    size_t out = 0;
    for (size_t k = 0; k < s->nguests; k++) {
        struct guest g = s->guests[k];
        struct slot *slot = map_put(&seen, g.name, NULL, NULL);
        if (slot->k1 == g.name) {
            slot->idx = out;
            s->guests[out++] = g;
            continue;
        }
        struct guest *first = &s->guests[slot->idx];
        if (!first->role) {
            first->role = g.role;
            g.role = NULL;
        }
        free(g.name);
        free(g.role);
    }
    s->nguests = out;
    map_fini(&seen);
}

/* Hands each sub-item its guests, in the order found. */
static void distribute(struct case_doc *c, struct gather *g)
{
    size_t *count = xcalloc(c->nsubitems + 1, sizeof *count);
    for (size_t i = 0; i < g->n; i++)
        count[g->v[i].sub]++;
    for (size_t i = 0; i < c->nsubitems; i++)
        if (count[i])
            c->subitems[i].guests = xcalloc(count[i], sizeof(struct guest));
    for (size_t i = 0; i < g->n; i++) {
        struct subitem *s = &c->subitems[g->v[i].sub];
        s->guests[s->nguests++] = g->v[i].g;
    }
    free(count);
    free(g->v);
}

static void free_gather(struct gather *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].g.name);
        free(g->v[i].g.role);
    }
    free(g->v);
}

void extract_case(struct case_doc *c, struct warnings *w)
{
    if (!c)
        return;
    clear(c);
    struct gather guests = {NULL, 0, 0};
    for (size_t i = 0; i < c->nsubitems; i++) {
        add_guests(&guests, i, c->subitems[i].title);
        add_guests(&guests, i, c->subitems[i].text);
    }
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        int y, m, day;
        const char *ref = d->date;
        if (date_parse_iso(ref, &y, &m, &day) < 0) {
            ref = NULL;
            if (w && d->nentries)
                warnings_add(w, 0, 0,
                             "decision %zu has no ISO date; dates without a year are skipped",
                             i + 1);
        }
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            if (!e->text)
                continue;
            if (e->subitem >= 1 && e->subitem <= c->nsubitems) {
                add_guests(&guests, e->subitem - 1, e->text);
            } else if (w) {
                struct gather lost = {NULL, 0, 0};
                add_guests(&lost, 0, e->text);
                if (lost.n)
                    warnings_add(w, 0, 0,
                                 "decision %zu, entry %zu names a guest but matches no "
                                 "sub-item",
                                 i + 1, k + 1);
                free_gather(&lost);
            }
            add_followups(e, ref);
            add_dates(e, ref);
        }
    }
    distribute(c, &guests);
    fill_roles(c);
    for (size_t i = 0; i < c->nsubitems; i++)
        dedupe_guests(&c->subitems[i]);
}
