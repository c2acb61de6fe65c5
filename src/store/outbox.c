/* outbox: the guests' invitations sent through the SMTP relay of the site settings. */
#include "outbox.h"
#include "mail_site.h"
#include "../format/invite.h"
#include "notice.h" /* issue 10, notices */
#include "../model/access.h"
#include "../util/clock.h"
#include "../util/date.h"
#include "../util/mail.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *organizer(const struct mail_site *c)
{
    return c->email ? c->email : c->from;
}

static void summary(struct buf *b, const struct store_invitation *v)
{
    buf_printf(b, "%s%s%s", v->body_name ? v->body_name : "", v->body_name ? ": " : "",
               v->title ? v->title : "");
}

/* "10:30" from "2024-01-05T10:30". */
static const char *hm(const char *local)
{
    return local && strlen(local) == 16 ? local + 11 : "";
}

static int ics(const struct mail_site *c, const struct store_invitation *v, const char *url,
               struct buf *out, struct err *e)
{
    struct buf sum = BUF_INIT, desc = BUF_INIT;
    summary(&sum, v);
    if (strcmp(v->method, "CANCEL") == 0)
        buf_puts(&desc, "Invitationen er aflyst.");
    else
        buf_printf(&desc, "Du deltager under behandlingen af punktet \"%s\".",
                   v->title ? v->title : "");
    if (url)
        buf_printf(&desc, "\n\nDit punkt og dets åbne materiale: %s", url);
    struct invite iv = {
        .method = v->method,
        .uid = v->uid,
        .sequence = v->sequence,
        .dtstamp = clock_now(),
        .start = v->dtstart,
        .end = v->dtend,
        .organizer = organizer(c),
        .organizer_name = c->name,
        .attendee = v->email,
        .attendee_name = v->name,
        .summary = buf_cstr(&sum),
        .location = v->place,
        .description = buf_cstr(&desc),
        .url = url,
    };
    int rc = fmt_invite_ics(&iv, out, e);
    buf_free(&sum);
    buf_free(&desc);
    return rc;
}

int outbox_ics(struct store *s, const struct store_invitation *v, const char *url,
               struct buf *out, struct err *e)
{
    struct mail_site c;
    int rc = mail_site_load(s, &c, e);
    if (rc == 0)
        rc = ics(&c, v, url, out, e);
    mail_site_fini(&c);
    return rc;
}

/* "5. marts 2030" from "2030-03-05". */
static void mail_text(struct buf *b, const struct mail_site *c, const struct store_invitation *v,
                      const char *url)
{
    char day[32];
    date_format_long(v->date, day);
    buf_printf(b, "Kære %s\n\n", v->name ? v->name : v->email);
    if (strcmp(v->method, "CANCEL") == 0) {
        buf_printf(b, "Din deltagelse i mødet i %s den %s under punktet \"%s\" er aflyst.\n",
                   v->body_name ? v->body_name : "", day, v->title ? v->title : "");
    } else {
        buf_printf(b, "Du er inviteret til at deltage i mødet i %s den %s under behandlingen af "
                      "punktet \"%s\".\n\nTid: kl. %s-%s\n",
                   v->body_name ? v->body_name : "", day, v->title ? v->title : "",
                   hm(v->dtstart), hm(v->dtend));
        if (v->place)
            buf_printf(b, "Sted: %s\n", v->place);
        if (url)
            buf_printf(b, "\nDit punkt og dets åbne materiale: %s\n(linket virker til og med "
                          "mødedagen)\n", url);
    }
    buf_printf(b, "\nMed venlig hilsen\n%s\n", c->name ? c->name : "Sekretariatet");
}

/* The guest's link in the mail of a REQUEST, when the site has a public address. */
static int guest_link(struct store *s, const struct mail_site *c, const struct store_invitation *v,
                      const struct store_actor *a, struct buf *url, struct err *e)
{
    char token[STORE_GUEST_TOKEN_LEN + 1];
    if (!c->base_url || strcmp(v->method, "REQUEST") != 0)
        return 0;
    int rc = store_guest_link_new(s, v->id, a, token, e);
    if (rc < 0)
        return rc;
    size_t n = strlen(c->base_url);
    buf_printf(url, "%.*s/gaest/%s", (int)(n && c->base_url[n - 1] == '/' ? n - 1 : n),
               c->base_url, token);
    sodium_memzero(token, sizeof token);
    return 0;
}

