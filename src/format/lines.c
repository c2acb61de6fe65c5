/* lines: split a document into line views. */
#include "lines.h"
#include "../util/buf.h"

#include <string.h>

size_t lines_split(const char *p, size_t n, struct span **out)
{
    size_t count = 1;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(p + n - q))); q++)
        count++;
    struct span *v = xmalloc(count * sizeof *v);
    size_t k = 0;
    const char *start = p, *end = p + n;
    for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++) {
        v[k++] = (struct span){start, (size_t)(q - start)};
        start = q + 1;
    }
    v[k++] = (struct span){start, (size_t)(end - start)};
    *out = v;
    return k;
}
