/* read_md: reader of the Markdown export of a case (headings, <p> table cells). */
#include "minutes.h"

static int sniff(const char *p, size_t n)
{
    return minutes_sniff(MINUTES_MD, p, n);
}

static int parse(const char *p, size_t n, int flags, struct case_doc **out, struct err *e,
                 struct warnings *w)
{
    return minutes_parse(MINUTES_MD, p, n, flags, out, e, w);
}

const struct fmt_reader fmt_read_md = {"md", sniff, parse, 1};
