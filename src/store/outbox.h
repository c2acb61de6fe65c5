/* outbox: the guests' invitations on their way out (issue 8). Above the store's interface:
 * reads pending invitations with store_invitations, writes each as iCalendar
 * (format/invite.h), sends it with util/mail.h to the relay of the site settings (smtp.*),
 * and records how it went with store_invitation_mark (a ledger event each). Backend-neutral:
 * it uses only store.h. */
#ifndef REFERAT_OUTBOX_H
#define REFERAT_OUTBOX_H

#include "store.h"
#include "../util/buf.h"

/* A failed invitation is tried again by every run until it has been tried this often; after
 * that only when the sekretær asks (store_invitation_retry), so a dead address does not
 * knock on the relay for ever. Every failure stays in the table with its error. */
#define OUTBOX_MAX_ATTEMPTS 5

struct outbox_stats {
    size_t sent, failed;
    size_t changed; /* changed while being sent (a moved slot): left pending for the next run */
};

/* Sends every pending invitation, and every failed one tried fewer than OUTBOX_MAX_ATTEMPTS
 * times, oldest first, as actor a (whose reader must be `all`: the archive's own tools).
 * Returns 0 when each was sent or recorded as failed (st counts them), or there was none;
 * ERR_USAGE when there is something to send but the settings lack smtp.host or a sender
 * (smtp.from or municipality.email): then nothing is tried or marked, and e says which
 * setting to set. */
int outbox_run(struct store *s, const struct store_actor *a, struct outbox_stats *st,
               struct err *e);

/* One sender at a time per archive (the server's thread and `referat invitations send` would
 * otherwise both send what is pending): an exclusive flock on "<db_path>-outbox.lock" beside
 * the archive, never waited for. Returns 0 with *fd to pass to outbox_unlock, ERR_CONFLICT
 * when another sender holds it, ERR_IO when the file cannot be opened. */
int outbox_lock(const char *db_path, int *fd, struct err *e);
void outbox_unlock(int fd);

/* The invitation's iCalendar as the outbox sends it (the staff page's download), with url
 * (the guest's link, or NULL) in it. */
int outbox_ics(struct store *s, const struct store_invitation *v, const char *url,
               struct buf *out, struct err *e);

/* The server's outbox: a thread with its own connection to the archive at db_path that runs
 * outbox_run as the archive's own tools whenever `seconds` have passed by util/clock.h's clock
 * since the last run (it looks once a second, so a test moves the clock instead of waiting),
 * and logs each run that sent or failed something, and a missing relay setting once, on
 * stderr. Returns NULL when the thread cannot start. stop ends and joins it; NULL does
 * nothing. */
struct outbox_worker;
struct outbox_worker *outbox_worker_start(const char *db_path, unsigned seconds);
void outbox_worker_stop(struct outbox_worker *w);

#endif
