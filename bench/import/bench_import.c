/* bench_import: our Markdown and text readers (parse + extraction + layout) in MB/s beside
 * md4c's md_html on the same bytes, in the same run, as ratios. */
#include "../corpus.h"
#include "format/format.h"
#include "util/file.h"

#include <md4c-html.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sink(const MD_CHAR *p, MD_SIZE n, void *user)
{
    (void)p;
    *(size_t *)user += n;
}

static size_t failures;

static void read_all(const struct corpus_docs *d, const struct fmt_reader *r)
{
    for (size_t k = 0; k < d->n; k++) {
        struct case_doc *c = NULL;
        struct err e = {0};
        struct warnings w = {0};
        if (fmt_read(r, d->text.ptr + d->off[k], d->off[k + 1] - d->off[k], 0, &c, &e, &w) < 0)
            failures++;
        warnings_fini(&w);
        case_free(c);
    }
}

static void md4c_all(const struct corpus_docs *d)
{
    size_t out = 0;
    for (size_t k = 0; k < d->n; k++)
        md_html(d->text.ptr + d->off[k], (MD_SIZE)(d->off[k + 1] - d->off[k]), sink, &out, 0, 0);
}

/* The process's CPU time: on a shared machine the wall clock also counts the time other
 * processes held the cores, so each figure is also given in CPU seconds. */
static double cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Best of `rounds` (wall clock; its least CPU time into *cpu_best): the least disturbed run
 * on a noisy machine. */
#define BEST(rounds, cpu_best, expr)                                                         \
    ({                                                                                       \
        double best_ = 1e30;                                                                 \
        *(cpu_best) = 1e30;                                                                  \
        for (int r_ = 0; r_ < (rounds); r_++) {                                              \
            double t0_ = now(), c0_ = cpu();                                                 \
            expr;                                                                            \
            double t_ = now() - t0_, c_ = cpu() - c0_;                                       \
            if (t_ < best_)                                                                  \
                best_ = t_;                                                                  \
            if (c_ < *(cpu_best))                                                            \
                *(cpu_best) = c_;                                                            \
        }                                                                                    \
        best_;                                                                               \
    })

/* "--dump MB SEED": every document of the corpus read strictly and leniently, its model
 * (layout included) and warnings written as JSON lines to stdout, so that a change meant to
 * be only faster can be checked for giving the same models (diff two dumps). */
static void dump_docs(const char *name, const struct corpus_docs *d, const struct fmt_reader *r)
{
    struct buf out = BUF_INIT;
    for (size_t k = 0; k < d->n; k++)
        for (int lenient = 0; lenient < 2; lenient++) {
            struct case_doc *c = NULL;
            struct err e = {0};
            struct warnings w = {0};
            int rc = fmt_read(r, d->text.ptr + d->off[k], d->off[k + 1] - d->off[k],
                              lenient ? FMT_LENIENT : 0, &c, &e, &w);
            buf_truncate(&out, 0);
            buf_printf(&out, "%s %zu %s rc=%d", name, k, lenient ? "lenient" : "strict", rc);
            if (rc < 0)
                buf_printf(&out, " %u:%u %s", e.line, e.col, e.msg);
            for (size_t i = 0; i < w.n; i++)
                buf_printf(&out, " [%u:%u %s]", w.v[i].line, w.v[i].col, w.v[i].msg);
            buf_putc(&out, '\n');
            if (c)
                fmt_write(&fmt_write_json, c, 0, &out);
            fwrite(out.ptr, 1, out.len, stdout);
            putchar('\n');
            warnings_fini(&w);
            case_free(c);
        }
    buf_free(&out);
}

int main(int argc, char **argv)
{
    /* "--dump-files FILE...": each file read as one document by both readers. */
    if (argc > 2 && strcmp(argv[1], "--dump-files") == 0) {
        for (int i = 2; i < argc; i++) {
            struct corpus_docs d = {BUF_INIT, xcalloc(2, sizeof(size_t)), 1};
            struct err e = {0};
            if (file_read(argv[i], &d.text, &e) == 0) {
                d.off[1] = d.text.len;
                printf("== %s\n", argv[i]);
                dump_docs("md", &d, &fmt_read_md);
                dump_docs("txt", &d, &fmt_read_txt);
            }
            buf_free(&d.text);
            free(d.off);
        }
        return 0;
    }
    if (argc > 3 && strcmp(argv[1], "--dump") == 0) {
        struct corpus c;
        if (corpus_generate(&c, argc > 4 ? argv[4] : EXAMPLES_DIR,
                            strtoul(argv[2], NULL, 10) << 20,
                            (unsigned)strtoul(argv[3], NULL, 10)) < 0)
            return 1;
        dump_docs("md", &c.md, &fmt_read_md);
        dump_docs("txt", &c.txt, &fmt_read_txt);
        corpus_fini(&c);
        return 0;
    }
    size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    const char *examples = argc > 3 ? argv[3] : EXAMPLES_DIR;
    struct corpus c;
    double t0 = now();
    if (corpus_generate(&c, examples, mb << 20, 20231220) < 0) {
        fprintf(stderr, "bench_import: no examples in %s\n", examples);
        return 1;
    }
    double mdmb = (double)c.md.text.len / 1e6, txtmb = (double)c.txt.text.len / 1e6;
    printf("corpus: %zu cases, %.1f MB Markdown, %.1f MB text (generated in %.1f s, seed "
           "20231220)\n", c.md.n, mdmb, txtmb, now() - t0);

    double c_md4c_md, c_md4c_txt, c_md, c_txt;
    double t_md4c_md = BEST(rounds, &c_md4c_md, md4c_all(&c.md));
    double t_md4c_txt = BEST(rounds, &c_md4c_txt, md4c_all(&c.txt));
    double t_md = BEST(rounds, &c_md, read_all(&c.md, &fmt_read_md));
    double t_txt = BEST(rounds, &c_txt, read_all(&c.txt, &fmt_read_txt));

    printf("md4c md_html, Markdown corpus:  %8.1f MB/s\n", mdmb / t_md4c_md);
    printf("referat read md:                %8.1f MB/s  ratio %.2fx md4c\n", mdmb / t_md,
           t_md4c_md / t_md);
    printf("md4c md_html, text corpus:      %8.1f MB/s\n", txtmb / t_md4c_txt);
    printf("referat read txt:               %8.1f MB/s  ratio %.2fx md4c\n", txtmb / t_txt,
           t_md4c_txt / t_txt);
    printf("CPU time (best of %d): md4c %.3f s / %.3f s, read md %.3f s, read txt %.3f s: "
           "md cpu ratio %.2fx md4c, txt cpu ratio %.2fx md4c\n", rounds, c_md4c_md, c_md4c_txt,
           c_md, c_txt, c_md4c_md / c_md, c_md4c_txt / c_txt);
    if (failures)
        printf("FAILED: %zu documents did not parse\n", failures);
    corpus_fini(&c);
    return failures ? 1 : 0;
}
