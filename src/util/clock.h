/* clock: the one source of "now" for everything time-dependent (session expiry, throttling,
 * due dates, the ledger), so that tests can set the server's clock instead of sleeping. */
#ifndef REFERAT_CLOCK_H
#define REFERAT_CLOCK_H

#include <time.h>

/* Seconds since the epoch. When $REFERAT_CLOCK_FILE names a file, its content is the time
 * (decimal seconds, or "2024-01-05T10:22:31Z"), read again on every call: tests move the clock
 * by rewriting the file. A file that cannot be read or parsed counts as unset, with one
 * warning on stderr. Never set it in production. */
time_t clock_now(void);
/* Now in UTC as "2024-01-05T10:22:31Z" (21 bytes with the NUL). */
void clock_iso(char out[21]);
/* Today's local date as "2024-01-05" (11 bytes). */
void clock_today(char out[11]);
/* t in UTC as "2024-01-05T10:22:31Z". */
void clock_format(time_t t, char out[21]);

#endif
