/* sdg: the 17 verdensmål as data, sets of goals, and suggestions by word list (sdg.h). */
#include "sdg.h"

#include <stdlib.h>
#include <string.h>

/* The Danish names as FN-forbundet and the Danish government use them, and the colours of
 * the UN's SDG communication guidelines. */
static const struct sdg_goal goals[SDG_COUNT] = {
    {1, "Afskaf fattigdom", "#E5243B"},
    {2, "Stop sult", "#DDA63A"},
    {3, "Sundhed og trivsel", "#4C9F38"},
    {4, "Kvalitetsuddannelse", "#C5192D"},
    {5, "Ligestilling mellem kønnene", "#FF3A21"},
    {6, "Rent vand og sanitet", "#26BDE2"},
    {7, "Bæredygtig energi", "#FCC30B"},
    {8, "Anstændige jobs og økonomisk vækst", "#A21942"},
    {9, "Industri, innovation og infrastruktur", "#FD6925"},
    {10, "Mindre ulighed", "#DD1367"},
    {11, "Bæredygtige byer og lokalsamfund", "#FD9D24"},
    {12, "Ansvarligt forbrug og produktion", "#BF8B2E"},
    {13, "Klimaindsats", "#3F7E44"},
    {14, "Livet i havet", "#0A97D9"},
    {15, "Livet på land", "#56C02B"},
    {16, "Fred, retfærdighed og stærke institutioner", "#00689D"},
    {17, "Partnerskaber for handling", "#19486A"},
};

struct word {
    unsigned goal;
    unsigned weight;
    const char *pattern;
};

static const struct word words[] = {
#define SDG_WORD(g, w, p) {g, w, p},
#include "sdg_words.inc"
#undef SDG_WORD
};

const struct sdg_goal *sdg_goal(unsigned n)
{
    return n >= 1 && n <= SDG_COUNT ? &goals[n - 1] : NULL;
}

unsigned sdg_count(sdg_set s)
{
    unsigned n = 0;
    for (unsigned g = 1; g <= SDG_COUNT; g++)
        n += (s & SDG_BIT(g)) != 0;
    return n;
}

int sdg_parse(const char *s, sdg_set *out, const char **why)
{
    sdg_set set = 0;
    const char *p = s ? s : "";
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p < '0' || *p > '9')
            goto bad;
        unsigned n = 0;
        while (*p >= '0' && *p <= '9' && n < 100)
            n = n * 10 + (unsigned)(*p++ - '0');
        if (n < 1 || n > SDG_COUNT || (*p && *p != ' ' && *p != ',' && *p != '\t'))
            goto bad;
        if (set & SDG_BIT(n)) {
            if (why)
                *why = "expected each goal once";
            return -1;
        }
        set |= SDG_BIT(n);
    }
    *out = set;
    return 0;
bad:
    if (why)
        *why = "expected goal numbers from 1 to 17, separated by commas";
    return -1;
}

void sdg_format(sdg_set s, char *out)
{
    char *p = out;
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        if (!(s & SDG_BIT(g)))
            continue;
        if (p != out)
            *p++ = ',';
        if (g >= 10)
            *p++ = (char)('0' + g / 10);
        *p++ = (char)('0' + g % 10);
    }
    *p = '\0';
}

/* --- suggestions -------------------------------------------------------------------------- */

/* A word of the text lower-cased: ASCII, and the two-byte Latin-1 capitals (Æ Ø Å É ...);
 * every byte from 0x80 counts as a letter, so Danish words stay whole. */
enum { MAXWORD = 64 };

static size_t next_word(const unsigned char **pp, char *w)
{
    const unsigned char *p = *pp;
    while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p >= 0x80))
        p++;
    size_t n = 0;
    while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p >= 0x80)) {
        unsigned char c = *p++;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        else if (c >= 0x80 && c <= 0x9e && n > 0 && (unsigned char)w[n - 1] == 0xc3 && c != 0x97)
            c = (unsigned char)(c + 32); /* U+00C0-U+00DE, except the multiplication sign */
        if (n < MAXWORD - 1)
            w[n++] = (char)c;
    }
    w[n] = '\0';
    *pp = p;
    return n;
}

static bool matches(const char *pattern, const char *w)
{
    if (pattern[0] == '*')
        return strstr(w, pattern + 1) != NULL;
    if (pattern[0] == '=')
        return strcmp(w, pattern + 1) == 0;
    return strncmp(w, pattern, strlen(pattern)) == 0;
}

enum { NWORDS = sizeof words / sizeof words[0] };

static void score_into(const char *text, unsigned score[SDG_COUNT + 1], bool seen[NWORDS])
{
    if (!text)
        return;
    const unsigned char *p = (const unsigned char *)text;
    char w[MAXWORD];
    while (next_word(&p, w))
        for (size_t i = 0; i < NWORDS; i++)
            if (!seen[i] && matches(words[i].pattern, w)) {
                seen[i] = true;
                score[words[i].goal] += words[i].weight;
            }
}

void sdg_score(const char *text, unsigned score[SDG_COUNT + 1])
{
    bool seen[NWORDS] = {false};
    memset(score, 0, (SDG_COUNT + 1) * sizeof *score);
    score_into(text, score, seen);
}

static sdg_set pick(const unsigned score[SDG_COUNT + 1])
{
    sdg_set s = 0;
    for (unsigned k = 0; k < SDG_MAX_SUGGEST; k++) {
        unsigned best = 0;
        for (unsigned g = 1; g <= SDG_COUNT; g++)
            if (!(s & SDG_BIT(g)) && score[g] >= SDG_THRESHOLD && (!best || score[g] > score[best]))
                best = g;
        if (!best)
            break;
        s |= SDG_BIT(best);
    }
    return s;
}

sdg_set sdg_suggest(const char *text)
{
    unsigned score[SDG_COUNT + 1];
    sdg_score(text, score);
    return pick(score);
}

sdg_set sdg_suggest2(const char *title, const char *text)
{
    unsigned score[SDG_COUNT + 1] = {0};
    bool seen[NWORDS] = {false};
    score_into(title, score, seen);
    score_into(text, score, seen);
    return pick(score);
}
