/* extract: guests, follow-ups and dates read out of a case's Danish text (rules in
 * docs/extraction.md). */
#include "extract.h"
#include "../util/buf.h"
#include "../util/date.h"

#include <libxml/hash.h>
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Owner and guest phrases are short; these bounds keep the work per sentence constant, so
 * a whole case costs time linear in its size. */
#define MAXTOK 24    /* tokens looked at from the start of a sentence */
#define MAXPHRASE 14 /* tokens in an owner or guest phrase */
#define MAXNAME 4    /* words in a name */
#define MAXWORD 64   /* longer tokens are never names, roles or units */
_Static_assert(MAXTOK < 32, "parse_many keeps a 32-bit set of token positions");

/* --- words ------------------------------------------------------------------------------ */

/* A word of a sentence. parse_many asks about the same few words many times while it tries
 * its splits, so what a word is (its folded form, whether it is a role, a unit, a name) is
 * worked out on first use and kept here; -1 means not yet. None of it depends on the
 * trailing comma, which callers test themselves. */
struct tok {
    const char *p;
    size_t n;              /* without a trailing comma */
    bool comma;            /* a comma followed the word */
    signed char folded;    /* 1: low holds the folded word; 0: too long to fold */
    signed char role;      /* role_word() */
    signed char unit;      /* unit_word() */
    signed char name;      /* name_core() */
    signed char modifier;  /* a role modifier ("fungerende") */
    signed char prep;      /* a preposition that may follow a role word */
    char low[MAXWORD + 1]; /* see fold() */
};

/* w[0..n) equals a string literal. */
#define IS(w, n, lit) ((n) == sizeof(lit) - 1 && memcmp((w), (lit), sizeof(lit) - 1) == 0)

/* Lower-cases ASCII and the Latin-1 capitals (UTF-8 C3 80..C3 9E) of a word into t->low,
 * once. Returns the folded word (t->n bytes, NUL-terminated), or NULL when the word is longer
 * than MAXWORD. */
