/* mail: one e-mail through an SMTP relay with libcurl's SMTP client and curl_mime. */
#include "mail.h"
#include "clock.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return false;
    return true;
}

/* The length of the UTF-8 sequence that starts with byte c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

void mail_header_word(struct buf *b, const char *s)
{
    if (!s)
        return;
    if (plain_ascii(s)) {
        buf_puts(b, s);
        return;
    }
    /* 45 bytes of text are 60 of base64: with "=?UTF-8?B?" and "?=" a word stays under the
     * 75 that RFC 2047 allows. Words are split between characters, never inside one, and
     * control characters (a line break smuggled into a name) become spaces. */
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        unsigned char chunk[48];
        size_t k = 0;
        while (i < n) {
            size_t l = seq_len((unsigned char)s[i]);
            if (i + l > n)
                l = n - i;
            if (k + l > 45)
                break;
            for (size_t j = 0; j < l; j++) {
                unsigned char c = (unsigned char)s[i + j];
                chunk[k++] = c < 0x20 || c == 0x7f ? ' ' : c;
            }
            i += l;
        }
        char enc[sodium_base64_ENCODED_LEN(48, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(enc, sizeof enc, chunk, k, sodium_base64_VARIANT_ORIGINAL);
        buf_printf(b, "%s=?UTF-8?B?%s?=", first ? "" : " ", enc);
        first = false;
    }
}

void mail_header_address(struct buf *b, const char *name, const char *addr)
{
    if (name && *name) {
        if (plain_ascii(name)) {
            buf_putc(b, '"');
            for (const char *p = name; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buf_putc(b, '\\');
                buf_putc(b, *p);
            }
            buf_putc(b, '"');
        } else {
            mail_header_word(b, name);
        }
        buf_putc(b, ' ');
    }
    buf_printf(b, "<%s>", addr);
}

/* An address as SMTP and headers take it: no angle brackets, spaces or line breaks. */
static bool addr_ok(const char *a)
{
    return a && *a && !strpbrk(a, "<>\r\n \t\"");
}

static void rfc5322_date(char out[40])
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static struct curl_slist *header(struct curl_slist *l, const char *name, struct buf *v)
{
    struct buf h = BUF_INIT;
    buf_printf(&h, "%s: %s", name, buf_cstr(v));
    l = curl_slist_append(l, buf_cstr(&h));
    buf_free(&h);
    buf_truncate(v, 0);
    return l;
}

/* Builds the message: multipart/mixed of (multipart/alternative of the text and the
 * calendar) and the calendar again as invitation.ics, the form calendar programs know. */
static curl_mime *message(CURL *c, const struct mail *m)
{
    curl_mime *root = curl_mime_init(c);
    curl_mime *alt = curl_mime_init(c);
    curl_mimepart *p = curl_mime_addpart(alt);
    curl_mime_data(p, m->text ? m->text : "", CURL_ZERO_TERMINATED);
    curl_mime_type(p, "text/plain; charset=UTF-8");
    curl_mime_encoder(p, "quoted-printable");
    if (m->calendar) {
        char type[96];
        snprintf(type, sizeof type, "text/calendar; charset=UTF-8; method=%s",
                 m->method ? m->method : "REQUEST");
        p = curl_mime_addpart(alt);
        curl_mime_data(p, m->calendar, CURL_ZERO_TERMINATED);
        curl_mime_type(p, type);
        curl_mime_encoder(p, "base64");
    }
    p = curl_mime_addpart(root);
    curl_mime_subparts(p, alt);
    curl_mime_type(p, "multipart/alternative");
    if (m->calendar) {
        p = curl_mime_addpart(root);
        curl_mime_data(p, m->calendar, CURL_ZERO_TERMINATED);
        curl_mime_type(p, "application/ics");
        curl_mime_filename(p, m->method && strcmp(m->method, "CANCEL") == 0 ? "aflysning.ics"
                                                                          : "invitation.ics");
        curl_mime_encoder(p, "base64");
    }
    return root;
}

int mail_send(const struct mail_relay *r, const struct mail *m, struct err *e)
{
    return mail_send_result(r, m, NULL, e);
}

