/* format: the codec table, detection, and the read/write paths every codec shares. */
#include "format.h"
#include "../model/extract.h"
#include "../util/utf8.h"

#include <assert.h>
#include <string.h>

static const struct fmt_reader *const readers[] = {&fmt_read_md, &fmt_read_txt, &fmt_read_json};
static const struct fmt_writer *const writers[] = {&fmt_write_md, &fmt_write_txt, &fmt_write_json,
                                                    &fmt_write_html};
static const char *const reader_names[] = {"md", "txt", "json", NULL};
static const char *const writer_names[] = {"md", "txt", "json", "html", NULL};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

const struct fmt_reader *fmt_reader_find(const char *name)
{
    for (size_t i = 0; i < COUNT(readers); i++)
        if (strcmp(readers[i]->name, name) == 0)
            return readers[i];
    return NULL;
}

const struct fmt_writer *fmt_writer_find(const char *name)
{
    for (size_t i = 0; i < COUNT(writers); i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    return NULL;
}

const char *const *fmt_reader_names(void)
{
    return reader_names;
}

const char *const *fmt_writer_names(void)
{
    return writer_names;
}

const struct fmt_reader *fmt_detect(const char *p, size_t n)
{
    const struct fmt_reader *best = NULL;
    int score = 0;
    for (size_t i = 0; i < COUNT(readers); i++) {
        int s = readers[i]->sniff(p, n);
        if (s > score) {
            score = s;
            best = readers[i];
        }
    }
    return best;
}

int fmt_read(const struct fmt_reader *r, const char *p, size_t n, int flags,
             struct case_doc **out, struct err *e, struct warnings *w)
{
    *out = NULL;
    size_t bad = utf8_invalid_at(p, n);
    if (bad < n) {
        unsigned line, col;
        utf8_position(p, bad, &line, &col);
        err_set(e, ERR_UTF8, line, col,
                p[bad] ? "expected UTF-8 text, found byte 0x%02X" : "expected text, found a NUL byte",
                (unsigned char)p[bad]);
        return ERR_UTF8;
    }
    struct case_doc *c = NULL;
    int rc = r->parse(p, n, flags, &c, e, w);
    if (rc < 0)
        return rc;
    if (r->is_export && !(flags & FMT_NOEXTRACT))
        extract_case(c, w);
    /* Exports keep their layout so the source comes back byte for byte; not after a lenient
     * read, whose source the strict reader may refuse (and every writer's output must read). */
    const struct fmt_writer *same = fmt_writer_find(r->name);
    if (r->is_export && same && !(flags & (FMT_NOLAYOUT | FMT_LENIENT))) {
        struct buf canon = BUF_INIT;
        buf_grow(&canon, n); /* the rendering is about as long as the source */
        same->write(c, 0, &canon);
        layout_capture(c, r->name, buf_cstr(&canon), canon.len, p, n);
        buf_free(&canon);
    }
    *out = c;
    return 0;
}

void fmt_write(const struct fmt_writer *wr, const struct case_doc *c, int flags, struct buf *out)
{
    if (flags & FMT_PUBLIC) {
        struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
        assert(case_is_redacted(v));
        wr->write(v, flags, out);
        case_free(v);
        return;
    }
    size_t from = out->len;
    wr->write(c, flags, out);
    if (!(flags & FMT_NOLAYOUT))
        layout_apply(c, wr->name, out, from);
}