static const char *fold(struct tok *t)
{
    if (t->folded < 0) {
        t->folded = t->n <= MAXWORD;
        for (size_t i = 0; t->folded && i < t->n; i++) {
            unsigned char c = (unsigned char)t->p[i];
            if (c >= 'A' && c <= 'Z')
                c |= 0x20;
            else if (i > 0 && (unsigned char)t->p[i - 1] == 0xC3 && c >= 0x80 && c <= 0x9E &&
                     c != 0x97)
                c += 0x20;
            t->low[i] = (char)c;
        }
        if (t->folded)
            t->low[t->n] = '\0';
    }
    return t->folded ? t->low : NULL;
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

/* The word lists below are X-macros: each expands to straight-line comparisons with string
 * literals, which the compiler turns into a length test and a few integer compares, instead
 * of a loop over a table that calls memcmp for each entry. */

/* w[0..n) ends with a string literal. The last bytes are compared first: they differ for
 * most pairs of word and suffix, and the compiler folds (lit)[k] to a constant. */
#define ENDS(w, n, lit)                                                                         \
    ((n) >= sizeof(lit) - 1 && (w)[(n) - 1] == (lit)[sizeof(lit) - 2] &&                       \
     memcmp((w) + (n) - (sizeof(lit) - 1), (lit), sizeof(lit) - 1) == 0)

/* The last bytes of the role suffixes, filled with the pre-filter's tables (keys_init()). */
static bool role_last[256];

/* 1: a role word ("Jurist", "økonomichef", "Udviklingskonsulent"); 2: its definite form
 * ("økonomichefen"); 0: neither. */
static int role_word(struct tok *t)
{
    if (t->role >= 0)
        return t->role;
    t->role = 0;
    const char *w = lettery(t) ? fold(t) : NULL;
    if (!w)
        return 0;
    size_t n = t->n;
    bool definite = n > 2 && w[n - 2] == 'e' && w[n - 1] == 'n';
    /* No suffix ends in the word's last byte (or, for a definite form, the one before "en"):
     * most names and words are passed here (issue 11, readers). */
    if (!role_last[(unsigned char)w[n - 1]] &&
        !(definite && role_last[(unsigned char)w[n - 3]]))
        return 0;
    /* In list order, the plain form of a suffix before its definite form. */
#define ROLE_SUFFIX(s)                                                                          \
    if (ENDS(w, n, s))                                                                          \
        return t->role = 1;                                                                     \
    if (definite && ENDS(w, n - 2, s))                                                          \
        return t->role = 2;
#include "words.inc"
    return 0;
}

/* A word that names an organisational unit rather than a person. */
static bool unit_word(struct tok *t)
{
    if (t->unit < 0) {
        const char *w = fold(t);
        size_t n = t->n;
#define UNIT_SUFFIX(s) || ENDS(w, n, s)
        t->unit = w && (false
#include "words.inc"
        );
    }
    return t->unit;
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
static bool stop_word(struct tok *t)
{
    const char *w = fold(t);
    size_t n = t->n;
#define STOP_WORD(s) || IS(w, n, s)
    return !w
#include "words.inc"
        ;
}

/* A name word, the trailing comma aside (callers that care test it): "Anna", "B.". */
static bool name_core(struct tok *t)
{
    if (t->name < 0) {
        if (t->n == 2 && t->p[0] >= 'A' && t->p[0] <= 'Z' && t->p[1] == '.')
            t->name = 1; /* an initial: "Anna B. Hansen" */
        else
            t->name = t->n >= 2 && t->n <= MAXWORD && upper_at(t->p, t->n) && has_lower(t) &&
                      lettery(t) && !stop_word(t) && !role_word(t) && !unit_word(t);
    }
    return t->name;
}

static bool name_word(struct tok *t)
{
    return !t->comma && name_core(t);
}

/* "konstitueret chef ...": a word that may stand before a role word. */
static bool modifier(struct tok *t)
{
    if (t->modifier < 0) {
        const char *w = fold(t);
        size_t n = t->n;
#define MODIFIER(s) || IS(w, n, s)
        t->modifier = w && (false
#include "words.inc"
        );
    }
    return t->modifier;
}

/* "chef for ...": a preposition that may follow a role word. */
static bool prep(struct tok *t)
{
    if (t->prep < 0) {
        const char *w = fold(t);
        size_t n = t->n;
#define PREP(s) || IS(w, n, s)
        t->prep = w && (false
#include "words.inc"
        );
    }
    return t->prep;
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

/* A first part of a compound ending in "-": "Kultur-" in "Kultur- og fritidschef". */
static bool hyphen_word(const struct tok *t)
{
    return t->n >= 2 && t->p[t->n - 1] == '-' && t->p[0] != '-';
}

/* A role: [modifier] [first parts and "og"] role-word [preposition words...]. No role word
 * may follow the preposition: "chef for X og økonomichef Y" is two owners, not one role.
 * The first parts are a compound's, each ending in "-", joined by commas and "og"/"eller":
 * "Kultur- og fritidschef", "Social-, sundheds- og ældrechef". */
static bool role_phrase(struct tok *t, size_t a, size_t b, bool need_prep)
{
    size_t i = a;
    if (i < b && modifier(&t[i]) && !t[i].comma)
        i++;
    size_t h = i;
    while (h < b && hyphen_word(&t[h]) && (h + 1 < b && hyphen_word(&t[h + 1])) == t[h].comma)
        h++;
    if (h > i && h + 1 < b && !t[h].comma && (word_is(&t[h], "og") || word_is(&t[h], "eller")))
        i = h + 1; /* issue 10, flat follow-ups */
    if (i >= b || role_word(&t[i]) != 1 || t[i].comma)
        return false;
    i++;
    if (i == b)
        return !need_prep;
    if (!prep(&t[i]) || t[i].comma)
        return false;
    if (++i == b)
        return false;
    for (; i < b; i++)
        if (role_word(&t[i]) == 1)
            return false;
    return true;
}

/* "Børne- og Kulturforvaltningen", "Social-, Sundheds- og Ældreforvaltningen": capitalised
 * first parts ending in "-" joined by commas and "og"/"eller", and a unit word last. */
static bool hyphen_part(const struct tok *t)
{
    return t->n >= 2 && t->p[t->n - 1] == '-' && upper_at(t->p, t->n);
}

static bool compound_unit(struct tok *t, size_t a, size_t b)
{
    if (b - a < 3 || !unit_word(&t[b - 1]) || !upper_at(t[b - 1].p, t[b - 1].n) ||
        (!word_is(&t[b - 2], "og") && !word_is(&t[b - 2], "eller")))
        return false;
    for (size_t i = a; i < b - 2; i++)
        if (!hyphen_part(&t[i]) || (i + 1 < b - 2) != t[i].comma)
            return false;
    return true;
}

/* One owner in t[a..b): a name with an optional role, or (unless need_name) a unit or a
 * position such as "chef for Ledelsessekretariatet". */
static bool parse_one(struct tok *t, size_t a, size_t b, bool need_name, bool comma_ok,
                      struct who *out)
{
    if (b <= a || b - a > MAXPHRASE || (t[b - 1].comma && !comma_ok))
        return false;
    memset(out, 0, sizeof *out);
    struct tok *last = &t[b - 1];
    /* The name is the trailing run of name words; the last word may carry the comma of a
     * list ("Tonny Olsen, ..."), which name_word would refuse. */
    size_t k = b;
    while (k > a && b - k < MAXNAME && (k == b ? name_core(last) : name_word(&t[k - 1])))
        k--;
    /* The longest name first; a shorter one when the role would end in a list's "og" or
     * comma: "Direktør for By, Kultur og Miljø Martin Holgaard" is Martin Holgaard, the
     * director for By, Kultur og Miljø. */
    for (; b - k >= 2; k++) {
        if (k > a && (!role_phrase(t, a, k, false) || t[k - 1].comma ||
                      word_is(&t[k - 1], "og") || word_is(&t[k - 1], "samt")))
            continue;
        span(t, k, b, &out->name, &out->nname);
        if (k > a)
            span(t, a, k, &out->role, &out->nrole);
        return true;
    }
    if (need_name)
        return false;
    if (b - a == 1 && (unit_word(last) || acronym(last) || role_word(last) == 2) &&
        upper_at(last->p, last->n)) {
        span(t, a, b, &out->unit, &out->nunit);
        return true;
    }
    if (b - a >= 3 && role_phrase(t, a, b, true)) {
        span(t, a, b, &out->unit, &out->nunit);
        return true;
    }
    if (compound_unit(t, a, b)) {
        span(t, a, b, &out->unit, &out->nunit);
        return true;
    }
    return false;
}

/* Whether owners() can succeed on a sentence whose first words are t[0..nt), where nt is 2,
 * or 1 when the sentence has one word. Every phrase parse_one reads from t[0] is a name of
 * at least two words (so t[0] and t[1] are name words), starts with a modifier or a role
 * word, or (unless need_name) is a single unit word. Checked before the sentence is cut
 * further or searched for a verb, so that most sentences cost only their first two words. */
static bool may_start_owner(struct tok *t, size_t nt, bool need_name)
{
    if (nt >= 2 && !t[0].comma && name_core(&t[1]) && name_core(&t[0]))
        return true;
    if (modifier(&t[0]) || role_word(&t[0]) == 1)
        return true;
    if (hyphen_word(&t[0]))
        return true; /* "Kultur- og fritidschef ...", "Børne- og Kulturforvaltningen" */
    return !need_name && upper_at(t[0].p, t[0].n) &&
           (unit_word(&t[0]) || acronym(&t[0]) || role_word(&t[0]) == 2);
}

struct whos {
    struct who v[MAXPHRASE];
    size_t n;
};

/* All owners in t[a..b), joined by "og", "samt" or commas. A split is taken only when
 * every part parses on its own, so commas and "og" inside a role stay there. failed marks
 * the starts already known not to parse up to b, which keeps the search polynomial. */
static bool parse_many(struct tok *t, size_t a, size_t b, bool need_name, struct whos *out,
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
static bool owners(struct tok *t, size_t v, bool need_name, struct whos *out)
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
    size_t n = i - j;
#define ABBREVIATION(s) || IS(w, n, s)
    return false
#include "words.inc"
        ;
}

/* The next sentence of t[*pos..n): a paragraph line, cut after ".", "!" or "?" when a blank
 * and something other than a lower-case letter or a digit follow. t[n] is the string's
 * terminating NUL, so the bytes in between can be skipped with strcspn, which the C library
 * does many bytes at a time. */
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
        i += strcspn(t + i, "\n\r.!?");
        if (i >= n)
            break;
        char c = t[i];
        if (c == '\n' || c == '\r') {
            end = i;
            break;
        }
        size_t j = i + 1;
        while (j < n && (t[j] == ' ' || t[j] == '\t' ||
                         ((unsigned char)t[j] == 0xC2 && j + 1 < n &&
                          (unsigned char)t[j + 1] == 0xA0)))
            j += (unsigned char)t[j] == 0xC2 ? 2 : 1;
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

/* The bytes a blank can start with (see blank()). */
static const bool blank_lead[256] = {[' '] = 1, ['\t'] = 1, [0xC2] = 1};

/* A flag in the high bit of each zero byte of v. A borrow can also flag a byte above a zero
 * byte, but never one below the lowest zero byte, so the lowest flag is exact. */
static uint64_t zero_bytes(uint64_t v)
{
    return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

/* The first k' >= k with s[k'] a blank_lead byte, or n. Eight bytes are tested at a time:
 * most words then take one step, where a loop per byte takes a mispredicted branch at every
 * word's end. */
static size_t to_blank_lead(const char *s, size_t n, size_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n - k >= 8) {
        uint64_t v;
        memcpy(&v, s + k, 8);
        uint64_t m = zero_bytes(v ^ 0x2020202020202020ull) | zero_bytes(v ^ 0x0909090909090909ull) |
                     zero_bytes(v ^ 0xC2C2C2C2C2C2C2C2ull);
        if (m)
            return k + ((size_t)__builtin_ctzll(m) >> 3); /* little-endian: lowest address */
        k += 8;
    }
#endif
    while (k < n && !blank_lead[(unsigned char)s[k]])
        k++;
    return k;
}

static size_t blank(const char *s, size_t n, size_t i)
{
    if (s[i] == ' ' || s[i] == '\t')
        return 1;
    return (unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0 ? 2 : 0;
}

/* The next word of s[*i..n), split at blanks; false at the end. */
static bool next_tok(const char *s, size_t n, size_t *i, struct tok *t)
{
    size_t k = *i, w;
    while (k < n && (w = blank(s, n, k)) > 0)
        k += w;
    if (k >= n) {
        *i = k;
        return false;
    }
    size_t a = k;
    for (;;) {
        k = to_blank_lead(s, n, k);
        if (k >= n || blank(s, n, k))
            break;
        k++; /* a 0xC2 that starts no no-break space */
    }
    t->p = s + a;
    t->n = k - a;
    t->comma = t->n > 0 && s[k - 1] == ',';
    t->n -= t->comma;
    t->folded = t->role = t->unit = t->name = t->modifier = t->prep = -1;
    *i = k;
    return true;
}

/* A sentence and the words cut from it so far. Words are cut on demand: most sentences are
 * given up after their first two words, and the verb is usually found among the first few. */
struct sent {
    const char *s;
    size_t n, i; /* s[i..n) is not cut yet */
    size_t nt;   /* words in t */
    bool end;    /* no words are left */
    struct tok t[MAXTOK];
};

static void sent_init(struct sent *S, const char *s, size_t n)
{
    S->s = s;
    S->n = n;
    S->i = 0;
    S->nt = 0;
    S->end = false;
}

/* Whether the sentence has a word k (among its first MAXTOK), cutting up to it. */
/* "(A)", "(SF)", "(Ø)": the party letters written after a member's name. */
static bool party(const struct tok *t)
{
    if (t->n < 3 || t->n > 8 || t->p[0] != '(' || t->p[t->n - 1] != ')')
        return false;
    struct tok in = {.p = t->p + 1, .n = t->n - 2};
    return acronym(&in) || (in.n <= 2 && upper_at(in.p, in.n) && (in.n == 1 || in.p[0] == (char)0xC3));
}

static bool cut_to(struct sent *S, size_t k);

/* The words are asked for again and again (each verb test looks two ahead): a word already
 * cut costs a compare here, not a call. */
static inline bool have(struct sent *S, size_t k)
{
    return k < S->nt || cut_to(S, k);
}

static __attribute__((noinline)) bool cut_to(struct sent *S, size_t k)
{
    while (S->nt <= k && !S->end && S->nt < MAXTOK) {
        if (!next_tok(S->s, S->n, &S->i, &S->t[S->nt])) {
            S->end = true;
        } else if (S->nt && party(&S->t[S->nt])) {
            /* Party letters are no part of a name: "Anna Holm (A), Bo Ek (V) og ...". */
            S->t[S->nt - 1].comma |= S->t[S->nt].comma;
        } else {
            S->nt++;
        }
    }
    return k < S->nt;
}

/* The last byte of a word, ASCII-folded: the verb lists below end in only a few letters, so
 * this rejects most words before they are folded and looked up. */
static char last_folded(const struct tok *t)
{
    return t->n ? (char)(t->p[t->n - 1] | 0x20) : '\0';
}

/* --- guests ----------------------------------------------------------------------------- */

/* w[0..n) starts with a string literal. */
#define PREFIX(w, n, lit) ((n) >= sizeof(lit) - 1 && memcmp((w), (lit), sizeof(lit) - 1) == 0)

/* The words guest_verb() needs after "holdt"/"holder", "var/er til" and "var/er" (the
 * pre-filter below looks for them rather than for the short verbs). */
#define AFTER_HOLDT "oplæg"
#define AFTER_VAR_TIL "stede"
#define AFTER_VAR "inviteret"

/* Where a guest verb starts, or 0: "deltager under", "deltog i behandlingen", "deltog i
 * forbindelse med", "deltog indledningsvist", "præsenterede", "holdt oplæg", "var til
 * stede", "var inviteret (med) til mødet". The words are in words.inc. */
static size_t guest_verb(struct sent *S)
{
    struct tok *t = S->t;
    for (size_t v = 2; v <= MAXPHRASE && have(S, v); v++) {
        const char *w;
        char z = last_folded(&t[v]);
        if ((z != 'e' && z != 'r' && z != 'g' && z != 't') || !(w = fold(&t[v])))
            continue;
        size_t n = t[v].n;
#define GUEST_VERB(s) || IS(w, n, s)
        if (false
#include "words.inc"
        )
            return v;
        bool more = have(S, v + 1), more2 = have(S, v + 2);
        bool join = false;
#define GUEST_JOIN(s) || IS(w, n, s)
        join = false
#include "words.inc"
            ;
        if (join && more) {
            const char *a = fold(&t[v + 1]);
            size_t an = t[v + 1].n;
            bool after = false, adverb = false;
#define GUEST_AFTER(s) || IS(a, an, s)
            after = a && (false
#include "words.inc"
            );
            adverb = a && (false
#define GUEST_ADVERB(s) || IS(a, an, s)
#include "words.inc"
            );
            if (after || adverb)
                return v;
            if (more2 && (word_is(&t[v + 1], "i") || word_is(&t[v + 1], "på"))) {
                const char *b = fold(&t[v + 2]);
                size_t bn = t[v + 2].n;
#define GUEST_TOPIC(s) || PREFIX(b, bn, s)
                if (b && (false
#include "words.inc"
                    ))
                    return v;
            }
        }
        if ((IS(w, n, "holdt") || IS(w, n, "holder")) && more &&
            (word_is_bare(&t[v + 1], AFTER_HOLDT) ||
             (more2 && word_is(&t[v + 1], "et") && word_is_bare(&t[v + 2], AFTER_HOLDT))))
            return v;
        if ((IS(w, n, "var") || IS(w, n, "er")) && more2 && word_is(&t[v + 1], "til") &&
            word_is_bare(&t[v + 2], AFTER_VAR_TIL))
            return v;
        if ((IS(w, n, "var") || IS(w, n, "er")) && more2 && word_is(&t[v + 1], AFTER_VAR) &&
            (word_is(&t[v + 2], "til") || word_is(&t[v + 2], "med")))
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

/* A copy of a name or role with each no-break space as a space and party letters left out
 * ("Anna (A) Holm"): one spelling per person. */
static char *dup_words(const char *p, size_t n)
{
    /* Most phrases are words one space apart with no party letters and no no-break space:
     * the copy is the phrase (issue 11, readers). */
    bool plain = n > 0 && p[0] != ' ' && p[n - 1] != ' ';
    for (size_t i = 0; i < n && plain; i++)
        plain = p[i] != '(' && (unsigned char)p[i] != 0xC2 && (p[i] != ' ' || p[i - 1] != ' ');
    if (plain)
        return xstrndup(p, n);
    /* The copy is never longer than the phrase: one allocation, no growing buffer. */
    char *out = xmalloc(n + 1);
    size_t i = 0, len = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && p[k] != ' ' && !((unsigned char)p[k] == 0xC2 && k + 1 < n &&
                                         (unsigned char)p[k + 1] == 0xA0))
            k++;
        struct tok t = {.p = p + i, .n = k - i};
        if (t.n && !party(&t)) {
            if (len)
                out[len++] = ' ';
            memcpy(out + len, t.p, t.n);
            len += t.n;
        }
        i = k < n ? k + ((unsigned char)p[k] == 0xC2 ? 2 : 1) : n;
    }
    out[len] = '\0';
    return out;
}

static void add_guests(struct gather *out, size_t sub, struct sent *S)
{
    struct whos who;
    size_t v = guest_verb(S);
    if (!v || !owners(S->t, v, true, &who))
        return;
    for (size_t i = 0; i < who.n; i++) {
        out->v = push(out->v, out->n, &out->cap, sizeof *out->v);
        struct pending *p = &out->v[out->n++];
        p->sub = sub;
        p->g.name = dup_words(who.v[i].name, who.v[i].nname);
        p->g.role = who.v[i].role ? dup_words(who.v[i].role, who.v[i].nrole) : NULL;
    }
}

/* --- follow-ups ------------------------------------------------------------------------- */

/* Where an action verb starts, or 0: "følger op", "indarbejder", "sikrer", ... */
static size_t action_verb(struct sent *S)
{
    struct tok *t = S->t;
    for (size_t v = 1; v <= MAXPHRASE && have(S, v); v++) {
        const char *w;
        if (last_folded(&t[v]) != 'r' || !(w = fold(&t[v])))
            continue;
        size_t n = t[v].n;
#define ACTION_VERB(s) || IS(w, n, s)
        if (false
#include "words.inc"
        )
            return v;
        if (have(S, v + 1)) {
#define ACTION_PAIR(verb, particle) || (IS(w, n, verb) && word_is_bare(&t[v + 1], particle))
            if (false
#include "words.inc"
            )
                return v;
        }
    }
    return 0;
}

/* Where a text's follow-ups go: an entry's list, or (issue 10, flat follow-ups) the list of
 * a decision without entries. Exactly one is set. */
struct fu_target {
    struct entry *e;
    struct decision *d;
};

static struct followup *fu_add(const struct fu_target *t)
{
    return t->e ? entry_add_followup(t->e) : decision_add_followup(t->d);
}

/* The follow-ups of a sentence, into t. */
static void add_followups(const struct fu_target *t, const char *ref, struct sent *S)
{
    struct whos who;
    size_t v = action_verb(S);
    if (!v || !owners(S->t, v, false, &who))
        return;
    const char *sp = S->s;
    size_t sn = S->n;
    size_t dpos = 0;
    struct date_span d;
    bool due = date_next(sp, sn, &dpos, ref, &d);
    while (sn > 0 && (sp[sn - 1] == ' ' || sp[sn - 1] == '\t'))
        sn--;
    for (size_t i = 0; i < who.n; i++) {
        struct followup *f = fu_add(t);
        if (who.v[i].name) {
            f->owner = dup_words(who.v[i].name, who.v[i].nname);
            f->role = who.v[i].role ? dup_words(who.v[i].role, who.v[i].nrole) : NULL;
        } else {
            f->owner = dup_words(who.v[i].unit, who.v[i].nunit);
        }
        f->text = xstrndup(sp, sn);
        f->due = due ? xstrdup(d.start) : NULL;
    }
}

/* --- the pre-filter --------------------------------------------------------------------
 * Most sentences name no guest and no follow-up, and cutting them into words only to learn
 * that cost most of the extraction. Every way guest_verb() and action_verb() succeed needs a
 * word that, folded, is one of a few words of words.inc (the verb, or the word after
 * "holdt", "var til", "var"; for a verb and its particle the longer of the two), and that
 * word is never a sentence's first, so in the text it starts right after a blank. A text is
 * searched once for these keys at the bytes after its blanks, and only the sentences a key
 * starts in are cut into words; the others could not have given anything. */

enum { KEY_GUEST = 1, KEY_ACTION = 2 };

struct key {
    const char *w;
    unsigned char n;   /* bytes */
    unsigned char set; /* KEY_GUEST or KEY_ACTION */
};

/* The longer of two string literals, and its length (sizeof the ?: would be a pointer's). */
#define LONGER(a, b) (sizeof(a) >= sizeof(b) ? (a) : (b))
#define LONGER_LEN(a, b) ((sizeof(a) >= sizeof(b) ? sizeof(a) : sizeof(b)) - 1)
static const struct key keys[] = {
#define GUEST_VERB(s) {s, sizeof(s) - 1, KEY_GUEST},
#define GUEST_JOIN(s) {s, sizeof(s) - 1, KEY_GUEST},
#include "words.inc"
    {AFTER_HOLDT, sizeof(AFTER_HOLDT) - 1, KEY_GUEST},
    {AFTER_VAR_TIL, sizeof(AFTER_VAR_TIL) - 1, KEY_GUEST},
    {AFTER_VAR, sizeof(AFTER_VAR) - 1, KEY_GUEST},
#define ACTION_VERB(s) {s, sizeof(s) - 1, KEY_ACTION},
#define ACTION_PAIR(v, p) {LONGER(v, p), LONGER_LEN(v, p), KEY_ACTION},
#include "words.inc"
};
#define NKEYS (sizeof keys / sizeof keys[0])
/* next_key() hashes a word's first four bytes and looks only where five are left. */
#define KEY_LONG(s) KEY_LEN(sizeof(s) - 1)
#define KEY_LEN(n) _Static_assert((n) >= 5, "a pre-filter key has five bytes or more");
#define GUEST_VERB(s) KEY_LONG(s)
#define GUEST_JOIN(s) KEY_LONG(s)
#define ACTION_VERB(s) KEY_LONG(s)
#define ACTION_PAIR(v, p) KEY_LEN(LONGER_LEN(v, p))
#include "words.inc"
KEY_LONG(AFTER_HOLDT)
KEY_LONG(AFTER_VAR_TIL)
KEY_LONG(AFTER_VAR)
_Static_assert(NKEYS < 256, "key indexes are bytes");

/* What the keys are compared with: each byte folded alone, ASCII capitals and every byte
 * 0x80..0x9E but 0x97 raised by 0x20. fold() raises those only after a 0xC3, so a word that
 * fold() turns into w folds here to what w folds to here: matching here never misses. */
static unsigned char low[256];

/* A word's first four bytes, each with bit 5 set: what both spellings of a letter, and any
 * byte and its fold above, have in common. Hashed into a bit per set of keys, it passes on
 * most words after one multiplication and one lookup. */
enum { HASH_BITS = 12 };
static struct {
    unsigned char w[NKEYS][16]; /* the keys folded */
    unsigned char n[NKEYS];
    unsigned char set[NKEYS];
    uint32_t hash[NKEYS];
    uint8_t bits[4][(1u << HASH_BITS) / 8]; /* by set mask */
    unsigned char first[1u << HASH_BITS];   /* 1 + the first key of a hash, 0 for none */
    unsigned char next[NKEYS];              /* 1 + the next key of the same hash, 0 for none */
} K;

static uint32_t head_hash(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return ((v | 0x20202020u) * 0x9E3779B1u) >> (32 - HASH_BITS);
}

static void keys_init(void)
{
#define ROLE_SUFFIX(s) role_last[(unsigned char)(s)[sizeof(s) - 2]] = true;
#include "words.inc"
    for (unsigned c = 0; c < 256; c++)
        low[c] = (unsigned char)((c >= 'A' && c <= 'Z') || (c >= 0x80 && c <= 0x9E && c != 0x97)
                                     ? c + 0x20
                                     : c);
    for (size_t k = 0; k < NKEYS; k++) {
        K.n[k] = keys[k].n < 16 ? keys[k].n : 15; /* a prefix is still a necessary match */
        K.set[k] = keys[k].set;
        for (size_t i = 0; i < K.n[k]; i++)
            K.w[k][i] = low[(unsigned char)keys[k].w[i]];
        K.hash[k] = head_hash(K.w[k]);
        K.next[k] = K.first[K.hash[k]];
        K.first[K.hash[k]] = (unsigned char)(k + 1);
        for (unsigned m = 1; m < 4; m++)
            if (m & K.set[k])
                K.bits[m][K.hash[k] >> 3] |= (uint8_t)(1u << (K.hash[k] & 7));
    }
}

static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

/* Which sets have a key at p (m bytes left), whose head hashes to h. */
static unsigned key_at(const unsigned char *p, size_t m, uint32_t h, unsigned sets)
{
    unsigned found = 0;
    for (unsigned k1 = K.first[h]; k1; k1 = K.next[k1 - 1]) {
        size_t k = k1 - 1, len = K.n[k], j = 0;
        if (!(K.set[k] & sets & ~found) || len > m)
            continue;
        while (j < len && low[p[j]] == K.w[k][j])
            j++;
        if (j == len)
            found |= K.set[k];
    }
    return found;
}

/* The keys a text holds, found in one pass, a few at a time. */
enum { NHITS = 32 };
struct hits {
    size_t at[NHITS];          /* where a key starts */
    unsigned char set[NHITS];  /* the sets of the keys there */
    size_t n, i;               /* at[i..n) are not yet used */
    size_t resume;             /* where to look for more (n when none are left) */
};

/* Adds the keys at s + i, whose head hashes to hash, to h; false when h is full. Called for
 * the few words whose hash bit is set, so kept out of the loops below. */
static __attribute__((noinline)) bool add_key(const char *s, size_t n, size_t i, uint32_t hash,
                                              unsigned sets, struct hits *h)
{
    unsigned m = key_at((const unsigned char *)s + i, n - i, hash, sets);
    if (!m)
        return true;
    h->at[h->n] = i;
    h->set[h->n] = (unsigned char)m;
    if (++h->n < NHITS)
        return true;
    h->resume = i + 1;
    return false;
}

/* The hash bit of the word at s + i (right after a blank) is set; never for a word too short
 * to be a key. */
#define KEY_BIT(s, n, i, bits, hash)                                                             \
    ((n) - (i) >= 5 && ((hash) = head_hash((const unsigned char *)(s) + (i)),                    \
                        (bits)[(hash) >> 3] & (1u << ((hash) & 7))))

/* Fills h with the keys of sets after blanks (' ', '\t' and the 0xA0 of a no-break space;
 * a lone 0xA0 too, which only costs a look) in s[from..n). */
static void find_keys(const char *s, size_t n, size_t from, unsigned sets, struct hits *h)
{
    const uint8_t *bits = K.bits[sets];
    h->n = h->i = 0;
    h->resume = n;
    size_t k = from;
#ifdef __SSE2__
    /* Sixteen bytes at a time: a mask of the blanks among them, then a look after each. */
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
                  nb = _mm_set1_epi8((char)0xA0);
    for (; n - k >= 16; k += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tab)),
                         _mm_cmpeq_epi8(v, nb)));
        /* A word with a blank among its first five bytes is shorter than every key (the
         * blanks of the next sixteen bytes are not known: those words are looked at). */
        m &= ~(m >> 1 | m >> 2 | m >> 3 | m >> 4 | m >> 5);
        for (; m; m &= m - 1) {
            size_t i = k + (size_t)__builtin_ctz(m) + 1;
            uint32_t hash;
            if (__builtin_expect(KEY_BIT(s, n, i, bits, hash), 0) &&
                !add_key(s, n, i, hash, sets, h))
                return;
        }
    }
#endif
    for (; k < n; k++) {
        uint32_t hash;
        if ((s[k] == ' ' || s[k] == '\t' || (unsigned char)s[k] == 0xA0) &&
            KEY_BIT(s, n, k + 1, bits, hash) && !add_key(s, n, k + 1, hash, sets, h))
            return;
    }
}

