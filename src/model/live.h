/* live: the arithmetic of a meeting in progress (issue 9): which row of the timetable is
 * current, the countdown to the planned end of its slot, overrun, the next guest to call in,
 * and the Danish sentences for them. No I/O; the caller brings the clock. */
#ifndef REFERAT_LIVE_H
#define REFERAT_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "case.h"

/* One row of the live timetable: a sub-item, or a case without sub-items. Instants are
 * seconds since the epoch; 0 = not known / not stamped. guest is borrowed (may be NULL). */
struct live_row {
    time_t planned_start, planned_end;
    time_t started, ended;
    const struct guest *guest; /* the first guest of the row, to be called in */
};

/* The current row: started and not ended (the last such, should there be several); -1 when
 * none is. */
long live_current(const struct live_row *v, size_t n);
/* The row "Næste punkt" starts: the first row after the current one that was never started
 * (after the last stamped row when none is current); -1 when there is none. */
long live_next(const struct live_row *v, size_t n);
/* The latest stamp of any row (0: none): a new stamp may not be earlier (a clock that jumps
 * back is refused). */
time_t live_last_stamp(const struct live_row *v, size_t n);
/* The first guest to call in: the first guest of the row after the current one (of the first
 * row when none has started); NULL when that row has none or there is no such row. */
const struct guest *live_next_guest(const struct live_row *v, size_t n);

/* Seconds left of row r's planned slot at now (negative: over time). false when the row has
 * no planned end. For an ended row, the time left when it ended. */
bool live_remaining(const struct live_row *r, time_t now, long *seconds);

/* "4:05 tilbage", "3 min over tid" (whole minutes begun: 1 second over is "1 min over tid"),
 * "til tiden" (exactly at the end) into out. */
void live_remaining_text(long seconds, char *out, size_t n);
/* "startede 2 min for sent" / "startede 1 min før tid" / "" (on time or not known). */
void live_start_text(const struct live_row *r, char *out, size_t n);

/* The instant local time minutes (since midnight) on the ISO date is in the municipality's
 * zone (util/date.h DATE_TZID); 0 when date or minutes are not valid. */
time_t live_instant(const char *date, int minutes);
/* The local time of day of t in the municipality's zone as "HH:MM" into out. */
void live_local_hhmm(time_t t, char out[6]);

#endif
