/* write_txt: writer of the plain-text export of a case (no markup; table cells lose the title/text boundary). */
#include "minutes.h"

static void write(const struct case_doc *c, int flags, struct buf *out)
{
    /* Public mode arrives as an already redacted model; flags say how to write a stub. */
    minutes_write(MINUTES_TXT, c, flags, out);
}

const struct fmt_writer fmt_write_txt = {"txt", "text/plain; charset=utf-8", write};