/* --- one text --------------------------------------------------------------------------- */

/* Reads a text once for guests (into guests, for sub-item sub, unless guests is NULL) and
 * follow-ups (into t, unless t is NULL): an entry's text is wanted for both, and its
 * sentences and words are then cut only once. */
static void scan_text(const char *text, struct gather *guests, size_t sub,
                      const struct fu_target *t, const char *ref)
{
    if (!text)
        return;
    if (!guests && !t)
        return;
    pthread_once(&keys_once, keys_init);
    size_t n = strlen(text), pos = 0, sn;
    unsigned sets = (guests ? KEY_GUEST : 0) | (t ? KEY_ACTION : 0);
    struct hits H;
    find_keys(text, n, 0, sets, &H);
    const char *sp;
    struct sent S;
    for (;;) {
        if (H.i == H.n) {
            if (H.resume >= n)
                break;
            find_keys(text, n, H.resume > pos ? H.resume : pos, sets, &H);
            continue;
        }
        size_t h = H.at[H.i];
        if (h < pos) { /* in a sentence already read (after a refill) */
            H.i++;
            continue;
        }
        /* No sentence holds a line break, so the sentences after one are the same wherever
         * the cutting began: start at the line the key is on. */
        const char *nl = memrchr(text + pos, '\n', h - pos);
        const char *cr = memrchr(text + pos, '\r', h - pos);
        if (cr > nl)
            nl = cr;
        if (nl)
            pos = (size_t)(nl - text) + 1;
        /* The sentence the key starts in; the ones before it hold no key. */
        bool got;
        while ((got = next_sentence(text, n, &pos, &sp, &sn)) && pos <= h)
            ;
        if (!got)
            break; /* not reached: every byte but blanks and bullets is in a sentence */
        /* A sentence is read for guests only when a guest key starts in it, for follow-ups
         * only when an action key does. */
        unsigned want = 0;
        while (H.i < H.n && H.at[H.i] < pos)
            want |= H.set[H.i++];
        sent_init(&S, sp, sn);
        if (!have(&S, 0))
            continue;
        have(&S, 1);
        /* Both guests and owners start the sentence: most sentences are done here. */
        bool g = (want & KEY_GUEST) && may_start_owner(S.t, S.nt, true);
        bool f = (want & KEY_ACTION) && may_start_owner(S.t, S.nt, false);
        if (g)
            add_guests(guests, sub, &S);
        if (f)
            add_followups(t, ref, &S);
    }
}

