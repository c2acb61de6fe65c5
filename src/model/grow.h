/* grow: the model's one way to grow an array by one zeroed element (model-internal). */
#ifndef REFERAT_GROW_H
#define REFERAT_GROW_H

#include "../util/buf.h"

#include <string.h>

/* Arrays keep no capacity field: the capacity is the next power of two at or above the count,
 * so growing reallocates only when the count reaches a power of two (amortised O(1)). */
static inline void *model_grow(void *arr, size_t n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0)
        arr = xrealloc(arr, (n ? 2 * n : 1) * size);
    memset((char *)arr + n * size, 0, size);
    return arr;
}

/* Appends a zeroed element to arr[0..n) and returns a pointer to it; n is incremented. */
#define GROW(arr, n) ((arr) = model_grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

#endif
