/* mail_site: the senders' site settings and their lock. */
#include "mail_site.h"
#include "../util/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const struct {
    const char *key;
    size_t off;
} keys[] = {
    {"smtp.host", offsetof(struct mail_site, host)},
    {"smtp.port", offsetof(struct mail_site, port)},
    {"smtp.security", offsetof(struct mail_site, security)},
    {"smtp.user", offsetof(struct mail_site, user)},
    {"smtp.password", offsetof(struct mail_site, password)},
    {"smtp.from", offsetof(struct mail_site, from)},
    {"smtp.ca_file", offsetof(struct mail_site, ca_file)},
    {"municipality.email", offsetof(struct mail_site, email)},
    {"municipality.name", offsetof(struct mail_site, name)},
    {"public.base_url", offsetof(struct mail_site, base_url)},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static char **slot(struct mail_site *c, size_t i)
{
    return (char **)((char *)c + keys[i].off);
}

void mail_site_fini(struct mail_site *c)
{
    if (c->password)
        sodium_memzero(c->password, strlen(c->password));
    for (size_t i = 0; i < NKEYS; i++)
        free(*slot(c, i));
    memset(c, 0, sizeof *c);
}

int mail_site_load(struct store *s, struct mail_site *c, struct err *e)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NKEYS; i++) {
        char **v = slot(c, i);
        int rc = store_setting_get(s, keys[i].key, v, e);
        if (rc < 0) {
            mail_site_fini(c);
            return rc;
        }
        if (*v && !**v) {
            free(*v);
            *v = NULL;
        }
    }
    if (c->base_url) {
        size_t n = strlen(c->base_url);
        while (n && c->base_url[n - 1] == '/')
            c->base_url[--n] = '\0';
    }
    return 0;
}

struct mail_relay mail_site_relay(const struct mail_site *c)
{
    return (struct mail_relay){
        .host = c->host,
        .port = c->port ? (unsigned)strtoul(c->port, NULL, 10) : 0,
        .security = c->security,
        .user = c->user,
        .password = c->password,
        .ca_file = c->ca_file,
    };
}

const char *mail_site_from(const struct mail_site *c)
{
    return c->from ? c->from : c->email;
}

int mail_site_lock(const char *db_path, const char *suffix, const char *busy, int *fd,
                   struct err *e)
{
    struct buf path = BUF_INIT;
    buf_printf(&path, "%s%s", db_path, suffix);
    int f = open(buf_cstr(&path), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int rc = 0;
    if (f < 0) {
        err_set(e, ERR_IO, 0, 0, "%s: %s", buf_cstr(&path), strerror(errno));
        rc = ERR_IO;
    } else if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        err_set(e, ERR_CONFLICT, 0, 0, "%s", busy);
        close(f);
        rc = ERR_CONFLICT;
    } else {
        *fd = f;
    }
    buf_free(&path);
    return rc;
}

void mail_site_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}