/* --- a small hash map from one or two strings to a string ------------------------------- */

/* Small string maps for one case: libxml2's hash table, keyed by one or two strings (it copies
 * the keys). A value is a pointer; the payloads here are borrowed or small integers. */
static xmlHashTablePtr map_new(void)
{
    xmlHashTablePtr m = xmlHashCreate(16);
    if (!m) {
        fputs("referat: out of memory\n", stderr);
        abort();
    }
    return m;
}

/* Adds k1/k2 -> val unless the key is there; true when it was added. */
static bool map_put(xmlHashTablePtr m, const char *k1, const char *k2, const void *val)
{
    return xmlHashAddEntry2(m, (const xmlChar *)k1, (const xmlChar *)k2, (void *)val) == 0;
}

static const void *map_get(xmlHashTablePtr m, const char *k1, const char *k2)
{
    return xmlHashLookup2(m, (const xmlChar *)k1, (const xmlChar *)k2);
}

/* --- the case --------------------------------------------------------------------------- */

static void clear_followups(struct followup **v, size_t *n)
{
    for (size_t j = 0; j < *n; j++) {
        free((*v)[j].owner);
        free((*v)[j].role);
        free((*v)[j].text);
        free((*v)[j].due);
    }
    free(*v);
    *v = NULL;
    *n = 0;
}

