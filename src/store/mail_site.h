/* mail_site: what every sender of e-mail reads of the site settings (the relay, the sender,
 * the municipality, the portal's address), once per run, and the lock that lets one run send
 * at a time. Shared by the invitations' outbox, the follow-up reminders and the citizens'
 * notices; above the store's interface like them. */
#ifndef REFERAT_MAIL_SITE_H
#define REFERAT_MAIL_SITE_H

#include "store.h"
#include "../util/mail.h"

/* Owned strings, NULL where unset or empty. base_url has no trailing '/', so links are
 * base_url + "/path". */
struct mail_site {
    char *host, *port, *security, *user, *password, *from, *ca_file;
    char *email, *name, *base_url;
};

int mail_site_load(struct store *s, struct mail_site *c, struct err *e);
/* Frees the strings, the password wiped first. */
void mail_site_fini(struct mail_site *c);
/* The relay of the settings (borrowing c's strings) and the sender's address: smtp.from,
 * else the municipality's e-mail. */
struct mail_relay mail_site_relay(const struct mail_site *c);
const char *mail_site_from(const struct mail_site *c);

/* Takes <db_path><suffix> ("-outbox.lock") as an exclusive lock without waiting: ERR_CONFLICT
 * saying `busy` when another process holds it, ERR_IO when it cannot be made. */
int mail_site_lock(const char *db_path, const char *suffix, const char *busy, int *fd,
                   struct err *e);
void mail_site_unlock(int fd);

#endif