/* Sends one invitation; a failure to send is recorded, not returned. */
static int send_one(struct store *s, const struct mail_site *c, const struct store_invitation *v,
                    const struct store_actor *a, struct outbox_stats *st, struct err *e)
{
    struct buf url = BUF_INIT, cal = BUF_INIT, text = BUF_INIT, subject = BUF_INIT;
    struct err se = {0};
    char msgid[160];
    bool marked = false;
    int rc = guest_link(s, c, v, a, &url, e);
    if (rc == 0 && ics(c, v, url.len ? buf_cstr(&url) : NULL, &cal, &se) < 0) {
        /* A calendar that cannot be written (no organizer) is a failure of this send. */
        rc = store_invitation_mark(s, v->id, v->sequence, v->method, se.msg, a, &marked, e);
        goto done;
    }
    if (rc < 0)
        goto done;
    mail_text(&text, c, v, url.len ? buf_cstr(&url) : NULL);
    buf_printf(&subject, "%s: ", strcmp(v->method, "CANCEL") == 0 ? "Aflyst" : "Invitation");
    summary(&subject, v);
    snprintf(msgid, sizeof msgid, "%d.%s.%s", v->sequence, v->method, v->uid);
    struct mail_relay r = mail_site_relay(c);
    struct mail m = {
        .from = mail_site_from(c),
        .from_name = c->name,
        .to = v->email,
        .to_name = v->name,
        .subject = buf_cstr(&subject),
        .message_id = msgid,
        .text = buf_cstr(&text),
        .calendar = buf_cstr(&cal),
        .method = v->method,
    };
    int sent = mail_send(&r, &m, &se);
    rc = store_invitation_mark(s, v->id, v->sequence, v->method, sent < 0 ? se.msg : NULL, a,
                               &marked, e);
done:
    if (rc == 0) {
        if (!marked)
            st->changed++;
        else if (se.code)
            st->failed++;
        else
            st->sent++;
    }
    buf_free(&url);
    buf_free(&cal);
    buf_free(&text);
    buf_free(&subject);
    return rc;
}

int outbox_run(struct store *s, const struct store_actor *a, struct outbox_stats *st,
               struct err *e)
{
    struct mail_site c;
    struct outbox_stats local = {0};
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (!a || !a->reader || !a->reader->all) {
        err_set(e, ERR_DENIED, 0, 0, "only the archive's own tools send invitations");
        return ERR_DENIED;
    }
    /* Pending first, then failed ones due again; both lists read before anything is sent (a
     * pending one that fails now waits for the next run). */
    static const char *const states[] = {"pending", "failed"};
    struct store_invitation *v[2] = {NULL, NULL};
    size_t n[2] = {0, 0}, due = 0;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < 2; k++) {
        struct store_invitation_filter f = {.state = states[k]};
        struct store_page pg = {.limit = STORE_PAGE_MAX};
        rc = store_invitations(s, &f, a->reader, &pg, &v[k], &n[k], NULL, e);
        for (size_t i = 0; rc == 0 && i < n[k]; i++)
            due += k == 0 || v[k][i].attempts < OUTBOX_MAX_ATTEMPTS;
    }
    if (rc == 0 && due)
        rc = mail_site_load(s, &c, e);
    else
        memset(&c, 0, sizeof c);
    if (rc == 0 && due && (!c.host || !(c.from || c.email))) {
        err_set(e, ERR_USAGE, 0, 0, "%s: not set; %zu invitation(s) wait until it is (referat "
                "config set %s VALUE)", c.host ? "smtp.from" : "smtp.host", due,
                c.host ? "smtp.from" : "smtp.host");
        rc = ERR_USAGE;
    }
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; rc == 0 && i < n[k]; i++)
            if (k == 0 || v[k][i].attempts < OUTBOX_MAX_ATTEMPTS)
                rc = send_one(s, &c, &v[k][i], a, st, e);
        store_invitations_free(v[k], n[k]);
    }
    mail_site_fini(&c);
    return rc;
}