static void clear(struct case_doc *c)
{
    for (size_t k = 0; k < c->nguests; k++) {
        free(c->guests[k].name);
        free(c->guests[k].role);
    }
    free(c->guests);
    c->guests = NULL;
    c->nguests = 0;
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = &c->subitems[i];
        for (size_t k = 0; k < s->nguests; k++)
            guest_fini(&s->guests[k]);
        free(s->guests);
        s->guests = NULL;
        s->nguests = 0;
    }
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        clear_followups(&d->followups, &d->nfollowups); /* issue 10, flat follow-ups */
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            clear_followups(&e->followups, &e->nfollowups);
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
static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* An entry names a few dates: the ones kept so far are compared one by one (a hash table
 * per entry cost more than the comparisons). */
static void add_dates(struct entry *e, const char *ref)
{
    size_t n = strlen(e->text), pos = 0;
    struct date_span d;
    while (date_next(e->text, n, &pos, ref, &d)) {
        bool seen = false;
        for (size_t k = 0; k < e->ndates && !seen; k++)
            seen = same_str(e->dates[k].start, d.start) && same_str(e->dates[k].end, d.end);
        if (seen)
            continue;
        struct dateref *r = entry_add_date(e);
        r->start = xstrdup(d.start);
        r->end = xstrdup(d.end);
        r->text = xstrndup(e->text + d.off, d.len);
    }
}

