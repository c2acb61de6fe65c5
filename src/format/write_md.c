/* write_md: writer of the Markdown export of a case (headings, <p> table cells). */
#include "minutes.h"

static void write(const struct case_doc *c, int flags, struct buf *out)
{
    /* Public mode arrives as an already redacted model; flags say how to write a stub. */
    minutes_write(MINUTES_MD, c, flags, out);
}

const struct fmt_writer fmt_write_md = {"md", "text/markdown; charset=utf-8", write};