int mail_send_result(const struct mail_relay *r, const struct mail *m, struct mail_result *res,
                     struct err *e)
{
    if (res)
        *res = (struct mail_result){0};
    if (!r->host || !*r->host) {
        err_set(e, ERR_USAGE, 0, 0, "smtp.host: no SMTP server is set");
        return ERR_USAGE;
    }
    if (!addr_ok(m->from)) {
        err_set(e, ERR_USAGE, 0, 0, "smtp.from: no sender address is set");
        return ERR_USAGE;
    }
    if (!addr_ok(m->to)) {
        err_set(e, ERR_USAGE, 0, 0, "the recipient's address is not usable");
        return ERR_USAGE;
    }
    pthread_once(&curl_once, curl_init);
    CURL *c = curl_init_rc == CURLE_OK ? curl_easy_init() : NULL;
    if (!c) {
        err_set(e, ERR_IO, 0, 0, "libcurl could not be initialised");
        return ERR_IO;
    }
    const char *sec = r->security && *r->security ? r->security : "starttls";
    bool tls = strcmp(sec, "tls") == 0;
    char url[400], from[300], to[300], date[40], errbuf[CURL_ERROR_SIZE] = "";
    unsigned port = r->port ? r->port : tls ? 465u : 587u;
    snprintf(url, sizeof url, "%s://%s:%u", tls ? "smtps" : "smtp", r->host, port);
    snprintf(from, sizeof from, "<%s>", m->from);
    snprintf(to, sizeof to, "<%s>", m->to);
    rfc5322_date(date);

    struct curl_slist *rcpt = curl_slist_append(NULL, to), *hdr = NULL;
    struct buf v = BUF_INIT;
    buf_puts(&v, date);
    hdr = header(hdr, "Date", &v);
    mail_header_address(&v, m->from_name, m->from);
    hdr = header(hdr, "From", &v);
    mail_header_address(&v, m->to_name, m->to);
    hdr = header(hdr, "To", &v);
    mail_header_word(&v, m->subject ? m->subject : "");
    hdr = header(hdr, "Subject", &v);
    if (m->message_id && addr_ok(m->message_id)) {
        buf_printf(&v, "<%s>", m->message_id);
        hdr = header(hdr, "Message-ID", &v);
    }
    buf_puts(&v, "auto-generated");
    hdr = header(hdr, "Auto-Submitted", &v);
    /* ---- issue 10, notices: one-click unsubscribe ---- */
    if (m->list_unsubscribe && (strncmp(m->list_unsubscribe, "https://", 8) == 0 ||
                                strncmp(m->list_unsubscribe, "http://", 7) == 0) &&
        !strpbrk(m->list_unsubscribe, "<>\r\n \t\"")) {
        buf_printf(&v, "<%s>", m->list_unsubscribe);
        hdr = header(hdr, "List-Unsubscribe", &v);
        buf_puts(&v, "List-Unsubscribe=One-Click");
        hdr = header(hdr, "List-Unsubscribe-Post", &v);
    }
    /* ---- end issue 10, notices ---- */
    buf_free(&v);
    curl_mime *mime = message(c, m);

    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* The relay is reached directly: an all_proxy in the server's environment is for the web. */
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, r->timeout > 0 ? r->timeout : 60L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, strcmp(sec, "none") == 0 ? (long)CURLUSESSL_NONE
                                                                   : (long)CURLUSESSL_ALL);
    if (r->ca_file && *r->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
    if (r->user && *r->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, r->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, r->password ? r->password : "");
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    curl_mime_free(mime);
    curl_slist_free_all(hdr);
    curl_slist_free_all(rcpt);
    if (res) {
        res->code = code;
        /* curl names the step that failed: "RCPT failed: 550". */
        res->rcpt_refused = rc != CURLE_OK && code >= 500 && code < 600 &&
                            strstr(errbuf, "RCPT") != NULL;
    }
    if (rc == CURLE_OK)
        return 0;
    /* curl's message says which step failed ("RCPT failed: 550"); it never holds the
     * password. */
    if (code)
        err_set(e, ERR_IO, 0, 0, "SMTP %s:%u answered %ld: %s", r->host, port, code,
                *errbuf ? errbuf : curl_easy_strerror(rc));
    else
        err_set(e, ERR_IO, 0, 0, "SMTP %s:%u: %s", r->host, port,
                *errbuf ? errbuf : curl_easy_strerror(rc));
    return ERR_IO;
}
