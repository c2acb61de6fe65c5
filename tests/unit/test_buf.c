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

/* issue 11, readers: the validator's sixteen-byte steps against a plain decoder of RFC 3629,
 * on random text of ASCII, æøå, other sequences, broken ones and NULs, at every offset. */
static size_t utf8_reference(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                   : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (c == 0 || len == 0 || len > n - i)
            return i;
        unsigned cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return i;
            cp = cp << 6 | (p[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return n;
}

static void utf8_blocks(void)
{
    static const char *const parts[] = {"a", "Direktionen ", "\xc3\xa6", "\xc3\xb8", "\xc3\xa5",
                                        "\xc3\x86", "\xe2\x80\x93", "\xf0\x9f\x98\x80", "\xc2",
                                        "\xa0", "\xe2\x80", "\xed\xa0\x80", "\xc0\xaf", "\n"};
    unsigned seed = 11;
    for (int round = 0; round < 3000; round++) {
        char t[200];
        size_t n = 0;
        while (n < sizeof t - 16) { /* room for the longest part */
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 64;
            const char *q = r < 14 ? parts[r] : r < 60 ? &"abcdefghij klmnop"[r % 17] : NULL;
            size_t k = q ? (r < 14 ? strlen(q) : 1) : 1;
            if (q)
                memcpy(t + n, q, k);
            else
                t[n] = (char)(seed >> 8 & (round % 5 ? 0x7F : 0xFF)); /* a NUL now and then */
            n += k;
            if (round % 3 && (seed >> 4) % 23 == 0)
                break;
        }
        for (size_t off = 0; off < 17 && off < n; off++)
            CHECK_INT(utf8_invalid_at(t + off, n - off),
                      utf8_reference((const unsigned char *)t + off, n - off));
    }
}

int main(void)
{
    RUN(grows_and_stays_terminated);
    RUN(printf_longer_than_stack_buffer);
    RUN(escapers);
    RUN(error_format);
    RUN(utf8_checks);
    RUN(utf8_blocks); /* issue 11, readers */
    return TEST_REPORT();
}
