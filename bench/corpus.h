/* corpus: a seeded, reproducible corpus of cases generated from examples/ for the benchmarks. */
#ifndef REFERAT_BENCH_CORPUS_H
#define REFERAT_BENCH_CORPUS_H

#include <stddef.h>

#include "util/buf.h"

/* Every document of one format lies back to back in text; doc k is
 * text.ptr[off[k] .. off[k + 1]). */
struct corpus_docs {
    struct buf text;
    size_t *off;
    size_t n;
};

struct corpus {
    struct corpus_docs md;
    struct corpus_docs txt;
};

/* Generate cases from the examples in examples_dir (their .md files) until the Markdown
 * documents reach target_bytes, varying names, dates, counts and numbers with a generator
 * seeded by seed: the same arguments give the same bytes. Returns 0, or -1 when no example
 * could be read. */
int corpus_generate(struct corpus *c, const char *examples_dir, size_t target_bytes,
                    unsigned seed);
void corpus_fini(struct corpus *c);

#endif
