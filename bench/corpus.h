/* corpus: the generated corpus of bench/import, held in memory in both export formats. */
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

/* Take documents from the seeded stream of bench/archive/gen.h (the examples varied in names,
 * dates, counts) until the Markdown reaches target_bytes; each also in plain text. The same
 * arguments give the same bytes. Returns 0, or -1 when no example could be read. */
int corpus_generate(struct corpus *c, const char *examples_dir, size_t target_bytes,
                    unsigned seed);
void corpus_fini(struct corpus *c);

#endif
