/* csv: RFC 4180 fields. */
#include "csv.h"

#include <string.h>

void csv_field(struct buf *b, const char *s)
{
    if (!s)
        return;
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
