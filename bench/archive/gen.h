/* gen: the archive benchmark's corpus: an endless, seeded stream of Markdown cases made from
 * examples/ by varying names, dates, attachments and the number of sub-items. */
#ifndef REFERAT_BENCH_ARCHIVE_GEN_H
#define REFERAT_BENCH_ARCHIVE_GEN_H

#include <stddef.h>

#include "util/buf.h"

struct gen;

/* Reads the examples' Markdown cases (NN-*.md) from dir. Returns NULL when none parse. The
 * same dir and seed give the same stream of documents on every machine. */
struct gen *gen_new(const char *examples_dir, unsigned seed);
void gen_free(struct gen *g);

/* Replaces out's contents with the next document (canonical Markdown, about 10 sub-items
 * on average for agenda cases) and returns the number of sub-items it has. */
size_t gen_next(struct gen *g, struct buf *out);

#endif
