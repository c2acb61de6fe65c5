/* remind: e-mail reminders of follow-ups (issue 10, remind; docs/workflow.md). Above the
 * store's interface like the outbox: reads what is due with store_reminders_due, claims each
 * (store_reminder_claim) before it goes to the relay of the site settings (smtp.*) with
 * util/mail.h, and records it as sent (store_reminder_sent, a ledger event) after, or drops
 * the claim when the send failed. */
#ifndef REFERAT_REMIND_H
#define REFERAT_REMIND_H

#include "store.h"

struct remind_stats {
    size_t sent;
    size_t no_address; /* owners without an address (reported, not fatal) */
    size_t failed;     /* refused by the relay: the claim dropped, tried again next run */
    size_t skipped;    /* taken by another run meanwhile */
};

/* What became of one reminder, for the caller's report: "sendt", "ingen adresse",
 * "flere konti", "fejlet" (with why), "sprunget over". */
typedef void remind_report(void *arg, const struct store_reminder *r, const char *outcome,
                           const char *why);

/* Sends the reminders due on today (ISO date; the clock's today for a real run) as actor a
 * (the archive's own tools). Returns 0 when each was sent, reported as unaddressed, or
 * refused by the relay (st->failed: the caller decides the exit status); ERR_USAGE when
 * something is due but smtp.host or a sender is not set, and ERR_IO when the relay cannot be
 * reached at all: then the run stops at once and nothing more is marked as sent (e says what
 * happened). report (may be NULL) hears of each reminder. */
int remind_run(struct store *s, const struct store_actor *a, const char *today,
               struct remind_stats *st, remind_report *report, void *arg, struct err *e);

/* One run at a time per archive: an exclusive flock on "<db_path>-remind.lock", never waited
 * for (ERR_CONFLICT when held). */
int remind_lock(const char *db_path, int *fd, struct err *e);
void remind_unlock(int fd);

#endif
