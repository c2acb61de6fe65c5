/* bench_layouts: per layout family of examples/real-layouts, the share of the expected items,
 * decisions, guests and owners that the meeting readers find (recall) and the share of what
 * they find that is expected (precision). Beside it, the same documents through the case
 * readers (md/txt/json), the reference point from before the meeting readers: they read one
 * case per file at best, so nothing of a whole meeting.
 *
 * usage: bench_layouts [DIR [PDFDIR]]   (defaults: examples/real-layouts, the build's PDFs) */
#include "format/format.h"
#include "layout_summary.h"
#include "model/meeting_doc.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ITEMS, DECISIONS, GUESTS, OWNERS, NKIND };
static const char *const kinds[] = {"items", "decisions", "guests", "owners"};

/* The facts of one kind, each a string "item-number|fact", from a summary. */
static void facts(json_t *sum, int kind, json_t *out)
{
    json_t *items = json_object_get(sum, "items");
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        const char *no = json_string_value(json_object_get(it, "number"));
        char pre[64];
        snprintf(pre, sizeof pre, "%s|", no ? no : "-");
        struct buf b = BUF_INIT;
        if (kind == ITEMS) {
            buf_printf(&b, "%s%s|%s", pre, json_string_value(json_object_get(it, "title")),
                       json_is_true(json_object_get(it, "public")) ? "open" : "closed");
            json_array_append_new(out, json_string(buf_cstr(&b)));
            buf_free(&b);
            continue;
        }
        const char *key = kind == DECISIONS ? "decisions" : kind == GUESTS ? "guests" : "owners";
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(it, key), k, v) {
            buf_truncate(&b, 0);
            if (kind == DECISIONS)
                buf_printf(&b, "%s%s|%s", pre, json_string_value(json_object_get(v, "body")),
                           json_string_value(json_object_get(v, "date")));
            else
                buf_printf(&b, "%s%s", pre, json_string_value(v));
            json_array_append_new(out, json_string(buf_cstr(&b)));
        }
        buf_free(&b);
    }
}

static size_t common(json_t *a, json_t *b)
{
    size_t n = 0, i, k;
    json_t *x, *y;
    char *used = calloc(json_array_size(b) + 1, 1);
    json_array_foreach(a, i, x) {
        json_array_foreach(b, k, y) {
            if (!used[k] && json_equal(x, y)) {
                used[k] = 1;
                n++;
                break;
            }
        }
    }
    free(used);
    return n;
}

struct tally {
    size_t expected, found, right;
};

static void pct(size_t a, size_t b)
{
    if (b)
        printf(" %5.1f%%", 100.0 * (double)a / (double)b);
    else
        printf("     - ");
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : EXAMPLES_DIR "/real-layouts";
    const char *pdfdir = argc > 2 ? argv[2] : LAYOUTS_PDF_DIR;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_layouts: cannot read %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t nn = 0;
    for (struct dirent *de; (de = readdir(d));) {
        size_t n = strlen(de->d_name);
        if (n > 9 && strcmp(de->d_name + n - 9, ".expected") == 0) {
            names = realloc(names, (nn + 1) * sizeof *names);
            names[nn++] = strdup(de->d_name);
        }
    }
    closedir(d);
    for (size_t i = 0; i + 1 < nn; i++)
        for (size_t k = i + 1; k < nn; k++)
            if (strcmp(names[k], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[k];
                names[k] = t;
            }
    struct tally total[NKIND] = {0}, base[NKIND] = {0};
    printf("%-26s", "family (document)");
    for (int k = 0; k < NKIND; k++)
        printf(" %9s R/P     ", kinds[k]);
    printf("\n");
    for (size_t f = 0; f < nn; f++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[f]);
        json_t *want = json_load_file(path, 0, NULL);
        const char *doc = want ? json_string_value(json_object_get(want, "document")) : NULL;
        if (!doc) {
            fprintf(stderr, "bench_layouts: %s: no document\n", path);
            continue;
        }
        size_t dl = strlen(doc);
        snprintf(path, sizeof path, "%s/%s", dl > 4 && strcmp(doc + dl - 4, ".pdf") == 0 ? pdfdir
                                                                                        : dir,
                 doc);
        FILE *fp = fopen(path, "rb");
        struct buf b = BUF_INIT;
        if (fp) {
            char chunk[65536];
            size_t r;
            while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
                buf_put(&b, chunk, r);
            fclose(fp);
        }
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        const struct fmt_meeting_reader *r = fmt_detect_meeting(b.ptr ? b.ptr : "", b.len);
        if (!r || fmt_read_meeting(r, b.ptr ? b.ptr : "", b.len, FMT_LENIENT, &m, &e, &w) < 0)
            m = NULL;
        json_t *got = m ? layout_summary(m, doc, "") : json_pack("{s:[]}", "items");
        /* The case readers on the same bytes: at most one case, as a meeting of one item. */
        struct case_doc *c = NULL;
        const struct fmt_reader *cr = fmt_detect(b.ptr ? b.ptr : "", b.len);
        warnings_fini(&w);
        if (cr && fmt_read(cr, b.ptr ? b.ptr : "", b.len, FMT_LENIENT, &c, &e, &w) < 0)
            c = NULL;
        struct meeting_doc *one = meeting_doc_new();
        if (c) {
            case_free(meeting_doc_add_item(one)->c);
            one->items[0].c = c;
        }
        json_t *old = layout_summary(one, doc, "");
        char label[64];
        snprintf(label, sizeof label, "%.25s", names[f]);
        *strrchr(label, '.') = '\0';
        printf("%-26s", label);
        for (int k = 0; k < NKIND; k++) {
            json_t *wa = json_array(), *ga = json_array(), *oa = json_array();
            facts(want, k, wa);
            facts(got, k, ga);
            facts(old, k, oa);
            size_t right = common(ga, wa);
            total[k].expected += json_array_size(wa);
            total[k].found += json_array_size(ga);
            total[k].right += right;
            base[k].expected += json_array_size(wa);
            base[k].found += json_array_size(oa);
            base[k].right += common(oa, wa);
            printf(" %3zu", json_array_size(wa));
            pct(right, json_array_size(wa));
            pct(right, json_array_size(ga));
            json_decref(wa);
            json_decref(ga);
            json_decref(oa);
        }
        printf("\n");
        json_decref(old);
        json_decref(got);
        json_decref(want);
        meeting_doc_free(m);
        meeting_doc_free(one);
        warnings_fini(&w);
        buf_free(&b);
        free(names[f]);
    }
    free(names);
    printf("%-26s", "all (meeting readers)");
    for (int k = 0; k < NKIND; k++) {
        printf(" %3zu", total[k].expected);
        pct(total[k].right, total[k].expected);
        pct(total[k].right, total[k].found);
    }
    printf("\n%-26s", "all (case readers, before)");
    for (int k = 0; k < NKIND; k++) {
        printf(" %3zu", base[k].expected);
        pct(base[k].right, base[k].expected);
        pct(base[k].right, base[k].found);
    }
    printf("\n(R: recall, the share of expected facts found; P: precision, the share of found "
           "facts expected; lenient reading)\n");
    return 0;
}
