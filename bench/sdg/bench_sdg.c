/* bench_sdg: precision and recall of the verdensmål suggestions (model/sdg.c's word list) on
 * the labelled sub-items of tests/fixtures/sdg-labelled.json, in all and per goal, beside a
 * reference from the same run: always suggesting the set's most frequent goal.
 *
 * usage: bench_sdg [FILE]   (default: tests/fixtures/sdg-labelled.json) */
#include "measure.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static sdg_set labels(json_t *a)
{
    sdg_set s = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        json_int_t g = json_integer_value(v);
        if (g >= 1 && g <= (json_int_t)SDG_COUNT)
            s |= SDG_BIT(g);
    }
    return s;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : SDG_LABELLED;
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    json_t *items = json_object_get(root, "items");
    if (!json_is_array(items)) {
        fprintf(stderr, "%s:%d:%d: expected {\"items\": [...]}: %s\n", path, je.line, je.column,
                je.text);
        return 1;
    }
    size_t n = json_array_size(items), i;
    json_t *it;
    unsigned freq[SDG_COUNT + 1] = {0};
    json_array_foreach(items, i, it)
    {
        sdg_set want = labels(json_object_get(it, "sdg"));
        for (unsigned g = 1; g <= SDG_COUNT; g++)
            freq[g] += (want & SDG_BIT(g)) != 0;
    }
    unsigned top = 1;
    for (unsigned g = 2; g <= SDG_COUNT; g++)
        if (freq[g] > freq[top])
            top = g;
    struct sdg_tally words = {0}, base = {0};
    unsigned empty = 0, labelled = 0;
    clock_t t0 = clock();
    json_array_foreach(items, i, it)
    {
        sdg_set want = labels(json_object_get(it, "sdg"));
        sdg_set got = sdg_suggest2(json_string_value(json_object_get(it, "title")),
                                   json_string_value(json_object_get(it, "text")));
        sdg_tally_add(&words, got, want);
        sdg_tally_add(&base, SDG_BIT(top), want);
        empty += want == 0;
        labelled += sdg_count(want);
    }
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    printf("%zu labelled sub-items (%u goal labels; %u items without a goal), %s\n", n, labelled,
           empty, path);
    printf("%-34s %9s %9s %6s\n", "", "precision", "recall", "exact");
    printf("%-34s %9.3f %9.3f %3u/%zu\n", "word list (sdg_words.inc)", sdg_precision(&words, 0),
           sdg_recall(&words, 0), words.exact, n);
    printf("%-34s %9.3f %9.3f %3u/%zu\n", "reference: always the top goal", sdg_precision(&base, 0),
           sdg_recall(&base, 0), base.exact, n);
    printf("per goal (word list): goal  labels  tp  fp  fn  precision  recall\n");
    for (unsigned g = 1; g <= SDG_COUNT; g++)
        printf("  %2u %-40s %3u %3u %3u %3u  %9.3f %7.3f\n", g, sdg_goal(g)->name, freq[g],
               words.tp[g], words.fp[g], words.fn[g], sdg_precision(&words, g),
               sdg_recall(&words, g));
    printf("suggesting took %.2f ms for %zu items\n", ms, n);
    printf("precision %.3f recall %.3f\n", sdg_precision(&words, 0), sdg_recall(&words, 0));
    json_decref(root);
    return 0;
}
