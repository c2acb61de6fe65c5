/* date: ISO and Danish dates; finds Danish date phrases in text and resolves their year. */
#include "date.h"
#include "err.h"

#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Every phrase part is bounded (a day has 1-2 digits, a gap at most MAXGAP blank bytes), so
 * one attempt at a position costs O(1) and a whole scan is linear. */
#define MAXGAP 8
#define YEAR_MIN 1000
#define YEAR_MAX 9999

bool date_valid(int y, int m, int d)
{
    /* icaltime_days_in_month answers for months outside 1..12 too, so check those first. */
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1)
        return false;
    return d <= icaltime_days_in_month(m, y);
}

int date_format_iso(int y, int m, int d, char iso[11])
{
    iso[0] = '\0';
    if (!date_valid(y, m, d))
        return ERR_SYNTAX;
    /* By hand: the ranges are checked above, but the compiler cannot see it through
     * snprintf and warns about truncation. */
    const int parts[3][2] = {{y, 4}, {m, 2}, {d, 2}};
    char *p = iso;
    for (int k = 0; k < 3; k++) {
        for (int i = parts[k][1] - 1, v = parts[k][0]; i >= 0; i--, v /= 10)
            p[i] = (char)('0' + v % 10);
        p += parts[k][1];
        *p++ = k < 2 ? '-' : '\0';
    }
    return 0;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads min..max digits at s[*i], not followed by another digit. Returns the value or -1. */
static int digits(const char *s, size_t n, size_t *i, int min, int max)
{
    size_t j = *i;
    int v = 0;
    while (j < n && is_digit((unsigned char)s[j]) && (int)(j - *i) < max) {
        v = v * 10 + (s[j] - '0');
        j++;
    }
    if ((int)(j - *i) < min || (j < n && is_digit((unsigned char)s[j])))
        return -1;
    *i = j;
    return v;
}

int date_parse_dmy(const char *s, char iso[11])
{
    iso[0] = '\0';
    if (!s)
        return ERR_SYNTAX;
    size_t n = strlen(s), i = 0;
    int d = digits(s, n, &i, 1, 2);
    if (d < 0 || i >= n || s[i++] != '-')
        return ERR_SYNTAX;
    int m = digits(s, n, &i, 1, 2);
    if (m < 0 || i >= n || s[i++] != '-')
        return ERR_SYNTAX;
    int y = digits(s, n, &i, 4, 4);
    if (y < 0 || i != n)
        return ERR_SYNTAX;
    return date_format_iso(y, m, d, iso);
}

int date_parse_iso(const char *s, int *y, int *m, int *d)
{
    if (!s)
        return ERR_SYNTAX;
    size_t n = strlen(s), i = 0;
    int yy = digits(s, n, &i, 4, 4);
    if (yy < 0 || i >= n || s[i++] != '-')
        return ERR_SYNTAX;
    int mm = digits(s, n, &i, 2, 2);
    if (mm < 0 || i >= n || s[i++] != '-')
        return ERR_SYNTAX;
    int dd = digits(s, n, &i, 2, 2);
    if (dd < 0 || i != n || !date_valid(yy, mm, dd))
        return ERR_SYNTAX;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

/* True when s[i] starts a letter or digit. Non-ASCII: the two-byte sequences from U+00C0 on
 * and everything beyond U+0FFF count as letters, except the punctuation block (lead byte
 * E2: dashes, quotes); U+0080..U+00BF (lead C2: no-break space, symbols) do not. */
static bool letter_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return false;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return is_alpha(c) || is_digit(c);
    return c != 0xC2 && c != 0xE2;
}

int date_month(const char *s, size_t n, size_t *used)
{
    static const char *const full[12] = {"januar",    "februar", "marts",    "april",
                                         "maj",       "juni",    "juli",     "august",
                                         "september", "oktober", "november", "december"};
    static const struct {
        const char *name;
        int month;
    } abbr[] = {{"jan", 1}, {"feb", 2}, {"mar", 3},  {"apr", 4},  {"jun", 6},  {"jul", 7},
                {"aug", 8}, {"sep", 9}, {"sept", 9}, {"okt", 10}, {"nov", 11}, {"dec", 12}};
    char w[11];
    size_t len = 0;
    while (len < n && is_alpha((unsigned char)s[len])) {
        if (len == 10)
            return 0;
        w[len] = (char)(s[len] | 0x20);
        len++;
    }
    w[len] = '\0';
    if (letter_at(s, n, len))
        return 0; /* the word goes on: "martsø" */
    for (int k = 0; k < 12; k++) {
        if (strcmp(w, full[k]) == 0) {
            *used = len;
            return k + 1;
        }
    }
    for (size_t k = 0; k < sizeof abbr / sizeof abbr[0]; k++) {
        if (strcmp(w, abbr[k].name) == 0) {
            *used = len + (len < n && s[len] == '.');
            return abbr[k].month;
        }
    }
    return 0;
}

static int day_of_year(int y, int m, int d)
{
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = d;
    return icaltime_day_of_year(t);
}

int date_nearest_year(const char *ref, int m, int d)
{
    int ry, rm, rd;
    if (date_parse_iso(ref, &ry, &rm, &rd) < 0)
        return 0;
    int rdoy = day_of_year(ry, rm, rd);
    int best = 0;
    long bestdist = 0;
    for (int k = -1; k <= 1; k++) {
        int y = ry + k;
        if (!date_valid(y, m, d))
            continue;
        /* Signed distance in days from ref to y-m-d, counted through the year ends. */
        long dist = day_of_year(y, m, d) - rdoy;
        if (k < 0)
            dist -= icaltime_days_in_year(y);
        else if (k > 0)
            dist += icaltime_days_in_year(ry);
        long a = dist < 0 ? -dist : dist;
        if (!best || a <= bestdist) {
            best = y;
            bestdist = a;
        }
    }
    return best;
}

/* --- the scanner ------------------------------------------------------------------------ */

/* Blank bytes inside a phrase: space, tab and the UTF-8 no-break space. Returns the width of
 * the blank at s[i], or 0. */
static size_t blank(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    if (s[i] == ' ' || s[i] == '\t')
        return 1;
    if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
        return 2;
    return 0;
}

/* Skips at most MAXGAP bytes of blanks; returns how many bytes were skipped. */
static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    size_t j = i, w;
    while (j - i < MAXGAP && (w = blank(s, n, j)) > 0)
        j += w;
    return j - i;
}