/* A person named without a role gets the role given with the same name elsewhere in the
 * case (the first one, in document order). */
/* Whether someone is named with a role and someone (a name, or a unit owner) without. */
static bool roles_to_fill(const struct case_doc *c)
{
    bool with = false, without = false;
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++)
            *(c->subitems[i].guests[k].role ? &with : &without) = true;
    for (size_t k = 0; k < c->nguests; k++)
        *(c->guests[k].role ? &with : &without) = true;
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        for (size_t j = 0; j < d->nfollowups; j++) /* issue 10, flat follow-ups */
            *(d->followups[j].role ? &with : &without) = true;
        for (size_t k = 0; k < d->nentries; k++) {
            const struct entry *e = &d->entries[k];
            for (size_t j = 0; j < e->nfollowups; j++)
                *(e->followups[j].role ? &with : &without) = true;
        }
    }
    return with && without;
}

/* Up to this many names are compared in turn, by fill_roles() and dedupe_guests(), and
 * more through a hash table (issue 11, readers: a table per case cost more than a case's few
 * comparisons). */
enum { ROLES_LINEAR = 16 };

/* The roles named in a case in document order, for fill_roles(): the first with a name is
 * its role. */
struct roles {
    struct named {
        const char *name, *role;
    } *v;
    size_t n, cap;
    xmlHashTablePtr map; /* past ROLES_LINEAR */
};

