/* format: the codec table, detection, and the read/write paths every codec shares. */
#include "format.h"
#include "mtext.h"
#include "../model/extract.h"
#include "../model/meeting_doc.h"
#include "../util/utf8.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const struct fmt_reader *const readers[] = {&fmt_read_md, &fmt_read_txt, &fmt_read_json};
static const struct fmt_writer *const writers[] = {&fmt_write_md, &fmt_write_txt, &fmt_write_json,
                                                    &fmt_write_html,
                                                    /* ---- issue 10, pdf ---- */
                                                    &fmt_write_pdf};
static const char *const reader_names[] = {"md", "txt", "json", NULL};
static const char *const writer_names[] = {"md", "txt", "json", "html",
                                           /* ---- issue 10, pdf ---- */
                                           "pdf", NULL};

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
        /* ---- issue 11, readers: the rendering goes into a buffer the thread keeps for the
         * next read (up to a megabyte): one large allocation fewer per document. ---- */
        static _Thread_local struct buf canon;
        buf_truncate(&canon, 0);
        buf_grow(&canon, n); /* the rendering is about as long as the source */
        same->write(c, 0, &canon);
        layout_capture(c, r->name, buf_cstr(&canon), canon.len, p, n);
        if (canon.cap > (1u << 20))
            buf_free(&canon);
        /* ---- end issue 11, readers ---- */
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

/* --- whole-meeting documents -------------------------------------------------------------- */

static const struct fmt_meeting_reader *const meeting_readers[] = {
    &fmt_read_meeting_html, &fmt_read_meeting_pdf, &fmt_read_meeting_txt};

const struct fmt_meeting_reader *fmt_meeting_reader_find(const char *name)
{
    for (size_t i = 0; i < COUNT(meeting_readers); i++)
        if (strcmp(meeting_readers[i]->name, name) == 0)
            return meeting_readers[i];
    return NULL;
}

const struct fmt_meeting_reader *fmt_detect_meeting(const char *p, size_t n)
{
    const struct fmt_meeting_reader *best = NULL;
    int score = 0;
    for (size_t i = 0; i < COUNT(meeting_readers); i++) {
        int s = meeting_readers[i]->sniff(p, n);
        if (s > score) {
            score = s;
            best = meeting_readers[i];
        }
    }
    return best;
}

/* Guests a sentence places at another item ("... deltog under behandlingen af pkt. 13"):
 * from the meeting's notes and from every item's text, to the item named. */
static void place_guests(struct meeting_doc *d, const char *text, struct meeting_item *own)
{
    struct extract_guest *v;
    size_t n = extract_guests(text, &v);
    for (size_t i = 0; i < n; i++) {
        struct meeting_item *to = meeting_doc_item(d, v[i].item);
        if (!to || to == own)
            continue;
        struct case_doc *c = to->c;
        bool have = false;
        for (size_t k = 0; k < c->nguests && !have; k++)
            have = strcmp(c->guests[k].name, v[i].name) == 0;
        if (!have) {
            struct guest *g = case_add_guest(c);
            g->name = xstrdup(v[i].name);
            g->role = xstrdup(v[i].role);
        }
        /* Named in another item's text, the guest is not that item's. */
        if (own)
            for (size_t k = 0; k < own->c->nguests; k++)
                if (strcmp(own->c->guests[k].name, v[i].name) == 0) {
                    guest_fini(&own->c->guests[k]);
                    memmove(&own->c->guests[k], &own->c->guests[k + 1],
                            (own->c->nguests - k - 1) * sizeof *own->c->guests);
                    own->c->nguests--;
                    break;
                }
    }
    extract_guests_free(v, n);
}

int fmt_read_meeting(const struct fmt_meeting_reader *r, const char *p, size_t n, int flags,
                     struct meeting_doc **out, struct err *e, struct warnings *w)
{
    *out = NULL;
    if (n > FMT_MEETING_MAX) {
        err_set(e, ERR_LIMIT, 1, 1, "expected a document of at most %u MB, found %zu MB",
                FMT_MEETING_MAX >> 20, n >> 20);
        return ERR_LIMIT;
    }
    if (!r->binary) {
        size_t bad = utf8_invalid_at(p, n);
        if (bad < n && r != &fmt_read_meeting_html) {
            unsigned line, col;
            utf8_position(p, bad, &line, &col);
            err_set(e, ERR_UTF8, line, col,
                    p[bad] ? "expected UTF-8 text, found byte 0x%02X"
                           : "expected text, found a NUL byte",
                    (unsigned char)p[bad]);
            return ERR_UTF8;
        }
    }
    struct mtext t = {0};
    int rc = r->lines(p, n, flags, &t, e, w);
    struct meeting_doc *d = NULL;
    if (rc == 0)
        rc = meeting_parse(&t, flags, &d, e, w);
    mtext_fini(&t);
    if (rc < 0)
        return rc;
    if (!(flags & FMT_NOEXTRACT)) {
        for (size_t i = 0; i < d->nitems; i++)
            extract_case(d->items[i].c, NULL);
        place_guests(d, d->notes, NULL);
        for (size_t i = 0; i < d->nitems; i++) {
            struct case_doc *c = d->items[i].c;
            place_guests(d, c->presentation, &d->items[i]);
            for (size_t k = 0; k < c->nsections; k++)
                place_guests(d, c->sections[k].text, &d->items[i]);
            for (size_t k = 0; k < c->ndecisions; k++)
                for (size_t j = 0; j < c->decisions[k].nentries; j++)
                    place_guests(d, c->decisions[k].entries[j].text, &d->items[i]);
        }
    }
    *out = d;
    return 0;
}