/* A hyphen or an en/em dash at s[i]: returns its width, or 0. */
static size_t dash(const char *s, size_t n, size_t i)
{
    if (i < n && s[i] == '-')
        return 1;
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
        return 3;
    return 0;
}

/* A word character for boundary tests: ASCII letters and digits, and any non-ASCII byte
 * (Danish letters are multi-byte). */
static bool wordish(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c >= 0x80;
}

/* True when the byte before s[i] may precede a date: the start, a blank, an opening bracket
 * or quote, or punctuation that separates list items. */
static bool open_before(const char *s, size_t i)
{
    if (i == 0)
        return true;
    unsigned char c = (unsigned char)s[i - 1];
    if (c == 0xA0)
        return i >= 2 && (unsigned char)s[i - 2] == 0xC2;
    return strchr(" \t\r\n\v\f([{\"',;:>*_", c) != NULL && c != '\0';
}

/* A "d." or "den" right before s[i] (blanks between allowed), not reaching below lo.
 * Returns the offset where it starts, or i when there is none. */
static size_t prefix_before(const char *s, size_t lo, size_t i)
{
    size_t b = i, gap = 0;
    while (b > lo && gap < MAXGAP) {
        if (s[b - 1] == ' ' || s[b - 1] == '\t') {
            b--;
        } else if (b - 1 > lo && (unsigned char)s[b - 1] == 0xA0 &&
                   (unsigned char)s[b - 2] == 0xC2) {
            b -= 2;
        } else {
            break;
        }
        gap++;
    }
    size_t p;
    if (b >= lo + 2 && s[b - 1] == '.' && (s[b - 2] | 0x20) == 'd') {
        p = b - 2;
    } else if (b < i && b >= lo + 3 && (s[b - 3] | 0x20) == 'd' && (s[b - 2] | 0x20) == 'e' &&
               (s[b - 1] | 0x20) == 'n') {
        p = b - 3; /* "den" needs a blank before the day: "den9." is no prefix */
    } else {
        return i;
    }
    if (p > 0 && wordish((unsigned char)s[p - 1]))
        return i;
    return p;
}

/* A day and month ("9. januar", "8. nov.", "9 januar") at s[i], then an optional year.
 * y is 0 when no year is written. */
struct dm {
    int d, m, y;
    size_t end;
};

static bool parse_dm(const char *s, size_t n, size_t i, struct dm *r)
{
    size_t j = i;
    int d = digits(s, n, &j, 1, 2);
    if (d < 0)
        return false;
    bool dot = j < n && s[j] == '.';
    j += dot;
    size_t gap = skip_blanks(s, n, j);
    if (!dot && gap == 0)
        return false;
    j += gap;
    size_t used;
    int m = date_month(s + j, n - j, &used);
    if (!m)
        return false;
    j += used;
    r->d = d;
    r->m = m;
    r->y = 0;
    r->end = j;
    size_t k = j + skip_blanks(s, n, j);
    if (k > j) {
        int y = digits(s, n, &k, 4, 4);
        if (y >= 0 && !letter_at(s, n, k)) {
            r->y = y;
            r->end = k;
        }
    }
    return true;
}

