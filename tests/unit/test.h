/* test.h: the tiny unit-test harness. Each test binary ends with "N passed, N failed". */
#ifndef REFERAT_TEST_H
#define REFERAT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((unused)) static int test_passed, test_failed, test_case_failed;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);         \
            test_case_failed = 1;                                                            \
        }                                                                                    \
    } while (0)

/* Compares two strings, either of which may be NULL. */
#define CHECK_STR(got, want)                                                                 \
    do {                                                                                     \
        const char *g_ = (got), *w_ = (want);                                                \
        if (!((!g_ && !w_) || (g_ && w_ && strcmp(g_, w_) == 0))) {                          \
            fprintf(stderr, "%s:%d: %s\n  got:  %s%s%s\n  want: %s%s%s\n", __FILE__,         \
                    __LINE__, #got, g_ ? "\"" : "", g_ ? g_ : "NULL", g_ ? "\"" : "",        \
                    w_ ? "\"" : "", w_ ? w_ : "NULL", w_ ? "\"" : "");                       \
            test_case_failed = 1;                                                            \
        }                                                                                    \
    } while (0)

#define CHECK_INT(got, want)                                                                 \
    do {                                                                                     \
        long long g_ = (long long)(got), w_ = (long long)(want);                             \
        if (g_ != w_) {                                                                      \
            fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got,    \
                    g_, w_);                                                                 \
            test_case_failed = 1;                                                            \
        }                                                                                    \
    } while (0)

/* Runs one test function and counts it as one passed or failed test. */
#define RUN(fn)                                                                              \
    do {                                                                                     \
        test_case_failed = 0;                                                                \
        fn();                                                                                \
        if (test_case_failed) {                                                              \
            test_failed++;                                                                   \
            fprintf(stderr, "FAIL %s\n", #fn);                                               \
        } else {                                                                             \
            test_passed++;                                                                   \
        }                                                                                    \
    } while (0)

#define TEST_REPORT()                                                                        \
    (printf("%d passed, %d failed\n", test_passed, test_failed), test_failed ? 1 : 0)

/* The reference cases live in ../shared/seeds beside the repo; SEEDS_DIR is set by meson.
 * Returns NULL (and the test skips) when the folder is absent. Caller frees. */
static inline char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap + 1);
    size_t r;
    while ((r = fread(p + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap)
            p = realloc(p, (cap *= 2) + 1);
    }
    fclose(f);
    p[n] = '\0';
    if (len)
        *len = n;
    return p;
}

#endif