static void note_role(struct roles *r, const char *name, const char *role)
{
    if (!name || !role)
        return; /* the hash table took no NULL name either */
    r->v = push(r->v, r->n, &r->cap, sizeof *r->v);
    r->v[r->n++] = (struct named){name, role};
}

static char *role_of(const struct roles *r, const char *name)
{
    if (r->map)
        return xstrdup(map_get(r->map, name, NULL));
    for (size_t i = 0; name && i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return xstrdup(r->v[i].role);
    return NULL;
}

static void fill_roles(struct case_doc *c)
{
    if (!roles_to_fill(c))
        return; /* the table below would change nothing */
    struct roles r = {NULL, 0, 0, NULL};
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++)
            note_role(&r, c->subitems[i].guests[k].name, c->subitems[i].guests[k].role);
    for (size_t k = 0; k < c->nguests; k++)
        note_role(&r, c->guests[k].name, c->guests[k].role);
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        for (size_t j = 0; j < d->nfollowups; j++) /* issue 10, flat follow-ups */
            note_role(&r, d->followups[j].owner, d->followups[j].role);
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            for (size_t j = 0; j < e->nfollowups; j++)
                note_role(&r, e->followups[j].owner, e->followups[j].role);
        }
    }
    if (r.n == 0)
        return;
    if (r.n > ROLES_LINEAR) {
        r.map = map_new();
        for (size_t i = 0; i < r.n; i++)
            map_put(r.map, r.v[i].name, NULL, r.v[i].role); /* the first of a name stays */
    }
    /* Only names ever carry a role, so a unit owner never finds one here. */
    for (size_t k = 0; k < c->nguests; k++)
        if (!c->guests[k].role)
            c->guests[k].role = role_of(&r, c->guests[k].name);
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++) {
            struct guest *g = &c->subitems[i].guests[k];
            if (!g->role)
                g->role = role_of(&r, g->name);
        }
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        for (size_t j = 0; j < d->nfollowups; j++) /* issue 10, flat follow-ups */
            if (!d->followups[j].role)
                d->followups[j].role = role_of(&r, d->followups[j].owner);
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            for (size_t j = 0; j < e->nfollowups; j++)
                if (!e->followups[j].role)
                    e->followups[j].role = role_of(&r, e->followups[j].owner);
        }
    }
    if (r.map)
        xmlHashFree(r.map, NULL);
    free(r.v);
}

/* Keeps the first guest of each name in a list (taking a later mention's role when the
 * first had none). */
static void dedupe_guests(struct guest *v, size_t *n)
{
    if (*n < 2)
        return; /* most sub-items: nothing to compare, no table to make */
    xmlHashTablePtr seen = *n > ROLES_LINEAR ? map_new() : NULL;
    size_t out = 0;
    for (size_t k = 0; k < *n; k++) {
        struct guest g = v[k];
        size_t at = out;
        if (seen) {
            /* The value is the kept guest's index + 1 (non-NULL). */
            if (!map_put(seen, g.name, NULL, (const void *)(uintptr_t)(out + 1)))
                at = (uintptr_t)map_get(seen, g.name, NULL) - 1;
        } else {
            for (size_t j = 0; j < out && at == out; j++)
                if (strcmp(v[j].name, g.name) == 0)
                    at = j;
        }
        if (at == out) {
            v[out++] = g;
            continue;
        }
        struct guest *first = &v[at];
        if (!first->role) {
            first->role = g.role;
            g.role = NULL;
        }
        free(g.name);
        free(g.role);
    }
    *n = out;
    if (seen)
        xmlHashFree(seen, NULL);
}