/* Numeric "20-12-2023" (or with "." or "/") and ISO "2023-12-20" at s[i]. */
static bool parse_numeric(const char *s, size_t n, size_t i, struct dm *r)
{
    size_t j = i;
    int a = digits(s, n, &j, 1, 4);
    if (a < 0 || j >= n)
        return false;
    char sep = s[j];
    if (sep != '-' && sep != '.' && sep != '/')
        return false;
    bool iso = j - i == 4;
    if (!iso && j - i > 2)
        return false;
    j++;
    int b = digits(s, n, &j, iso ? 2 : 1, 2);
    if (b < 0 || j >= n || s[j] != sep || (iso && sep != '-'))
        return false;
    j++;
    int c = digits(s, n, &j, iso ? 2 : 4, iso ? 2 : 4);
    if (c < 0 || letter_at(s, n, j))
        return false;
    r->y = iso ? a : c;
    r->m = b;
    r->d = iso ? c : a;
    r->end = j;
    return true;
}

static int cmp_md(int m1, int d1, int m2, int d2)
{
    return m1 != m2 ? (m1 < m2 ? -1 : 1) : (d1 < d2 ? -1 : d1 > d2);
}

/* Fills out->start and out->end from a day (a) and an optional last day (b), resolving
 * missing years. */
static bool resolve(const struct dm *a, const struct dm *b, const char *ref, struct date_span *out)
{
    int y1 = a->y, y2 = b ? b->y : 0;
    if (!b) {
        if (!y1 && !(y1 = date_nearest_year(ref, a->m, a->d)))
            return false;
        if (date_format_iso(y1, a->m, a->d, out->start) < 0)
            return false;
        memcpy(out->end, out->start, 11);
        return true;
    }
    int order = cmp_md(a->m, a->d, b->m, b->d);
    if (!y1 && !y2) {
        if (!(y1 = date_nearest_year(ref, a->m, a->d)))
            return false;
    }
    if (!y1)
        y1 = order <= 0 ? y2 : y2 - 1;
    if (!y2)
        y2 = order <= 0 ? y1 : y1 + 1;
    if (y1 > y2 || (y1 == y2 && order > 0))
        return false;
    return date_format_iso(y1, a->m, a->d, out->start) == 0 &&
           date_format_iso(y2, b->m, b->d, out->end) == 0;
}

/* The range tail after a day or a day-month: blanks, a dash, blanks, an optional "d." or
 * "den", and a day-month. */
static bool parse_tail(const char *s, size_t n, size_t i, struct dm *r)
{
    size_t j = i + skip_blanks(s, n, i), w = dash(s, n, j);
    if (!w)
        return false;
    j += w;
    j += skip_blanks(s, n, j);
    if (j + 1 < n && (s[j] | 0x20) == 'd' && s[j + 1] == '.') {
        j += 2;
        j += skip_blanks(s, n, j);
    } else if (j + 3 < n && (s[j] | 0x20) == 'd' && (s[j + 1] | 0x20) == 'e' &&
               (s[j + 2] | 0x20) == 'n' && blank(s, n, j + 3)) {
        j += 3;
        j += skip_blanks(s, n, j);
    }
    return j < n && is_digit((unsigned char)s[j]) && parse_dm(s, n, j, r);
}

/* Tries every phrase shape at s[i] (a digit). Returns 1 for a date, -1 for a phrase that
 * names no real day or range (skipped whole, so its second half is not taken alone), 0 for
 * no phrase. out->len is set to the phrase's end offset in s. */
static int parse_at(const char *s, size_t n, size_t i, const char *ref, struct date_span *out)
{
    struct dm a, b;
    bool ok;
    if (parse_numeric(s, n, i, &a)) {
        out->len = a.end;
        ok = resolve(&a, NULL, ref, out);
    } else {
        /* "22.-23. januar": a bare day, then the tail gives the month (and year). */
        size_t j = i;
        int d = digits(s, n, &j, 1, 2);
        if (d < 0)
            return 0;
        j += j < n && s[j] == '.';
        if (parse_tail(s, n, j, &b)) {
            a.d = d;
            a.m = b.m;
            a.y = b.y;
            out->len = b.end;
            ok = resolve(&a, &b, ref, out);
        } else if (!parse_dm(s, n, i, &a)) {
            return 0;
        } else if (parse_tail(s, n, a.end, &b)) {
            out->len = b.end;
            ok = resolve(&a, &b, ref, out);
        } else {
            out->len = a.end;
            ok = resolve(&a, NULL, ref, out);
        }
    }
    return ok ? 1 : -1;
}

