/* timetable: a meeting's time plan: the sub-items of its cases in agenda order, each with a
 * start (its own, or where the one before ends) and a duration; ends computed; overlaps,
 * gaps and running past the meeting's end flagged. No I/O. */
#ifndef REFERAT_TIMETABLE_H
#define REFERAT_TIMETABLE_H

#include <stdbool.h>
#include <stddef.h>

/* Times are minutes since midnight; TT_NONE where a time is not known. */
#define TT_NONE (-1)

/* "10.30", "10:30", "9.05" or "9" into minutes; -1 when s is not a time of day 00.00-23.59.
 * The Danish "10.30" is how the reference cases write it. */
int tt_parse(const char *s);
/* minutes as "10.30" into out (6 bytes); "" for TT_NONE. */
void tt_format(int minutes, char out[6]);

/* What may be wrong with a slot, as bits. */
enum {
    TT_OVERLAP = 1 << 0,      /* starts before the one before it ends */
    TT_GAP = 1 << 1,          /* starts after the one before it ended */
    TT_PAST_END = 1 << 2,     /* ends after the meeting's end */
    TT_BEFORE_START = 1 << 3, /* starts before the meeting begins */
    TT_UNKNOWN = 1 << 4,      /* no start can be computed (nothing before it has an end) */
};

/* One slot: given is what the sub-item says (given_start TT_NONE: follows the one before;
 * duration 0: not planned); start and end are computed by tt_compute. */
struct tt_slot {
    int given_start;
    unsigned duration;
    int start, end;
    unsigned problems;
};

struct timetable {
    int start, end; /* the meeting's; TT_NONE when not set */
    struct tt_slot *slots;
    size_t nslots;
};

/* Computes every slot's start and end and its problems: a slot with its own start begins
 * there; one without begins where the slot before ends (the first at the meeting's start).
 * A slot without a duration has no end, so the next one without a start is TT_UNKNOWN. */
void tt_compute(struct timetable *t);
/* Gives every slot a start in order, each where the one before ends, from the first slot's
 * own start (or the meeting's start): what "Beregn tiderne" does after reordering. A slot
 * without a duration keeps its given start, and the slot after it keeps its own (nothing can
 * follow an end that is not known). Then computes. */
void tt_reflow(struct timetable *t);
/* Moves slot `from` to position `to` (both < nslots), keeping the others' order. */
void tt_move(struct timetable *t, size_t from, size_t to);
/* The number of slots with any problem. */
size_t tt_problems(const struct timetable *t);
/* A Danish sentence for one problem bit ("overlapper det forrige punkt"). */
const char *tt_problem_label(unsigned bit);

#endif