/* Hands each sub-item its guests, in the order found; sub == nsubitems is the case's own
 * (a case without a Tid/Punkt table). */
static void distribute(struct case_doc *c, struct gather *g)
{
    size_t *count = xcalloc(c->nsubitems + 1, sizeof *count);
    for (size_t i = 0; i < g->n; i++)
        count[g->v[i].sub]++;
    for (size_t i = 0; i < c->nsubitems; i++)
        if (count[i])
            c->subitems[i].guests = xcalloc(count[i], sizeof(struct guest));
    if (count[c->nsubitems])
        c->guests = xcalloc(count[c->nsubitems], sizeof(struct guest));
    for (size_t i = 0; i < g->n; i++) {
        if (g->v[i].sub == c->nsubitems) {
            c->guests[c->nguests++] = g->v[i].g;
            continue;
        }
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

/* The date a decision's due dates are read against: its own, when it is an ISO date. */
static const char *decision_ref(const struct decision *d)
{
    int y, m, day;
    return date_parse_iso(d->date, &y, &m, &day) < 0 ? NULL : d->date;
}

void extract_case(struct case_doc *c, struct warnings *w)
{
    if (!c)
        return;
    pthread_once(&keys_once, keys_init);
    clear(c);
    struct gather guests = {NULL, 0, 0};
    for (size_t i = 0; i < c->nsubitems; i++) {
        scan_text(c->subitems[i].title, &guests, i, NULL, NULL);
        scan_text(c->subitems[i].text, &guests, i, NULL, NULL);
    }
    /* A case without a table has its guests itself: they are named anywhere in its text
     * (an item of a meeting document: "X deltog under behandlingen af punktet"). */
    bool flat = c->nsubitems == 0;
    if (flat) {
        scan_text(c->presentation, &guests, 0, NULL, NULL);
        scan_text(c->recommendation, &guests, 0, NULL, NULL);
        for (size_t i = 0; i < c->nsections; i++)
            scan_text(c->sections[i].text, &guests, 0, NULL, NULL);
        /* A decision without entries: its text is read for follow-ups in the same pass
         * (issue 10, flat follow-ups). */
        for (size_t i = 0; i < c->ndecisions; i++) {
            struct decision *d = &c->decisions[i];
            struct fu_target t = {.d = d};
            scan_text(d->text, &guests, 0, d->nentries ? NULL : &t, decision_ref(d));
        }
    }
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        const char *ref = decision_ref(d);
        if (!ref) {
            if (w && d->nentries)
                warnings_add(w, 0, 0,
                             "decision %zu has no ISO date; dates without a year are skipped",
                             i + 1);
        }
        if (!flat && !d->nentries) { /* issue 10, flat follow-ups (flat: read above) */
            struct fu_target t = {.d = d};
            scan_text(d->text, NULL, 0, &t, ref);
        }
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            if (!e->text)
                continue;
            /* Guests of an entry that matches no sub-item are only looked for to warn. */
            struct gather lost = {NULL, 0, 0};
            bool matched = e->subitem >= 1 && e->subitem <= c->nsubitems;
            struct gather *g = matched || flat ? &guests : w ? &lost : NULL;
            struct fu_target t = {.e = e};
            scan_text(e->text, g, matched ? e->subitem - 1 : 0, &t, ref);
            if (lost.n)
                warnings_add(w, 0, 0,
                             "decision %zu, entry %zu names a guest but matches no sub-item",
                             i + 1, k + 1);
            free_gather(&lost);
            add_dates(e, ref);
        }
    }
    distribute(c, &guests);
    fill_roles(c);
    for (size_t i = 0; i < c->nsubitems; i++)
        dedupe_guests(c->subitems[i].guests, &c->subitems[i].nguests);
    dedupe_guests(c->guests, &c->nguests);
}

/* "pkt. 13", "punkt 2", "pkt 7": the item a sentence points at, into item (digits). */
static bool item_ref(const char *s, size_t n, char item[16])
{
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        if (i && ((unsigned char)s[i - 1] >= 0x80 || ((s[i - 1] | 0x20) >= 'a' &&
                                                      (s[i - 1] | 0x20) <= 'z')))
            continue;
        if (n - i >= 4 && strncasecmp(s + i, "pkt", 3) == 0)
            k = i + 3 + (s[i + 3] == '.');
        else if (n - i >= 6 && strncasecmp(s + i, "punkt", 5) == 0)
            k = i + 5;
        else
            continue;
        while (k < n && s[k] == ' ')
            k++;
        size_t d = 0;
        while (k + d < n && d < 15 && s[k + d] >= '0' && s[k + d] <= '9')
            d++;
        if (d && d < 15) {
            memcpy(item, s + k, d);
            item[d] = '\0';
            return true;
        }
    }
    return false;
}

size_t extract_guests(const char *text, struct extract_guest **out)
{
    *out = NULL;
    if (!text)
        return 0;
    pthread_once(&keys_once, keys_init);
    struct extract_guest *v = NULL;
    size_t nv = 0, cap = 0;
    size_t n = strlen(text), pos = 0, sn;
    const char *sp;
    struct sent S;
    while (next_sentence(text, n, &pos, &sp, &sn)) {
        sent_init(&S, sp, sn);
        if (!have(&S, 0))
            continue;
        have(&S, 1);
        if (!may_start_owner(S.t, S.nt, true))
            continue;
        struct gather g = {NULL, 0, 0};
        add_guests(&g, 0, &S);
        char item[16];
        bool has_item = g.n && item_ref(sp, sn, item);
        for (size_t i = 0; i < g.n; i++) {
            v = push(v, nv, &cap, sizeof *v);
            v[nv].name = g.v[i].g.name;
            v[nv].role = g.v[i].g.role;
            v[nv].item = has_item ? xstrdup(item) : NULL;
            nv++;
        }
        free(g.v);
    }
    *out = v;
    return nv;
}

void extract_guests_free(struct extract_guest *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].role);
        free(v[i].item);
    }
    free(v);
}