/* The first i' >= i with a digit at s[i'], or n. Eight bytes are tested at a time: after
 * xor with '0' a digit is a byte below 10, and the flag of the lowest such byte is exact (a
 * borrow only flags bytes above a true one). Dates are rare, so most text is skipped here. */
static size_t skip_to_digit(const char *s, size_t n, size_t i)
{
    while (n - i >= 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t x = v ^ 0x3030303030303030ull;
        uint64_t low = (x - 0x0A0A0A0A0A0A0A0Aull) & ~x & 0x8080808080808080ull;
        if (low)
            break;
        i += 8;
    }
    while (i < n && !is_digit((unsigned char)s[i]))
        i++;
    return i;
}

bool date_next(const char *text, size_t n, size_t *pos, const char *ref, struct date_span *out)
{
    if (!text)
        return false;
    size_t lo = *pos;
    for (size_t i = lo; i < n; i++) {
        i = skip_to_digit(text, n, i);
        if (i >= n)
            break;
        size_t p = prefix_before(text, lo, i);
        if ((p < i || open_before(text, i)) && (i == 0 || !is_digit((unsigned char)text[i - 1]))) {
            int r = parse_at(text, n, i, ref, out);
            if (r > 0) {
                out->off = p;
                out->len -= p;
                *pos = p + out->len;
                return true;
            }
            if (r < 0) {
                i = out->len - 1;
                continue;
            }
        }
        while (i + 1 < n && is_digit((unsigned char)text[i + 1]))
            i++;
    }
    *pos = n;
    return false;
}

/* ---- local time ---- */

static int zone_time(int y, int mo, int d, int h, int mi, const char *tzid, time_t *out)
{
    icaltimezone *tz = icaltimezone_get_builtin_timezone(tzid);
    if (!tz)
        return ERR_USAGE;
    struct icaltimetype t = icaltime_null_time();
    t.year = y;
    t.month = mo;
    t.day = d;
    t.hour = h;
    t.minute = mi;
    *out = icaltime_as_timet_with_zone(t, tz);
    return 0;
}

int date_local_instant(const char *local, const char *tzid, time_t *out)
{
    int y, mo, d, h, mi;
    char iso[11];
    if (!local || strlen(local) != 16 || local[10] != 'T' || local[13] != ':')
        return ERR_SYNTAX;
    memcpy(iso, local, 10);
    iso[10] = '\0';
    if (date_parse_iso(iso, &y, &mo, &d) != 0 || !is_digit((unsigned char)local[11]) ||
        !is_digit((unsigned char)local[12]) || !is_digit((unsigned char)local[14]) ||
        !is_digit((unsigned char)local[15]))
        return ERR_SYNTAX;
    h = (local[11] - '0') * 10 + (local[12] - '0');
    mi = (local[14] - '0') * 10 + (local[15] - '0');
    if (h > 23 || mi > 59)
        return ERR_SYNTAX;
    return zone_time(y, mo, d, h, mi, tzid, out);
}

int date_day_end(const char *iso, const char *tzid, time_t *out)
{
    int y, mo, d;
    if (date_parse_iso(iso, &y, &mo, &d) != 0)
        return ERR_SYNTAX;
    /* The next day's midnight: icaltime normalises day 32 and the like. */
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = mo;
    t.day = d;
    icaltime_adjust(&t, 1, 0, 0, 0);
    return zone_time(t.year, t.month, t.day, 0, 0, tzid, out);
}

/* ---- issue 10, remind ---- */
void date_format_long(const char *iso, char out[32])
{
    static const char *const months[12] = {"januar",    "februar", "marts",    "april",
                                           "maj",       "juni",    "juli",     "august",
                                           "september", "oktober", "november", "december"};
    int y, m, d;
    if (iso && date_parse_iso(iso, &y, &m, &d) == 0)
        snprintf(out, 32, "%d. %s %d", d, months[m - 1], y);
    else
        snprintf(out, 32, "%s", iso ? iso : "");
}

/* Days since 1970-01-01 of a date, by the C library's UTC calendar (noon: no edge). */
static long epoch_day(int y, int m, int d)
{
    struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    return (long)(timegm(&t) / 86400);
}

long date_days_between(const char *a, const char *b)
{
    int ya, ma, da, yb, mb, db;
    if (!a || !b || date_parse_iso(a, &ya, &ma, &da) != 0 || date_parse_iso(b, &yb, &mb, &db) != 0)
        return 0;
    return epoch_day(yb, mb, db) - epoch_day(ya, ma, da);
}
/* ---- end issue 10, remind ---- */
