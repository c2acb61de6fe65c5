/* lines: split a document into line views. */
#include "lines.h"
#include "../util/buf.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* One pass: the array grows by doubling from a guess of one line per 48 bytes (exports'
 * lines are short, so a counting pass cost as much as the split). */
size_t lines_split_reuse(const char *p, size_t n, struct span **out, size_t *cap)
{
    size_t k = 0;
    struct span *v = *out;
    if (!v || *cap < n / 48 + 16)
        v = xrealloc(v, (*cap = n / 48 + 16) * sizeof *v);
    const char *start = p, *end = p + n, *q = p;
#ifdef __SSE2__
    /* Sixteen bytes at a time, a line at each '\n' of the mask: lines are short, and a
     * memchr call per line cost more than the search. */
    const __m128i nl = _mm_set1_epi8('\n');
    for (; end - q >= 16; q += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)q), nl));
        for (; m; m &= m - 1) {
            const char *at = q + __builtin_ctz(m);
            if (k + 1 == *cap)
                v = xrealloc(v, (*cap *= 2) * sizeof *v);
            v[k++] = (struct span){start, (size_t)(at - start)};
            start = at + 1;
        }
    }
#endif
    for (; (q = memchr(q, '\n', (size_t)(end - q))); q++) {
        if (k + 1 == *cap)
            v = xrealloc(v, (*cap *= 2) * sizeof *v);
        v[k++] = (struct span){start, (size_t)(q - start)};
        start = q + 1;
    }
    v[k++] = (struct span){start, (size_t)(end - start)};
    *out = v;
    return k;
}

size_t lines_split(const char *p, size_t n, struct span **out)
{
    size_t cap = 0;
    *out = NULL;
    return lines_split_reuse(p, n, out, &cap);
}
