/* read_txt: reader of the plain-text export of a case (no markup; table cells lose the title/text boundary). */
#include "minutes.h"

static int sniff(const char *p, size_t n)
{
    return minutes_sniff(MINUTES_TXT, p, n);
}

static int parse(const char *p, size_t n, int flags, struct case_doc **out, struct err *e,
                 struct warnings *w)
{
    return minutes_parse(MINUTES_TXT, p, n, flags, out, e, w);
}

const struct fmt_reader fmt_read_txt = {"txt", sniff, parse, 1};
