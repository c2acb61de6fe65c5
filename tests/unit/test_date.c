/* test_date: ISO and Danish dates, year resolution and the date phrase scanner. */
#include "test.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/err.h"

#include <time.h>

#define NBSP "\xc2\xa0"      /* no-break space */
#define NDASH "\xe2\x80\x93" /* en dash */

/* Every phrase found in text[0..n), as "text|start|end" joined by ";". Also checks that each
 * span lies inside the text and that start <= end. Caller frees. */
static char *scan_n(const char *text, size_t n, const char *ref)
{
    struct buf b = BUF_INIT;
    struct date_span d;
    size_t pos = 0, last = 0;
    while (date_next(text, n, &pos, ref, &d)) {
        CHECK(d.off >= last && d.off + d.len <= n && d.off + d.len == pos && d.len > 0);
        CHECK(strcmp(d.start, d.end) <= 0);
        last = pos;
        buf_printf(&b, "%s%.*s|%s|%s", b.len ? ";" : "", (int)d.len, text + d.off, d.start, d.end);
    }
    CHECK_INT(pos, n);
    return buf_detach(&b);
}

static char *scan(const char *text, const char *ref)
{
    return scan_n(text, strlen(text), ref);
}

#define CHECK_SCAN(text, ref, want)                                                                \
    do {                                                                                           \
        char *got_ = scan(text, ref);                                                              \
        CHECK_STR(got_, want);                                                                     \
        free(got_);                                                                                \
    } while (0)

static void test_parse_dmy(void)
{
    char iso[11];
    CHECK_INT(date_parse_dmy("20-12-2023", iso), 0);
    CHECK_STR(iso, "2023-12-20");
    CHECK_INT(date_parse_dmy("01-11-2023", iso), 0);
    CHECK_STR(iso, "2023-11-01");
    CHECK_INT(date_parse_dmy("1-2-2024", iso), 0);
    CHECK_STR(iso, "2024-02-01");
    CHECK_INT(date_parse_dmy("29-02-2024", iso), 0);
    CHECK_STR(iso, "2024-02-29");
    const char *bad[] = {"29-02-2023",  "31-02-2024",
                         "31-04-2024",  "00-12-2023",
                         "20-13-2023",  "20-00-2023",
                         "20-12-23",    "20-12-20231",
                         "20-12-2023x", " 20-12-2023",
                         "20/12/2023",  "20.12.2023",
                         "2023-12-20",  "",
                         "-12-2023",    "123-12-2023",
                         "20-12-0999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        strcpy(iso, "garbage");
        CHECK_INT(date_parse_dmy(bad[i], iso), ERR_SYNTAX);
        CHECK_STR(iso, "");
    }
    CHECK_INT(date_parse_dmy(NULL, iso), ERR_SYNTAX);
}

static void test_parse_iso_and_valid(void)
{
    int y = 0, m = 0, d = 0;
    CHECK_INT(date_parse_iso("2023-12-20", &y, &m, &d), 0);
    CHECK_INT(y, 2023);
    CHECK_INT(m, 12);
    CHECK_INT(d, 20);
    CHECK_INT(date_parse_iso("2023-2-01", &y, &m, &d), ERR_SYNTAX);
    CHECK_INT(date_parse_iso("2023-02-30", &y, &m, &d), ERR_SYNTAX);
    CHECK_INT(date_parse_iso("2023-12-20T10:00", &y, &m, &d), ERR_SYNTAX);
    CHECK_INT(date_parse_iso(NULL, &y, &m, &d), ERR_SYNTAX);
    CHECK(date_valid(2000, 2, 29));
    CHECK(!date_valid(1900, 2, 29));
    CHECK(!date_valid(2023, 13, 1));
    CHECK(!date_valid(2023, 0, 1));
    CHECK(!date_valid(2023, 1, 0));
    CHECK(!date_valid(2023, 4, 31));
    CHECK(date_valid(2023, 12, 31));
    CHECK(!date_valid(10000, 1, 1));
    char iso[11];
    CHECK_INT(date_format_iso(2024, 1, 9, iso), 0);
    CHECK_STR(iso, "2024-01-09");
    CHECK_INT(date_format_iso(2024, 2, 30, iso), ERR_SYNTAX);
    CHECK_STR(iso, "");
}

