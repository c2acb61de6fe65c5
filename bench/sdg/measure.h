/* measure.h: precision and recall of goal suggestions against labels, summed over items
 * (micro) and per goal; shared by bench_sdg and tests/unit/test_sdg.c. */
#ifndef REFERAT_BENCH_SDG_MEASURE_H
#define REFERAT_BENCH_SDG_MEASURE_H

#include "model/sdg.h"

struct sdg_tally {
    unsigned tp[SDG_COUNT + 1], fp[SDG_COUNT + 1], fn[SDG_COUNT + 1];
    unsigned items, exact; /* items seen; items whose suggestion equals the label */
};

static inline void sdg_tally_add(struct sdg_tally *t, sdg_set got, sdg_set want)
{
    t->items++;
    t->exact += got == want;
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        bool a = got & SDG_BIT(g), b = want & SDG_BIT(g);
        t->tp[g] += a && b;
        t->fp[g] += a && !b;
        t->fn[g] += !a && b;
    }
}

/* g 0: summed over every goal. An empty denominator gives 1 (nothing claimed, nothing
 * wrong), so a goal the set never names does not drag the figures. */
static inline double sdg_precision(const struct sdg_tally *t, unsigned g)
{
    unsigned tp = 0, fp = 0;
    for (unsigned k = g ? g : 1; k <= (g ? g : SDG_COUNT); k++)
        tp += t->tp[k], fp += t->fp[k];
    return tp + fp ? (double)tp / (tp + fp) : 1.0;
}

static inline double sdg_recall(const struct sdg_tally *t, unsigned g)
{
    unsigned tp = 0, fn = 0;
    for (unsigned k = g ? g : 1; k <= (g ? g : SDG_COUNT); k++)
        tp += t->tp[k], fn += t->fn[k];
    return tp + fn ? (double)tp / (tp + fn) : 1.0;
}

#endif
