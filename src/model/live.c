/* live: the arithmetic of a meeting in progress (see live.h). */
#include "live.h"

#include <stdio.h>
#include <string.h>

#include "../util/date.h"

long live_current(const struct live_row *v, size_t n)
{
    long cur = -1;
    for (size_t i = 0; i < n; i++)
        if (v[i].started && !v[i].ended)
            cur = (long)i;
    return cur;
}

long live_next(const struct live_row *v, size_t n)
{
    long from = live_current(v, n);
    if (from < 0) /* after the last row that was stamped at all */
        for (size_t i = 0; i < n; i++)
            if (v[i].started || v[i].ended)
                from = (long)i;
    for (size_t i = (size_t)(from + 1); i < n; i++)
        if (!v[i].started)
            return (long)i;
    return -1;
}

time_t live_last_stamp(const struct live_row *v, size_t n)
{
    time_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].started > last)
            last = v[i].started;
        if (v[i].ended > last)
            last = v[i].ended;
    }
    return last;
}

const struct guest *live_next_guest(const struct live_row *v, size_t n)
{
    long cur = live_current(v, n);
    long i = cur >= 0 ? cur + 1 : live_next(v, n);
    return i >= 0 && (size_t)i < n ? v[i].guest : NULL;
}

bool live_remaining(const struct live_row *r, time_t now, long *seconds)
{
    if (!r->planned_end)
        return false;
    time_t at = r->ended ? r->ended : now;
    *seconds = (long)(r->planned_end - at);
    return true;
}

void live_remaining_text(long s, char *out, size_t n)
{
    if (s > 0)
        snprintf(out, n, "%ld:%02ld tilbage", s / 60, s % 60);
    else if (s == 0)
        snprintf(out, n, "til tiden");
    else
        snprintf(out, n, "%ld min over tid", (-s + 59) / 60);
}

void live_start_text(const struct live_row *r, char *out, size_t n)
{
    out[0] = '\0';
    if (!r->started || !r->planned_start)
        return;
    /* Whole minutes: a stamp within the planned minute is on time. */
    long d = (long)(r->started - r->planned_start) / 60;
    if (d > 0)
        snprintf(out, n, "startede %ld min for sent", d);
    else if (d < 0)
        snprintf(out, n, "startede %ld min før tid", -d);
}

time_t live_instant(const char *date, int minutes)
{
    char local[24];
    time_t t;
    if (!date || minutes < 0 || minutes >= 24 * 60 || strlen(date) != 10)
        return 0;
    snprintf(local, sizeof local, "%sT%02d:%02d", date, minutes / 60, minutes % 60);
    return date_local_instant(local, DATE_TZID, &t) == 0 ? t : 0;
}

void live_local_hhmm(time_t t, char out[6])
{
    /* The zone's offset at t: the instant whose local reading equals t's UTC reading lies
     * that offset before t (exact except within the hour a clock change repeats). */
    struct tm tm;
    char local[24];
    time_t minute = t - t % 60, u;
    gmtime_r(&minute, &tm);
    strftime(local, sizeof local, "%Y-%m-%dT%H:%M", &tm);
    time_t offset = date_local_instant(local, DATE_TZID, &u) == 0 ? minute - u : 0;
    time_t l = t + offset;
    gmtime_r(&l, &tm);
    snprintf(out, 6, "%02u:%02u", (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u);
}
