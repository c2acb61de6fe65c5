/* remind: follow-up reminders sent through the SMTP relay of the site settings. */
#include "remind.h"
#include "mail_site.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void subject(struct buf *b, const struct store_reminder *r)
{
    char due[32];
    date_format_long(r->due, due);
    if (strcmp(r->kind, "overskredet") == 0)
        buf_printf(b, "Overskredet frist: opfølgning fra %s", r->body_name ? r->body_name
                                                               : r->body ? r->body : "referat");
    else
        buf_printf(b, "Påmindelse: opfølgning med frist %s", due);
}

/* The mail's text. A closed case's follow-up text never goes into a mail: the owner reads
 * it in referat. */
static void text(struct buf *b, const struct mail_site *c, const struct store_reminder *r,
                 const char *today)
{
    char due[32], met[32];
    date_format_long(r->due, due);
    date_format_long(r->meeting_date, met);
    buf_printf(b, "Kære %s\n\n", r->owner);
    if (strcmp(r->kind, "overskredet") == 0) {
        long late = date_days_between(r->due, today);
        buf_printf(b, "Fristen for en opfølgning, du er ansvarlig for, var %s og er overskredet "
                      "med %ld %s.\n", due, late, late == 1 ? "dag" : "dage");
    } else {
        buf_printf(b, "Du er ansvarlig for en opfølgning med frist %s.\n", due);
    }
    buf_puts(b, "\n");
    if (r->body_name || r->body)
        buf_printf(b, "Besluttet i %s%s%s.\n", r->body_name ? r->body_name : r->body,
                   r->meeting_date ? " den " : "", r->meeting_date ? met : "");
    buf_printf(b, "Sag: %s\n", r->case_title ? r->case_title : "");
    if (r->text)
        buf_printf(b, "\nOpfølgning:\n%s\n", r->text);
    else
        buf_puts(b, "\nOpfølgningen hører til et lukket punkt; teksten står i referat.\n");
    if (c->base_url) {
        size_t n = strlen(c->base_url);
        buf_printf(b, "\n%.*s/arbejde/sag/%lld\n",
                   (int)(n && c->base_url[n - 1] == '/' ? n - 1 : n), c->base_url,
                   (long long)r->case_id);
    }
    buf_printf(b, "\nNår opfølgningen er udført, markeres den som udført i referat, så holder "
                  "påmindelserne op.\n\nMed venlig hilsen\n%s\n",
               c->name ? c->name : "Sekretariatet");
}

/* A relay that answered (an SMTP reply code in mail_send's message, "answered 550: ...")
 * refused this message only; without one it could not be reached at all. */
static bool unreachable(const struct err *se)
{
    return se->code == ERR_IO && !strstr(se->msg, " answered ");
}

static int send_one(struct store *s, const struct mail_site *c, const struct store_reminder *r,
                    const char *today, const struct store_actor *a, struct remind_stats *st,
                    remind_report *report, void *arg, struct err *e)
{
    struct buf subj = BUF_INIT, body = BUF_INIT;
    struct err se = {0};
    char msgid[160];
    bool claimed = false;
    int rc = store_reminder_claim(s, r, today, a, &claimed, e);
    if (rc < 0)
        return rc;
    if (!claimed) {
        st->skipped++;
        if (report)
            report(arg, r, "sprunget over", "en anden kørsel har den");
        return 0;
    }
    subject(&subj, r);
    text(&body, c, r, today);
    /* The same id for a retry of the same day's notice: a mail client shows one. */
    snprintf(msgid, sizeof msgid, "remind.%lld.%s.%s@referat", (long long)r->followup_id, today,
             r->kind);
    struct mail_relay relay = mail_site_relay(c);
    struct mail m = {
        .from = mail_site_from(c),
        .from_name = c->name,
        .to = r->email,
        .to_name = r->owner,
        .subject = buf_cstr(&subj),
        .message_id = msgid,
        .text = buf_cstr(&body),
    };
    int sent = mail_send(&relay, &m, &se);
    if (sent == 0) {
        rc = store_reminder_sent(s, r, today, a, e);
        if (rc == 0) {
            st->sent++;
            if (report)
                report(arg, r, "sendt", NULL);
        }
    } else {
        /* The relay and the sender were checked before the run: ERR_USAGE here is this
         * recipient's address, a failure of this message only. */
        rc = store_reminder_release(s, r, today, a, e);
        if (rc == 0 && unreachable(&se)) {
            err_set(e, ERR_IO, 0, 0, "%s", se.msg);
            rc = ERR_IO;
        } else if (rc == 0) {
            st->failed++;
            if (report)
                report(arg, r, "fejlet", se.msg);
        }
    }
    buf_free(&subj);
    buf_free(&body);
    return rc;
}

int remind_run(struct store *s, const struct store_actor *a, const char *today,
               struct remind_stats *st, remind_report *report, void *arg, struct err *e)
{
    struct remind_stats local = {0};
    struct mail_site c;
    bool loaded = false, more = true;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    memset(&c, 0, sizeof c);
    int rc = 0;
    /* A batch at a time, those with an address first: a full batch that ends with one may
     * have more behind it, asked for once this one is sent (and only while sends succeed,
     * so refused ones that come back do not loop). */
    while (rc == 0 && more) {
        struct store_reminder *v = NULL;
        size_t n = 0, due = 0, sent_before = st->sent;
        if ((rc = store_reminders_due(s, today, a, &v, &n, e)) < 0)
            break;
        for (size_t i = 0; i < n; i++)
            due += v[i].email != NULL;
        if (due && !loaded && (rc = mail_site_load(s, &c, e)) == 0) {
            loaded = true;
            if (!c.host || !(c.from || c.email)) {
                err_set(e, ERR_USAGE, 0, 0, "%s: not set; %zu reminder(s) wait until it is "
                        "(referat config set %s VALUE)", c.host ? "smtp.from" : "smtp.host",
                        due, c.host ? "smtp.from" : "smtp.host");
                rc = ERR_USAGE;
            }
        }
        more = n == STORE_PAGE_MAX && v[n - 1].email;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (v[i].email) {
                rc = send_one(s, &c, &v[i], today, a, st, report, arg, e);
                continue;
            }
            /* Reported every day it is due: someone has to give the owner an address. */
            st->no_address++;
            if (report)
                report(arg, &v[i], v[i].accounts > 1 ? "flere konti" : "ingen adresse",
                       v[i].accounts > 1 ? "flere aktive konti har navnet; giv kun én adressen"
                                         : "ingen aktiv konto med navnet og en e-mailadresse");
        }
        more = more && st->sent > sent_before;
        store_reminders_free(v, n);
    }
    mail_site_fini(&c);
    return rc;
}

int remind_lock(const char *db_path, int *fd, struct err *e)
{
    return mail_site_lock(db_path, "-remind.lock",
                          "another `referat remind` is sending reminders now; try again "
                          "shortly", fd, e);
}

void remind_unlock(int fd)
{
    mail_site_unlock(fd);
}
