/* fuzz_reader: one target per reader (FUZZ_READER names it): parse any bytes, then run every
 * writer, staff and public, on what was parsed, and check the roundtrip promises. */
#include "format/format.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- what the line formats carry of a model (docs/json.md, "md and txt") ------------------ */

static void set(char **field, char *value)
{
    free(*field);
    *field = value;
}

static size_t rtrim_len(const char *p, size_t n)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
        n--;
    return n;
}

static char *rtrimmed(const char *s)
{
    return s ? xstrndup(s, rtrim_len(s, strlen(s))) : NULL;
}

/* Paragraphs as the exports carry them: lines without trailing blanks, blank lines as one
 * paragraph break, none at either end; nothing is NULL. */
static char *paragraphs(const char *s)
{
    if (!s)
        return NULL;
    struct buf b = BUF_INIT;
    int pending = 0;
    for (const char *p = s;;) {
        const char *nl = strchr(p, '\n');
        size_t n = rtrim_len(p, nl ? (size_t)(nl - p) : strlen(p));
        if (!n) {
            pending = b.len > 0;
        } else {
            if (b.len)
                buf_puts(&b, pending ? "\n\n" : "\n");
            pending = 0;
            buf_put(&b, p, n);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return b.len ? buf_detach(&b) : (buf_free(&b), NULL);
}

/* A txt table cell: title and text on one line, a run of line breaks as one space. */
static char *one_line(const struct subitem *s)
{
    struct buf b = BUF_INIT;
    for (int k = 0; k < 2; k++) {
        const char *t = k ? s->text : s->title;
        if (!t)
            continue;
        if (k)
            buf_putc(&b, ' ');
        for (; *t; t++) {
            if (*t != '\n')
                buf_putc(&b, *t);
            else if (t[1] != '\n')
                buf_putc(&b, ' ');
        }
    }
    char *r = xstrndup(buf_cstr(&b), rtrim_len(buf_cstr(&b), b.len));
    buf_free(&b);
    return r;
}

/* A copy of c holding what an export of it in md (txt false) or txt gives back. Left out:
 * the layout, what the readers extract (guests, follow-ups, dates, which sub-item an entry is
 * about), and white space that is layout in a line format. Where the intro ends is where the
 * table begins; in txt, where a cell's title ends is guessed. */
static struct case_doc *carried(const struct case_doc *c, int txt)
{
    struct case_doc *n = case_dup(c);
    layout_fini(&n->layout);
    /* What only cases written in referat hold: the public title and text of a closed case,
     * and planned durations. */
    set(&n->public_title, NULL);
    set(&n->public_text, NULL);
    for (size_t i = 0; i < n->nsubitems; i++)
        n->subitems[i].duration = 0;
    if (txt)
        set(&n->title, rtrimmed(n->title));
    size_t kept = 0;
    for (size_t i = 0; i < n->nroute; i++) {
        const char *r = n->route[i];
        r += strspn(r, " \t\r");
        size_t len = rtrim_len(r, strlen(r));
        char *code = len ? xstrndup(r, len) : NULL;
        free(n->route[i]);
        if (code)
            n->route[kept++] = code;
    }
    n->nroute = kept;
    n->has_table |= n->nsubitems > 0;
    struct buf head = BUF_INIT;
    buf_puts(&head, n->presentation ? n->presentation : "");
    buf_puts(&head, "\n\n");
    buf_puts(&head, n->intro ? n->intro : "");
    set(&n->presentation, paragraphs(buf_cstr(&head)));
    buf_free(&head);
    set(&n->intro, NULL);
    char *cut = NULL;
    for (char *q = n->presentation; n->has_table && q && (q = strstr(q, "\n\n")); q += 2)
        cut = q;
    if (n->has_table && n->presentation) {
        set(&n->intro, xstrdup(cut ? cut + 2 : n->presentation));
        if (cut)
            *cut = '\0';
        else
            set(&n->presentation, NULL);
    }
    for (size_t i = 0; i < n->nsubitems; i++) {
        struct subitem *s = &n->subitems[i];
        if (s->time && !*s->time)
            set(&s->time, NULL);
        if (txt) {
            set(&s->title, one_line(s));
            set(&s->text, NULL);
        }
        for (size_t g = 0; g < s->nguests; g++) {
            free(s->guests[g].name);
            free(s->guests[g].role);
        }
        s->nguests = 0;
    }
    set(&n->recommendation, paragraphs(n->recommendation));
    for (size_t i = 0; i < n->ndecisions; i++) {
        struct decision *d = &n->decisions[i];
        set(&d->text, paragraphs(d->text));
        for (size_t f = 0; f < d->nfollowups; f++) { /* issue 10, flat follow-ups */
            free(d->followups[f].owner);
            free(d->followups[f].role);
            free(d->followups[f].text);
            free(d->followups[f].due);
        }
        d->nfollowups = 0;
        for (size_t k = 0; k < d->nentries; k++) {
            struct entry *e = &d->entries[k];
            set(&e->title, rtrimmed(e->title));
            set(&e->text, paragraphs(e->text));
            e->subitem = 0;
            for (size_t f = 0; f < e->nfollowups; f++) {
                free(e->followups[f].owner);
                free(e->followups[f].role);
                free(e->followups[f].text);
                free(e->followups[f].due);
            }
            e->nfollowups = 0;
            for (size_t f = 0; f < e->ndates; f++) {
                free(e->dates[f].text);
                free(e->dates[f].start);
                free(e->dates[f].end);
            }
            e->ndates = 0;
        }
    }
    /* ---- issue 9, minutes: a tillæg's reason and text are paragraphs in the exports ---- */
    for (size_t i = 0; i < n->nadditions; i++) {
        set(&n->additions[i].reason, paragraphs(n->additions[i].reason));
        set(&n->additions[i].text, paragraphs(n->additions[i].text));
    }
    /* ---- end issue 9, minutes ---- */
    n->has_attachments |= n->nattachments > 0;
    for (size_t i = 0; i < n->nattachments; i++)
        set(&n->attachments[i].title, rtrimmed(n->attachments[i].title));
    /* What only meeting documents give: case guests (extracted), case numbers and extra
     * sections, which no line format carries. */
    struct case_doc *bare = case_new();
    bare->guests = n->guests, bare->nguests = n->nguests;
    bare->refs = n->refs, bare->nrefs = n->nrefs;
    bare->sections = n->sections, bare->nsections = n->nsections;
    n->guests = NULL, n->nguests = 0;
    n->refs = NULL, n->nrefs = 0;
    n->sections = NULL, n->nsections = 0;
    case_free(bare);
    return n;
}

/* What the JSON reader accepts, md and txt carry: written as `convert` writes them (with the
 * layout where it applies), their strict readers take it back as the same model. So does the
 * public view of an open case. */
static void line_formats_carry(const struct case_doc *c)
{
    static const char *const names[] = {"md", "txt"};
    for (int pub = 0; pub < 2; pub++) {
        if (pub && !c->public)
            continue; /* a closed case's public view is its title: no export to read back */
        struct case_doc *v = pub ? case_view(c, AUDIENCE_PUBLIC) : case_dup(c);
        for (int k = 0; k < 2; k++) {
            struct buf b = BUF_INIT;
            fmt_write(fmt_writer_find(names[k]), c, pub ? FMT_PUBLIC : 0, &b);
            struct case_doc *back = NULL;
            struct err e = {0};
            struct warnings w = {0};
            int rc = fmt_read(fmt_reader_find(names[k]), buf_cstr(&b), b.len, 0, &back, &e, &w);
            warnings_fini(&w);
            if (rc != 0)
                fprintf(stderr, "%s%s written, then refused: %u:%u: %s\n---\n%s\n---\n", names[k],
                        pub ? " (public)" : "", e.line, e.col, e.msg, buf_cstr(&b));
            assert(rc == 0);
            struct case_doc *want = carried(v, k), *got = carried(back, k);
            if (!case_equal(want, got, false)) {
                struct buf j1 = BUF_INIT, j2 = BUF_INIT;
                fmt_write(&fmt_write_json, want, FMT_NOLAYOUT, &j1);
                fmt_write(&fmt_write_json, got, FMT_NOLAYOUT, &j2);
                fprintf(stderr, "%s%s read back differently:\n---\n%s\n--- want\n%s\n--- got\n%s\n",
                        names[k], pub ? " (public)" : "", buf_cstr(&b), buf_cstr(&j1),
                        buf_cstr(&j2));
                buf_free(&j1);
                buf_free(&j2);
            }
            assert(case_equal(want, got, false));
            case_free(want);
            case_free(got);
            case_free(back);
            buf_free(&b);
        }
        case_free(v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct fmt_reader *r = fmt_reader_find(FUZZ_READER);
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    for (int lenient = 0; lenient < 2; lenient++) {
        int rc = fmt_read(r, (const char *)data, size, lenient ? FMT_LENIENT : 0, &c, &e, &w);
        warnings_fini(&w);
        if (rc < 0) {
            assert(c == NULL && e.line > 0);
            continue;
        }
        static const char *const writers[] = {"md", "txt", "json", "html"};
        for (size_t i = 0; i < 4; i++) {
            for (int pub = 0; pub < 2; pub++) {
                struct buf b = BUF_INIT;
                fmt_write(fmt_writer_find(writers[i]), c, pub ? FMT_PUBLIC : 0, &b);
                buf_free(&b);
            }
        }
        /* What a line reader accepts it gives back byte for byte. */
        if (!lenient && r->is_export) {
            struct buf b = BUF_INIT;
            fmt_write(fmt_writer_find(r->name), c, 0, &b);
            assert(b.len == size && memcmp(b.ptr, data, size) == 0);
            buf_free(&b);
        }
        /* JSON carries the whole model. */
        struct buf j = BUF_INIT;
        fmt_write(&fmt_write_json, c, 0, &j);
        struct case_doc *back = NULL;
        struct err e2 = {0};
        int rc2 = fmt_read(&fmt_read_json, j.ptr, j.len, 0, &back, &e2, &w);
        warnings_fini(&w);
        if (rc2 != 0)
            fprintf(stderr, "json written, then refused: %u:%u: %s\n", e2.line, e2.col, e2.msg);
        assert(rc2 == 0 && case_equal(c, back, true));
        /* And every model that JSON accepts, the line formats carry. */
        line_formats_carry(back);
        case_free(back);
        buf_free(&j);
        case_free(c);
        c = NULL;
    }
    return 0;
}