static void test_month(void)
{
    size_t used = 99;
    CHECK_INT(date_month("januar 2024", 11, &used), 1);
    CHECK_INT(used, 6);
    CHECK_INT(date_month("Marts", 5, &used), 3);
    CHECK_INT(date_month("DECEMBER", 8, &used), 12);
    CHECK_INT(date_month("maj.", 4, &used), 5);
    CHECK_INT(used, 3);
    CHECK_INT(date_month("nov. 2023", 9, &used), 11);
    CHECK_INT(used, 4);
    CHECK_INT(date_month("sept.", 5, &used), 9);
    CHECK_INT(used, 5);
    CHECK_INT(date_month("sep", 3, &used), 9);
    CHECK_INT(used, 3);
    CHECK_INT(date_month("okt,", 4, &used), 10);
    CHECK_INT(used, 3);
    /* The length bounds the word: "jan" out of "januar". */
    CHECK_INT(date_month("januar", 3, &used), 1);
    CHECK_INT(used, 3);
    CHECK_INT(date_month("martsmøde", 9, &used), 0);
    CHECK_INT(date_month("januarå", 8, &used), 0);
    CHECK_INT(date_month("januar" NBSP "2024", 12, &used), 1);
    CHECK_INT(date_month("ma", 2, &used), 0);
    CHECK_INT(date_month("novembre", 8, &used), 0);
    CHECK_INT(date_month("", 0, &used), 0);
    CHECK_INT(date_month("mandag", 6, &used), 0);
    CHECK_INT(date_month("septemberseptember", 18, &used), 0);
}

static void test_nearest_year(void)
{
    /* The examples: decision of 20-12-2023. */
    CHECK_INT(date_nearest_year("2023-12-20", 1, 9), 2024);
    CHECK_INT(date_nearest_year("2023-12-20", 11, 22), 2023);
    CHECK_INT(date_nearest_year("2023-12-20", 12, 20), 2023);
    /* 2023-06-20 and 2024-06-20 are both 183 days away: the later wins. */
    CHECK_INT(date_nearest_year("2023-12-20", 6, 20), 2024);
    CHECK_INT(date_nearest_year("2023-12-20", 6, 21), 2023);
    CHECK_INT(date_nearest_year("2024-01-05", 12, 28), 2023);
    CHECK_INT(date_nearest_year("2024-01-05", 7, 5), 2024);
    /* Only 2024 has a 29 February near 2023-12-20; no year has a 30th. */
    CHECK_INT(date_nearest_year("2023-12-20", 2, 29), 2024);
    CHECK_INT(date_nearest_year("2023-12-20", 2, 30), 0);
    CHECK_INT(date_nearest_year("2023-12-20", 13, 1), 0);
    CHECK_INT(date_nearest_year("20-12-2023", 1, 9), 0);
    CHECK_INT(date_nearest_year(NULL, 1, 9), 0);
    CHECK_INT(date_nearest_year("9999-12-20", 1, 9), 9999);
}

static void test_scan_seeds(void)
{
    CHECK_SCAN("Der afholdes Norddjurs Kommunes nytårskur 2024 d. 9. januar, og "
               "nytårskur for ledere d. 10. januar. Programmerne for både den 9. "
               "og den 10. blev godkendt.",
               "2023-12-20",
               "d. 9. januar|2024-01-09|2024-01-09;d. 10. januar|2024-01-10|2024-01-10");
    CHECK_SCAN("På direktionsmødet d. 22. november indledte direktionen", "2023-12-20",
               "d. 22. november|2023-11-22|2023-11-22");
    CHECK_SCAN("Der afholdes KB-seminar d. 22.-23. januar 2024. Direktionen drøftede "
               "programmet på direktionsmødet d. 13. december, hvor",
               "2023-12-20",
               "d. 22.-23. januar 2024|2024-01-22|2024-01-23;"
               "d. 13. december|2023-12-13|2023-12-13");
    CHECK_SCAN("Den 30. august 2023 drøftede direktionen", "2023-12-20",
               "Den 30. august 2023|2023-08-30|2023-08-30");
    CHECK_SCAN("forud for møde i chefforum den 8. november. Der tilrettelæ"
               "gges en politisk proces som forberedes til møde i ØK den 5. "
               "december.",
               "2023-11-01",
               "den 8. november|2023-11-08|2023-11-08;den 5. december|2023-12-05|2023-12-05");
    CHECK_SCAN("På direktionens møde 27. september blev det besluttet", "2023-11-01",
               "27. september|2023-09-27|2023-09-27");
    CHECK_SCAN("Program for chefforum 8. november", "2023-11-01",
               "8. november|2023-11-08|2023-11-08");
    CHECK_SCAN("PP til råderum - chefforum 8. nov", "2023-11-01", "8. nov|2023-11-08|2023-11-08");
}

