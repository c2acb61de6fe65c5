/* test_buf: the growable buffer and its escapers; the error record; UTF-8 positions. */
#include "test.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

static void grows_and_stays_terminated(void)
{
    struct buf b = BUF_INIT;
    CHECK_STR(buf_cstr(&b), "");
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, 'x');
    CHECK_INT(b.len, 10000);
    CHECK_INT(b.ptr[b.len], 0);
    buf_printf(&b, "%d-%s", 42, "æøå");
    CHECK_STR(b.ptr + 10000, "42-æøå");
    buf_truncate(&b, 3);
    CHECK_STR(buf_cstr(&b), "xxx");
    char *s = buf_detach(&b);
    CHECK_STR(s, "xxx");
    CHECK(b.ptr == NULL && b.len == 0);
    free(s);
    s = buf_detach(&b);
    CHECK_STR(s, "");
    free(s);
}

static void printf_longer_than_stack_buffer(void)
{
    struct buf b = BUF_INIT;
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_printf(&b, "<%s>", big);
    CHECK_INT(b.len, 1001);
    CHECK(b.ptr[0] == '<' && b.ptr[1000] == '>');
    buf_free(&b);
}

static void escapers(void)
{
    struct buf b = BUF_INIT;
    const char *s = "<a href=\"x\">'&'</a>";
    buf_html_text(&b, s, strlen(s));
    CHECK_STR(buf_cstr(&b), "&lt;a href=\"x\"&gt;'&amp;'&lt;/a&gt;");
    buf_truncate(&b, 0);
    buf_html_attr(&b, s, strlen(s));
    CHECK_STR(buf_cstr(&b), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    buf_truncate(&b, 0);
    buf_url_arg(&b, "råderum & ØK/2", strlen("råderum & ØK/2"));
    CHECK_STR(buf_cstr(&b), "r%C3%A5derum%20%26%20%C3%98K%2F2");
    buf_free(&b);
}

static void error_format(void)
{
    struct err e = {.file = "case.txt"};
    err_set(&e, ERR_SYNTAX, 41, 1, "expected \"%s\"", "Beslutning i <organ> den DD-MM-YYYY");
    char out[256];
    err_format(&e, out, sizeof out);
    CHECK_STR(out, "case.txt:41:1: expected \"Beslutning i <organ> den DD-MM-YYYY\"");
    CHECK_STR(err_strerror(ERR_UTF8), "invalid UTF-8");
}

static void utf8_checks(void)
{
    const char ok[] = "Åben\nØkonomi æøå €𝄞";
    CHECK_INT(utf8_invalid_at(ok, strlen(ok)), strlen(ok));
    const char bad[] = "ab\ncd\xC3(x";
    CHECK_INT(utf8_invalid_at(bad, strlen(bad)), 5);
    unsigned line, col;
    utf8_position(bad, 5, &line, &col);
    CHECK_INT(line, 2);
    CHECK_INT(col, 3);
    const char overlong[] = "\xC0\xAF";
    CHECK_INT(utf8_invalid_at(overlong, 2), 0);
    const char surrogate[] = "a\xED\xA0\x80";
    CHECK_INT(utf8_invalid_at(surrogate, 4), 1);
    const char nul[] = "ab\0c";
    CHECK_INT(utf8_invalid_at(nul, 4), 2);
    const char lead[] = "ab\x9B\x92"; /* a continuation byte where a lead byte belongs */
    CHECK_INT(utf8_invalid_at(lead, 4), 2);
    const char lone[] = "\xC3";
    CHECK_INT(utf8_invalid_at(lone, 1), 0);
    const char cut[] = "æ\xE2\x82";
    CHECK_INT(utf8_invalid_at(cut, strlen(cut)), 2);
    utf8_position("Øko\xff", 3, &line, &col);
    CHECK_INT(col, 3);
}

int main(void)
{
    RUN(grows_and_stays_terminated);
    RUN(printf_longer_than_stack_buffer);
    RUN(escapers);
    RUN(error_format);
    RUN(utf8_checks);
    return TEST_REPORT();
}
