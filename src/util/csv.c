/* csv: RFC 4180 fields. */
#include "csv.h"

#include <stdbool.h>
#include <string.h>

/* A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula
 * (OWASP's "CSV injection"): such text gets a leading apostrophe, which the spreadsheet shows
 * as text. A number like -5 stays a number. */
static bool formula_like(const char *s)
{
    if (s[0] == '-')
        return !(s[1] >= '0' && s[1] <= '9') && s[1] != '\0';
    return s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
}

void csv_field(struct buf *b, const char *s)
{
    if (!s)
        return;
    if (formula_like(s)) {
        struct buf t = BUF_INIT;
        buf_putc(&t, '\'');
        buf_puts(&t, s);
        csv_field(b, buf_cstr(&t));
        buf_free(&t);
        return;
    }
    if (!strpbrk(s, ",\"\r\n")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

void csv_sep(struct buf *b)
{
    buf_putc(b, ',');
}

void csv_row_end(struct buf *b)
{
    buf_puts(b, "\r\n");
}
