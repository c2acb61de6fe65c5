/* notice: the citizens' notices sent through the SMTP relay of the site settings. */
#include "notice.h"
#include "mail_site.h"
#include "../util/buf.h"
#include "../util/date.h"
#include "../util/mail.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *topic_words(const char *t)
{
    if (t && strcmp(t, "dagsordener") == 0)
        return "nye dagsordener";
    if (t && strcmp(t, "referater") == 0)
        return "nye referater";
    return "nye dagsordener og referater";
}

static const char *body_of(const struct store_notice *v)
{
    return v->body_name ? v->body_name : v->body_code ? v->body_code : "";
}

/* The mail's subject and text; link is the confirmation's or the meeting page's. */
static void compose(const struct mail_site *c, const struct store_notice *v, const char *link,
                    const char *unsub, struct buf *subject, struct buf *text)
{
    char day[32];
    date_format_long(v->date, day);
    if (strcmp(v->kind, "confirm") == 0) {
        buf_printf(subject, "Bekræft dit abonnement: %s", body_of(v));
        buf_printf(text, "Goddag\n\nDer er bedt om at sende %s fra %s til denne adresse.\n\n"
                         "Bekræft abonnementet her (linket virker i 7 dage):\n%s\n\n"
                         "Har du ikke bedt om det, skal du ikke gøre noget: uden bekræftelse "
                         "sender vi ikke flere mails.\n",
                   topic_words(v->topic), body_of(v), link);
    } else {
        bool agenda = strcmp(v->kind, "agenda") == 0;
        buf_printf(subject, "%s: %s, møde %s", agenda ? "Dagsorden" : "Referat", body_of(v),
                   day);
        buf_printf(text, "Goddag\n\n%s %s møde den %s", agenda ? "Dagsordenen til"
                                                                : "Referatet af",
                   body_of(v), day);
        if (v->start && *v->start)
            buf_printf(text, " kl. %s", v->start);
        if (v->place && *v->place)
            buf_printf(text, " (%s)", v->place);
        buf_printf(text, " er offentliggjort.\n\nLæs %s her:\n%s\n",
                   agenda ? "dagsordenen" : "referatet", link);
        if (v->nitems) {
            buf_puts(text, "\nPunkter:\n");
            for (size_t i = 0; i < v->nitems; i++)
                buf_printf(text, "%zu. %s\n", i + 1, v->items[i] ? v->items[i] : "");
        }
    }
    buf_printf(text, "\nAfmeld med ét klik:\n%s\n\nMed venlig hilsen\n%s\n", unsub,
               c->name ? c->name : "Sekretariatet");
}

/* Sends one notice; a failure to send is recorded, not returned. */
static int send_one(struct store *s, const struct mail_site *c, const struct store_notice *v,
                    const struct store_actor *a, struct notice_stats *st, struct err *e)
{
    char tok[STORE_NOTICE_TOKEN_LEN + 1] = "", unsub_tok[STORE_NOTICE_TOKEN_LEN + 1] = "";
    char msgid[160];
    struct buf link = BUF_INIT, unsub = BUF_INIT, subject = BUF_INIT, text = BUF_INIT;
    struct err se = {0};
    bool confirm = strcmp(v->kind, "confirm") == 0;
    int rc = 0;
    if (confirm)
        rc = store_notice_token_new(s, v->subscription_id, "confirm", a, tok, e);
    if (rc == 0)
        rc = store_notice_token_new(s, v->subscription_id, "unsubscribe", a, unsub_tok, e);
    if (rc < 0)
        goto done;
    if (confirm)
        buf_printf(&link, "%s/abonnement/bekraeft/%s", c->base_url, tok);
    else
        buf_printf(&link, "%s/moede/%lld", c->base_url, (long long)v->meeting_id);
    buf_printf(&unsub, "%s/abonnement/afmeld/%s", c->base_url, unsub_tok);
    compose(c, v, buf_cstr(&link), buf_cstr(&unsub), &subject, &text);
    const char *from = mail_site_from(c);
    const char *at = strchr(from, '@');
    snprintf(msgid, sizeof msgid, "notice.%lld.%d@%.100s", (long long)v->id, v->attempts,
             at ? at + 1 : "referat");
    struct mail_relay r = mail_site_relay(c);
    struct mail m = {
        .from = from,
        .from_name = c->name,
        .to = v->email,
        .subject = buf_cstr(&subject),
        .message_id = msgid,
        .text = buf_cstr(&text),
        .list_unsubscribe = buf_cstr(&unsub),
    };
    struct mail_result res = {0};
    int sent = mail_send_result(&r, &m, &res, &se);
    rc = store_notice_mark(s, v->id, sent < 0 ? se.msg : NULL, sent < 0 && res.rcpt_refused, a,
                           e);
    if (rc == ERR_NOTFOUND) /* unsubscribed while it was on its way: nothing to mark */
        rc = 0;
    if (rc == 0) {
        if (sent == 0)
            st->sent++;
        else if (res.rcpt_refused)
            st->bounced++;
        else
            st->failed++;
    }
done:
    sodium_memzero(tok, sizeof tok);
    sodium_memzero(unsub_tok, sizeof unsub_tok);
    sodium_memzero(link.ptr, link.len);
    sodium_memzero(unsub.ptr, unsub.len);
    sodium_memzero(text.ptr, text.len);
    buf_free(&link);
    buf_free(&unsub);
    buf_free(&subject);
    buf_free(&text);
    return rc;
}

int notice_run(struct store *s, const struct store_actor *a, struct notice_stats *st,
               struct err *e)
{
    struct notice_stats local = {0};
    struct store_notice *v = NULL;
    struct mail_site c = {0};
    size_t n = 0;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    if (!a || !a->reader || !a->reader->all) {
        err_set(e, ERR_DENIED, 0, 0, "only the archive's own tools send notices");
        return ERR_DENIED;
    }
    /* Who never confirmed is forgotten once the links have expired. */
    int rc = store_notice_expire(s, a, NULL, e);
    if (rc == 0)
        rc = store_notices_due(s, a->reader, &v, &n, e);
    if (rc < 0 || n == 0)
        return rc;
    if ((rc = mail_site_load(s, &c, e)) == 0) {
        const char *missing = !c.host ? "smtp.host" : !(c.from || c.email) ? "smtp.from"
                              : !c.base_url ? "public.base_url_url" : NULL;
        if (missing) {
            err_set(e, ERR_USAGE, 0, 0, "%s: not set; %zu notice(s) wait until it is (referat "
                    "config set %s VALUE)", missing, n, missing);
            rc = ERR_USAGE;
        }
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = send_one(s, &c, &v[i], a, st, e);
    mail_site_fini(&c);
    store_notices_free(v, n);
    return rc;
}
