/* write_txt: writer of the plain-text export of a case (no markup; table cells lose the title/text boundary). */
#include "minutes.h"

static void write(const struct case_doc *c, int flags, struct buf *out)
{
    (void)flags; /* public mode arrives as an already redacted model */
    minutes_write(MINUTES_TXT, c, out);
}

const struct fmt_writer fmt_write_txt = {"txt", "text/plain; charset=utf-8", write};