static void test_scan_year_boundary(void)
{
    CHECK_SCAN("møde d. 28. december", "2024-01-05", "d. 28. december|2023-12-28|2023-12-28");
    CHECK_SCAN("møde d. 2. januar", "2023-12-20", "d. 2. januar|2024-01-02|2024-01-02");
    CHECK_SCAN("møde d. 2. januar 2023", "2023-12-20", "d. 2. januar 2023|2023-01-02|2023-01-02");
    CHECK_SCAN("fra 30. december - 2. januar", "2023-12-20",
               "30. december - 2. januar|2023-12-30|2024-01-02");
    CHECK_SCAN("28. december" NDASH "3. januar 2025", "2024-06-01",
               "28. december" NDASH "3. januar 2025|2024-12-28|2025-01-03");
    CHECK_SCAN("28. december 2024 - d. 3. januar", "2024-06-01",
               "28. december 2024 - d. 3. januar|2024-12-28|2025-01-03");
    CHECK_SCAN("d. 29. februar", "2023-12-20", "d. 29. februar|2024-02-29|2024-02-29");
}

static void test_scan_ranges(void)
{
    CHECK_SCAN("den 1.-3. marts", "2024-02-01", "den 1.-3. marts|2024-03-01|2024-03-03");
    CHECK_SCAN("d. 22. - 23. januar", "2023-12-20", "d. 22. - 23. januar|2024-01-22|2024-01-23");
    CHECK_SCAN("1." NDASH "31. dec. 2023", NULL, "1." NDASH "31. dec. 2023|2023-12-01|2023-12-31");
    CHECK_SCAN("d. 22. november-d. 3. december", "2023-12-20",
               "d. 22. november-d. 3. december|2023-11-22|2023-12-03");
    /* Backwards or impossible ranges name nothing. */
    CHECK_SCAN("d. 23.-22. januar 2024", "2023-12-20", "");
    CHECK_SCAN("28.-30. februar 2023", "2023-12-20", "");
    CHECK_SCAN("3. januar 2025 - 28. december 2024", "2023-12-20", "");
}

static void test_scan_abbreviations(void)
{
    CHECK_SCAN("d. 8. nov. og 1. feb 2024, 5. sept., 3. okt. og 12. Dec. 2023, 4. mar.",
               "2023-11-01",
               "d. 8. nov.|2023-11-08|2023-11-08;1. feb 2024|2024-02-01|2024-02-01;"
               "5. sept.|2023-09-05|2023-09-05;3. okt.|2023-10-03|2023-10-03;"
               "12. Dec. 2023|2023-12-12|2023-12-12;4. mar.|2024-03-04|2024-03-04");
    CHECK_SCAN("D. 9. Januar", "2023-12-20", "D. 9. Januar|2024-01-09|2024-01-09");
    CHECK_SCAN("d.9. januar og den 9 januar", "2023-12-20",
               "d.9. januar|2024-01-09|2024-01-09;den 9 januar|2024-01-09|2024-01-09");
    CHECK_SCAN("d." NBSP "9." NBSP "januar" NBSP "2024", NULL,
               "d." NBSP "9." NBSP "januar" NBSP "2024|2024-01-09|2024-01-09");
    CHECK_SCAN("(9. januar)", "2023-12-20", "9. januar|2024-01-09|2024-01-09");
}

static void test_scan_numeric(void)
{
    CHECK_SCAN("Beslutning i Direktionen den 20-12-2023", NULL,
               "den 20-12-2023|2023-12-20|2023-12-20");
    CHECK_SCAN("20.12.2023, 1/2/2024 og 2023-12-20.", NULL,
               "20.12.2023|2023-12-20|2023-12-20;1/2/2024|2024-02-01|2024-02-01;"
               "2023-12-20|2023-12-20|2023-12-20");
    CHECK_SCAN("120-12-2023 20-12-20234 20-12-2023x 20-12.2023 31-04-2024", NULL, "");
}

