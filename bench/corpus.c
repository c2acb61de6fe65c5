/* corpus: the archive benchmark's document stream, kept in memory in md and txt. */
#include "corpus.h"
#include "archive/gen.h"
#include "format/format.h"

#include <stdlib.h>
#include <string.h>

static void add_doc(struct corpus_docs *d, const char *p, size_t n)
{
    if (!d->off)
        d->off = xcalloc(1, sizeof *d->off);
    buf_put(&d->text, p, n);
    d->off = xrealloc(d->off, (d->n + 2) * sizeof *d->off);
    d->off[++d->n] = d->text.len;
}

int corpus_generate(struct corpus *c, const char *examples_dir, size_t target_bytes,
                    unsigned seed)
{
    memset(c, 0, sizeof *c);
    struct gen *g = gen_new(examples_dir, seed);
    if (!g)
        return -1;
    struct buf md = BUF_INIT, txt = BUF_INIT;
    while (c->md.text.len < target_bytes) {
        gen_next(g, &md);
        struct case_doc *doc = NULL;
        struct err e = {0};
        struct warnings w = {0};
        if (fmt_read(&fmt_read_md, md.ptr, md.len, FMT_NOLAYOUT | FMT_NOEXTRACT, &doc, &e, &w) == 0) {
            buf_truncate(&txt, 0);
            fmt_write(&fmt_write_txt, doc, FMT_NOLAYOUT, &txt);
            add_doc(&c->md, md.ptr, md.len);
            add_doc(&c->txt, txt.ptr, txt.len);
        }
        warnings_fini(&w);
        case_free(doc);
    }
    buf_free(&md);
    buf_free(&txt);
    gen_free(g);
    return 0;
}

void corpus_fini(struct corpus *c)
{
    buf_free(&c->md.text);
    buf_free(&c->txt.text);
    free(c->md.off);
    free(c->txt.off);
}