int outbox_lock(const char *db_path, int *fd, struct err *e)
{
    return mail_site_lock(db_path, "-outbox.lock",
                          "another outbox is sending invitations now (the server's, or "
                          "another `referat invitations send`); try again shortly",
                          fd, e);
}

void outbox_unlock(int fd)
{
    mail_site_unlock(fd); /* releases the flock */
}

/* ---- the server's worker ---- */

struct outbox_worker {
    char *db_path;
    unsigned seconds;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
};

static void worker_run(struct outbox_worker *w, char *last_msg, size_t msg_size)
{
    static const struct store_actor server = {.reader = &reader_all};
    struct store *s = NULL;
    struct err e = {0};
    struct outbox_stats st = {0};
    int lock = -1;
    int rc = outbox_lock(w->db_path, &lock, &e);
    if (rc == ERR_CONFLICT)
        return; /* `referat invitations send` is at it: the next round will do */
    if (rc == 0)
        rc = store_open(w->db_path, 0, &s, &e);
    if (rc == 0)
        rc = outbox_run(s, &server, &st, &e);
    /* ---- issue 9, publication: minutes whose publish time has passed, whatever the
     * invitations' round said (a relay not set up must not hold the minutes back) ---- */
    size_t pub_done = 0, pub_failed = 0;
    struct err pe = {0};
    if (s && store_meetings_publish_due(s, &pub_done, &pub_failed, &pe) < 0)
        fprintf(stderr, "referat serve: minutes: %s\n", pe.msg);
    else if (pub_done || pub_failed)
        fprintf(stderr, "referat serve: minutes: %zu published, %zu refused\n", pub_done,
                pub_failed);
    /* ---- end issue 9, publication ---- */
    /* ---- issue 10, notices: the subscribers' notices, whatever the invitations' round
     * said; a missing setting said once while it stays missing; never an address ---- */
    static char notice_last[sizeof e.msg];
    struct notice_stats ns = {0};
    struct err ne = {0};
    if (s && notice_run(s, &server, &ns, &ne) < 0) {
        if (strcmp(notice_last, ne.msg) != 0)
            fprintf(stderr, "referat serve: notices: %s\n", ne.msg);
        snprintf(notice_last, sizeof notice_last, "%s", ne.msg);
    } else {
        notice_last[0] = '\0';
        if (ns.sent || ns.failed || ns.bounced)
            fprintf(stderr, "referat serve: notices: %zu sent, %zu failed, %zu refused\n",
                    ns.sent, ns.failed, ns.bounced);
    }
    /* ---- end issue 10, notices ---- */
    store_close(s);
    outbox_unlock(lock);
    if (rc < 0) {
        /* Said once, not every minute, while nothing changes. */
        if (strcmp(last_msg, e.msg) != 0)
            fprintf(stderr, "referat serve: invitations: %s\n", e.msg);
        snprintf(last_msg, msg_size, "%s", e.msg);
        return;
    }
    last_msg[0] = '\0';
    if (st.sent || st.failed)
        fprintf(stderr, "referat serve: invitations: %zu sent, %zu failed\n", st.sent,
                st.failed);
}

static void *worker(void *arg)
{
    struct outbox_worker *w = arg;
    char last_msg[sizeof ((struct err *)0)->msg] = "";
    time_t due = clock_now();
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        time_t now = clock_now();
        /* A clock set back (a test) does not postpone the next run. */
        if (now >= due || due - now > (time_t)w->seconds) {
            pthread_mutex_unlock(&w->lock);
            worker_run(w, last_msg, sizeof last_msg);
            due = clock_now() + (time_t)w->seconds;
            pthread_mutex_lock(&w->lock);
            continue;
        }
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        t.tv_sec += 1;
        pthread_cond_timedwait(&w->wake, &w->lock, &t);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct outbox_worker *outbox_worker_start(const char *db_path, unsigned seconds)
{
    struct outbox_worker *w = xmalloc(sizeof *w);
    *w = (struct outbox_worker){.db_path = xstrdup(db_path), .seconds = seconds ? seconds : 1};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&w->thread, NULL, worker, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->db_path);
        free(w);
        return NULL;
    }
    return w;
}

void outbox_worker_stop(struct outbox_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->db_path);
    free(w);
}
