/* notice: the citizens' notices on their way out (issue 10, notices). Above the store's
 * interface, as store/outbox.h: reads what is due with store_notices_due, writes each mail
 * (a confirmation with its link; a released agenda or published minutes with the public
 * meeting page's link and the agenda's public titles), every one with a one-click
 * unsubscribe link (and List-Unsubscribe / List-Unsubscribe-Post), sends it with
 * util/mail.h to the relay of the site settings (smtp.*) and records how it went with
 * store_notice_mark. Backend-neutral: it uses only store.h. See docs/notices.md. */
#ifndef REFERAT_NOTICE_H
#define REFERAT_NOTICE_H

#include "store.h"

struct notice_stats {
    size_t sent;    /* delivered to the relay */
    size_t failed;  /* the relay was unreachable or refused for now: left pending */
    size_t bounced; /* the relay refused the address (5xx at RCPT) */
};

/* Sends every due notice, oldest first, as actor a (reader `all`: the archive's own tools).
 * Returns 0 when each was sent or recorded (st counts them), or there was none; ERR_USAGE
 * when there is something to send but the settings lack smtp.host, a sender (smtp.from or
 * municipality.email) or public.base_url (the links): then nothing is tried or marked and e
 * says which setting to set. Never prints or logs an address. */
int notice_run(struct store *s, const struct store_actor *a, struct notice_stats *st,
               struct err *e);

#endif