static void test_scan_invalid_and_none(void)
{
    CHECK_SCAN("d. 31. februar og 30. februar 2024, 32. januar, 0. januar, 29. februar 2023",
               "2023-12-20", "");
    CHECK_SCAN("Der blev givet en række bemærkninger.", "2023-12-20", "");
    CHECK_SCAN("den 9. og den 10. blev godkendt", "2023-12-20", "");
    CHECK_SCAN("kl. 10.30, version 3.0, 5 minutters oplæg, (122962/23), uge 45, 2024", "2023-12-20",
               "");
    CHECK_SCAN("X9. januar, 19. januarmøde, sag 123. januar, a9. januar, 1.5. maj", "2023-12-20",
               "");
    CHECK_SCAN("", "2023-12-20", "");
    /* Without a reference date only phrases with a year resolve. */
    CHECK_SCAN("d. 9. januar og d. 10. januar 2024", NULL,
               "d. 10. januar 2024|2024-01-10|2024-01-10");
    CHECK_SCAN("d. 9. januar", "not a date", "");
    size_t pos = 0;
    struct date_span d;
    CHECK(!date_next(NULL, 10, &pos, "2023-12-20", &d));
}

static void test_scan_bounds(void)
{
    /* The text need not end in NUL: the length is the end. */
    const char *t = "9. januar 2024 og 10. januar";
    char *got = scan_n(t, 9, "2023-12-20");
    CHECK_STR(got, "9. januar|2024-01-09|2024-01-09");
    free(got);
    got = scan_n(t, 6, "2023-12-20");
    CHECK_STR(got, "9. jan|2024-01-09|2024-01-09");
    free(got);
    got = scan_n(t, 4, "2023-12-20");
    CHECK_STR(got, "");
    free(got);
    /* Starting mid-text: a "d." before the start position is not taken into the phrase. */
    const char *u = "d. 9. januar";
    size_t pos = 3;
    struct date_span d;
    CHECK(date_next(u, strlen(u), &pos, "2023-12-20", &d));
    CHECK_INT(d.off, 3);
    CHECK_INT(d.len, 9);
}

static void test_scan_long(void)
{
    /* 1 MB of date phrases, then 1 MB of near misses and 1 MB of blanks after a day. */
    const char *unit = "d. 9. januar og ";
    size_t k = (1 << 20) / strlen(unit), found = 0;
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < k; i++)
        buf_puts(&b, unit);
    clock_t t0 = clock();
    size_t pos = 0;
    struct date_span d;
    while (date_next(b.ptr, b.len, &pos, "2023-12-20", &d))
        found++;
    CHECK_INT(found, k);
    buf_truncate(&b, 0);
    for (size_t i = 0; i < (1 << 20) / 4; i++)
        buf_puts(&b, "1.- ");
    pos = 0;
    CHECK(!date_next(b.ptr, b.len, &pos, "2023-12-20", &d));
    buf_truncate(&b, 0);
    buf_puts(&b, "9.");
    for (size_t i = 0; i < 1 << 20; i++)
        buf_putc(&b, ' ');
    buf_puts(&b, "januar");
    pos = 0;
    CHECK(!date_next(b.ptr, b.len, &pos, "2023-12-20", &d));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 5.0);
    buf_free(&b);
}

static void test_scan_random(void)
{
    /* Arbitrary bytes weighted towards date material: no crash, spans inside the text
     * (checked in scan_n), and every result a real day. */
    static const char *const parts[] = {"d. ", "den ", "9",      "31",   ". ",   ".",  "-",
                                        NDASH, " ",    "januar", "feb.", "2024", NBSP, "\xc3",
                                        "x",   "\n",   "12",     "-12-", "2023"};
    unsigned seed = 12345;
    struct buf b = BUF_INIT;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) % 40;
        if (r < sizeof parts / sizeof parts[0])
            buf_puts(&b, parts[r]);
        else
            buf_putc(&b, (char)(seed >> 8));
    }
    size_t pos = 0, found = 0;
    struct date_span d;
    while (date_next(b.ptr, b.len, &pos, "2023-12-20", &d)) {
        int y, m, day;
        CHECK_INT(date_parse_iso(d.start, &y, &m, &day), 0);
        CHECK_INT(date_parse_iso(d.end, &y, &m, &day), 0);
        CHECK(d.off + d.len <= b.len);
        found++;
    }
    CHECK(found > 0);
    buf_free(&b);
}

int main(void)
{
    RUN(test_parse_dmy);
    RUN(test_parse_iso_and_valid);
    RUN(test_month);
    RUN(test_nearest_year);
    RUN(test_scan_seeds);
    RUN(test_scan_year_boundary);
    RUN(test_scan_ranges);
    RUN(test_scan_abbreviations);
    RUN(test_scan_numeric);
    RUN(test_scan_invalid_and_none);
    RUN(test_scan_bounds);
    RUN(test_scan_long);
    RUN(test_scan_random);
    return TEST_REPORT();
}
