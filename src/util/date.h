/* date: ISO and Danish dates, and a scanner for Danish date phrases in running text. */
#ifndef REFERAT_DATE_H
#define REFERAT_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Calendar facts come from libical. Years are limited to 1000..9999 so that every ISO date
 * this module writes is exactly "YYYY-MM-DD". */

/* True when y-m-d names a real day. */
bool date_valid(int y, int m, int d);

/* Writes "YYYY-MM-DD". Returns 0, or ERR_SYNTAX (iso = "") when y-m-d is not a real day. */
int date_format_iso(int y, int m, int d, char iso[11]);

/* Local time in a named time zone (the IANA database through libical; the municipality's is
 * DATE_TZID). The instant a local "YYYY-MM-DDTHH:MM" is in zone tzid, and the instant the day
 * iso ends there (its next local midnight), as seconds since the epoch. Return 0, or
 * ERR_SYNTAX for a text that is not such a time or date, ERR_USAGE for an unknown zone. */
#define DATE_TZID "Europe/Copenhagen"
int date_local_instant(const char *local, const char *tzid, time_t *out);
int date_day_end(const char *iso, const char *tzid, time_t *out);

/* "20-12-2023" (day and month may have one digit; the whole string must be the date) to
 * "2023-12-20". Returns 0, or ERR_SYNTAX (iso = "") for anything else, including days that
 * do not exist (31-02-2024). s may be NULL. */
int date_parse_dmy(const char *s, char iso[11]);

/* "2023-12-20" exactly, a real day. Returns 0 and the parts, or ERR_SYNTAX. s may be NULL. */
int date_parse_iso(const char *s, int *y, int *m, int *d);

/* The month named at s[0..n): "januar".."december" or an abbreviation ("jan", "sept", "nov";
 * "maj" has none), ASCII case-insensitive, followed by a word boundary. An abbreviation's
 * trailing "." is consumed. Returns 1..12 and the bytes used, or 0. */
int date_month(const char *s, size_t n, size_t *used);

/* The year of the day nearest to ref (ISO) that falls on month m, day d: "9. januar" said
 * on 2023-12-20 is 2024, "22. november" is 2023. A tie goes to the later year. Returns 0
 * when ref is not an ISO date or no nearby year has that day (31. februar). */
int date_nearest_year(const char *ref, int m, int d);

/* One date phrase found in a text. */
struct date_span {
    size_t off; /* the phrase as written is text[off .. off + len) */
    size_t len;
    char start[11]; /* ISO */
    char end[11];   /* ISO; equal to start for a single day */
};

/* Finds the next date phrase in text[*pos .. n) and advances *pos past it. Recognised:
 * "[d.|den] 9. januar [2024]", month abbreviations ("8. nov."), ranges "22.-23. januar 2024"
 * and "30. december - 2. januar", numeric "20-12-2023" (also with "." or "/"). A leading
 * "d." or "den" is part of the phrase. Years left out are resolved with
 * date_nearest_year(ref, ...); phrases that need ref when ref is NULL or not ISO, and
 * phrases naming days that do not exist, are skipped. Returns false at the end. Runs in
 * time linear in n over a whole scan; text need not be NUL-terminated or valid UTF-8. */
bool date_next(const char *text, size_t n, size_t *pos, const char *ref, struct date_span *out);

/* ---- issue 10, remind ---- */
/* "5. marts 2030" from "2030-03-05"; iso itself (or "") when it is not an ISO date. */
void date_format_long(const char *iso, char out[32]);
/* Whole days from a to b (ISO dates; b - a), or 0 when either is not one. */
long date_days_between(const char *a, const char *b);
/* ---- end issue 10, remind ---- */

#endif
