/* mail: one e-mail through an SMTP relay with libcurl (plain, STARTTLS or TLS; AUTH when a
 * user is set), as a MIME message built with curl_mime: a text/plain body and, for an
 * invitation, its text/calendar with the iTIP method beside it and as an attached file. */
#ifndef REFERAT_MAIL_H
#define REFERAT_MAIL_H

#include <stdbool.h>

#include "buf.h"
#include "err.h"

/* Strings are borrowed. */
struct mail_relay {
    const char *host;
    unsigned port;
    const char *security; /* "starttls" (required, default), "tls" (implicit), "none" */
    const char *user;     /* NULL or "": no AUTH */
    const char *password; /* never logged nor put in an error message */
    const char *ca_file;  /* CA certificates to trust (NULL: the system's) */
    long timeout;         /* seconds for the whole exchange; 0: 60 */
};

struct mail {
    const char *from, *from_name; /* the envelope and From: address, and a display name */
    const char *to, *to_name;
    const char *subject;    /* UTF-8; encoded as RFC 2047 words when not plain ASCII */
    const char *message_id; /* without the angle brackets */
    const char *text;       /* the body, UTF-8 */
    const char *calendar;   /* an iCalendar object, or NULL */
    const char *method;     /* its METHOD: "REQUEST", "CANCEL" */
    /* ---- issue 10, notices: a list's one-click unsubscribe (RFC 2369, RFC 8058): an
     * http(s) URL, sent as List-Unsubscribe: <URL> with List-Unsubscribe-Post:
     * List-Unsubscribe=One-Click; NULL: neither ---- */
    const char *list_unsubscribe;
    /* ---- end issue 10, notices ---- */
};

/* Sends m. Returns 0, or ERR_USAGE for a relay or message that lacks a host, a sender or a
 * recipient, ERR_IO when the relay could not be reached or refused the message (e->msg says
 * what happened, with the server's reply code, in words a secretary can pass on). */
int mail_send(const struct mail_relay *r, const struct mail *m, struct err *e);
/* ---- issue 10, notices: mail_send that tells how the relay answered: code is its last
 * reply code (0 when none came), rcpt_refused true when it refused the recipient with a 5xx
 * (a bounce: trying again will not help) ---- */
struct mail_result {
    long code;
    bool rcpt_refused;
};
int mail_send_result(const struct mail_relay *r, const struct mail *m, struct mail_result *res,
                     struct err *e);
/* ---- end issue 10, notices ---- */

/* A header value as RFC 2047 encoded words ("=?UTF-8?B?...?=", each under 76 characters,
 * split between characters) when s is not printable ASCII; s as it is otherwise. */
void mail_header_word(struct buf *b, const char *s);
/* An address header's value: "Name <addr>" with the name quoted or encoded as needed. */
void mail_header_address(struct buf *b, const char *name, const char *addr);

#endif
