/* server: the portal's HTTP server on libmicrohttpd (the only file that includes it). */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>
#include <strings.h>

#include "../store/store.h"
#include "../util/err.h"
#include "auth.h"
#include "web.h"

/* Larger request heads are answered 431 by libmicrohttpd itself. */
#define HEAD_LIMIT (32 * 1024)
/* How long shutdown waits for requests in flight before closing what is left. */
#define DRAIN_SECONDS 20

/* One request's state from the first byte of its URI to its completion (MHD's req_cls). */
struct reqstate {
    struct timespec start;
    char *uri; /* the raw request target, as the client sent it */
    char method[8];
    int status;
    size_t bytes;
    bool answered;
    bool headed; /* the access handler has seen the head */
    /* A POST's body, read through libmicrohttpd's post processor into form. */
    struct MHD_PostProcessor *pp;
    struct web_form *form;
    int form_error; /* 0, or the status to answer when the body is read: 400, 413 */
};

/* One open connection, for the watchdog. The list links are guarded by conns_lock; state and
 * since are atomics so that requests update them without taking the lock. */
enum { CONN_HEAD, CONN_BUSY };
struct conn {
    struct conn *prev, *next;
    int fd;
    atomic_int state;      /* CONN_HEAD: waiting for a request head; CONN_BUSY: answering */
    atomic_llong since_ms; /* when it entered that state (monotonic ms) */
    bool killed;
};

static const struct web_config *config;
static pthread_key_t store_key;
static atomic_long in_flight;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;
static atomic_bool stopping;

/* The page cache: finished 200 answers by Host and request target, kept as libmicrohttpd
 * responses (reference-counted, so a hit is queued without copying). Pages only change when
 * the archive does; every request first asks its connection whether another process has
 * committed since it last looked, and any change empties the cache (by bumping the epoch).
 * Entries rendered under an older epoch are never stored, so a page read before a change
 * cannot outlive it. */
#define CACHE_BUCKETS 4096
struct centry {
    struct centry *next;
    char *key;
    struct MHD_Response *resp;
    unsigned status;
    size_t bytes;
};
static struct centry *cache[CACHE_BUCKETS];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t cache_used;
static unsigned long long cache_epoch_held; /* the epoch the entries belong to */
static atomic_ullong epoch;
static _Thread_local int64_t seen_version = INT64_MIN;

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Under the write lock. */
static void cache_clear(void)
{
    for (size_t i = 0; i < CACHE_BUCKETS; i++) {
        for (struct centry *e = cache[i], *next; e; e = next) {
            next = e->next;
            MHD_destroy_response(e->resp);
            free(e->key);
            free(e);
        }
        cache[i] = NULL;
    }
    cache_used = 0;
}

/* Queues the cached answer for key; false on a miss. */
static bool cache_hit(struct MHD_Connection *conn, const char *key, unsigned long long ep,
                      struct reqstate *rs, enum MHD_Result *ret)
{
    bool hit = false;
    pthread_rwlock_rdlock(&cache_lock);
    if (cache_epoch_held == ep) {
        for (struct centry *e = cache[hash_key(key) % CACHE_BUCKETS]; e; e = e->next) {
            if (strcmp(e->key, key) == 0) {
                *ret = MHD_queue_response(conn, e->status, e->resp);
                if (rs) {
                    rs->status = (int)e->status;
                    rs->bytes = e->bytes;
                    rs->answered = true;
                }
                hit = true;
                break;
            }
        }
    }
    pthread_rwlock_unlock(&cache_lock);
    return hit;
}

static void cache_put(const char *key, unsigned long long ep, struct MHD_Response *r,
                      unsigned status, size_t bytes)
{
    pthread_rwlock_wrlock(&cache_lock);
    if (atomic_load(&epoch) != ep)
        goto done; /* rendered from an archive that has changed since */
    if (cache_epoch_held != ep || cache_used + bytes + strlen(key) > config->cache_bytes) {
        /* A new epoch, or full: start over (pages are cheap to render again). */
        cache_clear();
        cache_epoch_held = ep;
    }
    size_t b = hash_key(key) % CACHE_BUCKETS;
    for (struct centry *e = cache[b]; e; e = e->next)
        if (strcmp(e->key, key) == 0)
            goto done; /* another thread was first */
    struct centry *e = xcalloc(1, sizeof *e);
    e->key = xstrdup(key);
    e->resp = r;
    e->status = status;
    e->bytes = bytes;
    e->next = cache[b];
    cache[b] = e;
    cache_used += bytes + strlen(key) + sizeof *e;
    r = NULL;
done:
    pthread_rwlock_unlock(&cache_lock);
    if (r)
        MHD_destroy_response(r);
}

/* Notices a change of the archive (v: store_data_version); returns the epoch to render in,
 * or 0 when this request must not use the cache. */
static unsigned long long cache_epoch(int64_t v)
{
    if (!config->cache_bytes || v < 0)
        return 0;
    /* A thread's first look has nothing to compare with, so it counts as a change too. */
    if (v != seen_version) {
        seen_version = v;
        atomic_fetch_add(&epoch, 1);
    }
    return atomic_load(&epoch);
}

static void store_destroy(void *p)
{
    web_site_fini();
    store_close(p);
}

/* Each worker thread keeps its own read-only connection: SQLite connections are not shared
 * between threads, and opening one per request would cost more than the page. */
static struct store *thread_store(void)
{
    struct store *st = pthread_getspecific(store_key);
    if (!st) {
        struct err e = {0};
        if (store_open(config->db_path, config->read_only ? STORE_READONLY : 0, &st, &e) != 0) {
            st = NULL;
            char msg[320];
            err_format(&e, msg, sizeof msg);
            fprintf(stderr, "referat serve: %s\n", msg);
            return NULL;
        }
        pthread_setspecific(store_key, st);
    }
    return st;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void conn_mark(struct MHD_Connection *c, int state)
{
    struct conn *k = conn_of(c);
    if (k) {
        atomic_store(&k->since_ms, now_ms());
        atomic_store(&k->state, state);
    }
}

/* libmicrohttpd reports a connection closed before it closes the socket, so an entry that is
 * still in the list under the lock still owns its fd. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct conn *k = xcalloc(1, sizeof *k);
        k->fd = ci ? ci->connect_fd : -1;
        atomic_store(&k->state, CONN_HEAD);
        atomic_store(&k->since_ms, now_ms());
        pthread_mutex_lock(&conns_lock);
        k->next = conns;
        if (conns)
            conns->prev = k;
        conns = k;
        pthread_mutex_unlock(&conns_lock);
        *socket_context = k;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct conn *k = *socket_context;
        pthread_mutex_lock(&conns_lock);
        if (k->prev)
            k->prev->next = k->next;
        else
            conns = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&conns_lock);
        free(k);
        *socket_context = NULL;
    }
}

/* libmicrohttpd's timeout is an idle timeout: a client that trickles one byte a second never
 * trips it. The watchdog gives every request head the same number of seconds in total, and
 * every answer a generous deadline, then answers 408 and closes the connection. */
static void *watchdog(void *arg)
{
    (void)arg;
    static const char body[] = "Forespørgslen kom ikke frem i tide. Prøv igen.\n";
    char timeout_408[256];
    int n408 = snprintf(timeout_408, sizeof timeout_408,
                        "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                        "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s",
                        sizeof body - 1, body);
    long long head_ms = (long long)config->timeout * 1000, busy_ms = head_ms + 60000;
    while (!atomic_load(&stopping)) {
        struct timespec nap = {0, 200 * 1000 * 1000};
        nanosleep(&nap, NULL);
        long long now = now_ms();
        pthread_mutex_lock(&conns_lock);
        for (struct conn *k = conns; k; k = k->next) {
            int state = atomic_load(&k->state);
            long long age = now - atomic_load(&k->since_ms);
            if (k->killed || k->fd < 0 || age < (state == CONN_HEAD ? head_ms : busy_ms))
                continue;
            /* While a head is being read libmicrohttpd writes nothing, so the 408 cannot
             * interleave with its output. */
            if (state == CONN_HEAD)
                (void)!send(k->fd, timeout_408, (size_t)n408, MSG_DONTWAIT | MSG_NOSIGNAL);
            shutdown(k->fd, SHUT_RDWR);
            k->killed = true;
        }
        pthread_mutex_unlock(&conns_lock);
    }
    return NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct reqstate *rs = xcalloc(1, sizeof *rs);
    clock_gettime(CLOCK_MONOTONIC, &rs->start);
    rs->uri = xstrdup(uri);
    atomic_fetch_add(&in_flight, 1);
    return rs;
}

/* The log line quotes the raw target; bytes that would confuse a log reader are escaped. */
static void log_target(FILE *f, const char *uri)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)uri; *p && n < 300; p++, n++) {
        if (*p < 0x21 || *p == 0x7f || *p == '"' || *p == '\\')
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    if (n == 300)
        fputs("...", f);
}

/* The peer's address as text into out (INET6_ADDRSTRLEN bytes), "-" when unknown. */
static void peer_addr(struct MHD_Connection *conn, char *out)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    strcpy(out, "-");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  INET6_ADDRSTRLEN);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  INET6_ADDRSTRLEN);
}

/* ---- POST bodies ---- */

static void form_free(struct web_form *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        if (f->v[i].value)
            sodium_memzero(f->v[i].value, f->v[i].len); /* passwords pass through here */
        free(f->v[i].key);
        free(f->v[i].value);
        free(f->v[i].filename);
        free(f->v[i].type);
    }
    free(f);
}

/* libmicrohttpd hands each field in pieces (off > 0 continues the last one). */
static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind;
    (void)transfer_encoding;
    struct reqstate *rs = cls;
    struct web_form *f = rs->form;
    if (rs->form_error)
        return MHD_NO;
    f->bytes += size;
    if (f->bytes > config->max_form) {
        rs->form_error = 413;
        return MHD_NO;
    }
    struct web_field *fd = f->n ? &f->v[f->n - 1] : NULL;
    if (off == 0 || !fd || strcmp(fd->key, key ? key : "") != 0) {
        if (f->n == WEB_MAX_FIELDS) {
            rs->form_error = 413;
            return MHD_NO;
        }
        fd = &f->v[f->n++];
        fd->key = xstrdup(key ? key : "");
        fd->value = xcalloc(1, 1);
        fd->filename = filename ? xstrdup(filename) : NULL;
        fd->type = filename && content_type ? xstrdup(content_type) : NULL;
    }
    if (size) {
        fd->value = xrealloc(fd->value, fd->len + size + 1);
        memcpy(fd->value + fd->len, data, size);
        fd->len += size;
        fd->value[fd->len] = '\0';
    }
    return MHD_YES;
}

/* Text fields are UTF-8 without control characters but tab and line ends. */
static bool form_text_ok(const struct web_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct web_field *fd = &f->v[i];
        if (!web_text_ok(fd->key, strlen(fd->key)))
            return false;
        if (fd->filename)
            continue;
        if (strlen(fd->value) != fd->len)
            return false;
        for (size_t k = 0; k < fd->len; k++) {
            unsigned char c = (unsigned char)fd->value[k];
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                return false;
        }
        /* The rest of the check (UTF-8, C1) is web_text_ok's, on the value without the
         * characters it refuses that forms may carry. */
        struct buf t = BUF_INIT;
        for (size_t k = 0; k < fd->len; k++)
            buf_putc(&t, strchr("\t\r\n", fd->value[k]) ? ' ' : fd->value[k]);
        bool ok = web_text_ok(buf_cstr(&t), t.len);
        buf_free(&t);
        if (!ok)
            return false;
    }
    return true;
}

static bool form_type_ok(const char *type)
{
    static const char *const ok[] = {"application/x-www-form-urlencoded", "multipart/form-data"};
    for (size_t i = 0; type && i < 2; i++)
        if (strncasecmp(type, ok[i], strlen(ok[i])) == 0)
            return true;
    return false;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    struct reqstate *rs = *req_cls;
    if (!rs)
        return;
    conn_mark(conn, CONN_HEAD);
    if (config->access_log) {
        char addr[INET6_ADDRSTRLEN];
        peer_addr(conn, addr);
        /* One fprintf per line keeps lines whole: stdio locks the stream per call. */
        flockfile(stderr);
        const union MHD_ConnectionInfo *mi =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
        int status = rs->answered ? rs->status : (mi ? (int)mi->http_status : 0);
        fprintf(stderr, "%s %s ", addr, rs->method[0] ? rs->method : "-");
        log_target(stderr, rs->uri);
        fprintf(stderr, " %d %zu %.2fms%s\n", status, rs->bytes, ms_since(&rs->start),
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
        funlockfile(stderr);
    }
    if (rs->pp)
        MHD_destroy_post_processor(rs->pp);
    form_free(rs->form);
    free(rs->uri);
    free(rs);
    *req_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

/* Every response carries these; a handler may set a stricter or different policy itself. */
static void add_common_headers(struct MHD_Response *r, const struct web_response *res)
{
    bool own_csp = false;
    for (size_t i = 0; i < res->nheaders; i++)
        own_csp |= strcmp(res->headers[i].name, "Content-Security-Policy") == 0;
    if (!own_csp)
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Queues res; when key is given and the answer may be kept, the response goes into the
 * cache for epoch ep. */
static enum MHD_Result send_response(struct MHD_Connection *conn, struct reqstate *rs,
                                     struct web_response *res, const char *key,
                                     unsigned long long ep)
{
    size_t len = res->body.len;
    char *body = buf_detach(&res->body);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    add_common_headers(r, res);
    MHD_add_response_header(r, "Content-Type", res->type ? res->type : "text/plain");
    for (size_t i = 0; i < res->nheaders; i++)
        MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
    if (rs) {
        rs->status = res->status;
        rs->bytes = len;
        rs->answered = true;
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
    if (key && ep && res->status == 200 && !res->nocache)
        cache_put(key, ep, r, 200, len); /* takes our reference */
    else
        MHD_destroy_response(r);
    return ret;
}

/* Feeds need absolute URLs; a Host header that could break out of one is ignored. */
static const char *plausible_host(const char *h)
{
    if (!h || !*h || strlen(h) > 255)
        return NULL;
    for (const char *p = h; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']'))
            return NULL;
    return h;
}

/* Behind the trusted proxy the client is the last address it appended to X-Forwarded-For
 * (earlier ones come from the client and prove nothing), and X-Forwarded-Proto says whether
 * the client used TLS. From anyone else these headers are ignored. */
static void client_of(struct MHD_Connection *conn, const struct web_site *site, char *client,
                      bool *https)
{
    peer_addr(conn, client);
    *https = site->base_url && strncmp(site->base_url, "https://", 8) == 0;
    if (!site->proxy || strcmp(site->proxy, client) != 0)
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (proto)
        *https = strcasecmp(proto, "https") == 0;
    if (xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        char a[INET6_ADDRSTRLEN];
        size_t n = strcspn(last, " ");
        unsigned char bin[sizeof(struct in6_addr)];
        if (n < sizeof a) {
            memcpy(a, last, n);
            a[n] = '\0';
            if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
                strcpy(client, a);
        }
    }
}

/* Answers now, before any body is read, and closes the connection (the body is unread). */
static enum MHD_Result refuse(struct MHD_Connection *conn, struct reqstate *rs,
                              struct web_response *res, int status, const char *hint)
{
    web_error_page(res, status, hint);
    web_header_add(res, "Connection", "close");
    return send_response(conn, rs, res, NULL, 0);
}

/* The first call for a POST brings its head: refuse what cannot be a form of ours before
 * reading the body, else set up the post processor. */
static enum MHD_Result post_head(struct MHD_Connection *conn, struct reqstate *rs,
                                 struct web_response *res)
{
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    char allow[64];
    web_methods_for(rs->uri, allow);
    if (!strstr(allow, "POST")) {
        /* Nothing here takes a form: say so before reading a byte of it. */
        if (*allow)
            web_header_add(res, "Allow", allow);
        return refuse(conn, rs, res, *allow ? 405 : 404, NULL);
    }
    if (config->read_only)
        return refuse(conn, rs, res, 503, "Denne portal er skrivebeskyttet: her kan man kun "
                                          "læse.");
    if (!form_type_ok(type))
        return refuse(conn, rs, res, 415, "Formularen skal sendes som "
                                          "application/x-www-form-urlencoded eller "
                                          "multipart/form-data.");
    if (clen) {
        char *end;
        unsigned long long n = strtoull(clen, &end, 10);
        if (*end || *clen == '-' || n > config->max_form)
            return refuse(conn, rs, res, 413, NULL);
    }
    rs->form = xcalloc(1, sizeof *rs->form);
    rs->pp = MHD_create_post_processor(conn, 16 * 1024, on_field, rs);
    if (!rs->pp)
        return refuse(conn, rs, res, 415, "Formularens indhold kunne ikke læses.");
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    struct reqstate *rs = *req_cls;
    struct web_response res;
    enum MHD_Result ret;
    web_response_init(&res);
    if (rs && rs->answered) {
        /* A body still arriving after the answer was queued: read and drop it. */
        *upload_data_size = 0;
        web_response_fini(&res);
        return MHD_YES;
    }
    if (rs)
        snprintf(rs->method, sizeof rs->method, "%s", method);
    conn_mark(conn, CONN_BUSY);

    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    if (!get && !post) {
        /* Answer before reading any body. */
        web_header_add(&res, "Allow", "GET, HEAD, POST");
        ret = refuse(conn, rs, &res, 405, NULL);
        goto done;
    }
    if (get) {
        /* A GET with a body is refused at once, like an upload, rather than read. */
        const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if ((clen && strcmp(clen, "0") != 0) ||
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding") ||
            *upload_data_size != 0) {
            *upload_data_size = 0;
            ret = refuse(conn, rs, &res, 400, "En GET-forespørgsel må ikke have et indhold.");
            goto done;
        }
    }
    /* The first call brings the head only; answering then would make libmicrohttpd close
     * the connection, since the request might still have a body. */
    if (rs && !rs->headed) {
        rs->headed = true;
        ret = post ? post_head(conn, rs, &res) : MHD_YES;
        goto done;
    }
    if (post && *upload_data_size) {
        if (rs && rs->pp && !rs->form_error &&
            MHD_post_process(rs->pp, upload_data, *upload_data_size) != MHD_YES &&
            !rs->form_error)
            rs->form_error = 400;
        *upload_data_size = 0;
        web_response_fini(&res);
        return MHD_YES;
    }
    if (post) {
        if (!rs || !rs->form) {
            ret = refuse(conn, rs, &res, 400, NULL);
            goto done;
        }
        MHD_destroy_post_processor(rs->pp);
        rs->pp = NULL;
        if (!rs->form_error && !form_text_ok(rs->form))
            rs->form_error = 400;
        if (rs->form_error) {
            ret = refuse(conn, rs, &res, rs->form_error,
                         rs->form_error == 413 ? NULL
                                               : "Formularen indeholdt noget, der ikke er "
                                                 "gyldig UTF-8-tekst.");
            goto done;
        }
    }

    struct web_request req;
    if (web_request_parse(&req, method, rs ? rs->uri : url) != 0) {
        web_error_page(&res, 400,
                       "Adressen kunne ikke læses. Den indeholder tegn, som ikke er gyldig "
                       "UTF-8, eller styretegn som %00.");
        ret = send_response(conn, rs, &res, NULL, 0);
        web_request_fini(&req);
        goto done;
    }
    req.store = thread_store();
    req.host = plausible_host(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"));
    int64_t dv = req.store ? store_data_version(req.store) : -1;
    req.site = web_site_load(req.store, dv, config->base_url);
    req.read_only = config->read_only;
    char client[INET6_ADDRSTRLEN];
    client_of(conn, req.site, client, &req.https);
    req.client = client;
    req.origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    req.referer = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Referer");
    req.cookie_login =
        MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, web_cookie_login(req.https));
    const char *sid =
        MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, web_cookie_session(req.https));
    req.session_id = sid;
    bool api = req.nseg > 0 && strcmp(req.seg[0], "api") == 0;
    struct web_auth auth;
    web_auth_resolve(&auth, req.store, req.site, sid, api ? MHD_lookup_connection_value(
                         conn, MHD_HEADER_KIND, "Authorization") : NULL, api);
    if (auth.ok) {
        req.reader = &auth.rd.reader;
        req.session = &auth.session;
    }
    req.form = post && rs ? rs->form : NULL;
    /* The page cache holds what the public sees: only anonymous GETs without any session
     * cookie use it, so a logged-in view is never kept nor served to someone else. */
    bool anonymous = get && !auth.ok && !sid && !MHD_lookup_connection_value(
                         conn, MHD_HEADER_KIND, "Authorization");
    unsigned long long ep = rs && anonymous ? cache_epoch(dv) : 0;
    struct buf key = BUF_INIT;
    if (ep) {
        buf_printf(&key, "%s %s", req.host ? req.host : "", rs->uri);
        if (cache_hit(conn, buf_cstr(&key), ep, rs, &ret)) {
            buf_free(&key);
            web_auth_fini(&auth);
            web_request_fini(&req);
            goto done;
        }
    }
    if (auth.bad_token) {
        /* A token that does not work is an error, not the public view in disguise. */
        web_json_error(&res, 401, "API-tokenet er ugyldigt, tilbagekaldt eller hører til en "
                                  "spærret bruger.");
        web_header_add(&res, "WWW-Authenticate", "Bearer realm=\"referat\"");
        res.nocache = true;
    } else {
        web_dispatch(&req, &res);
    }
    if (auth.stale)
        web_cookie_set(&res, &req, web_cookie_session(req.https), NULL);
    if (auth.ok || res.staff) {
        /* Rendered for one person: never stored by a browser cache or a proxy. */
        web_header_add(&res, "Cache-Control", "private, no-store");
        res.nocache = true;
    }
    ret = send_response(conn, rs, &res, ep && !res.nocache ? buf_cstr(&key) : NULL, ep);
    buf_free(&key);
    web_auth_fini(&auth);
    web_request_fini(&req);
done:
    web_response_fini(&res);
    return ret;
}

/* "HOST:PORT" (IPv4 or [IPv6]) into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *sslen)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return -1;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
        return -1;
    char host[64];
    size_t hl = (size_t)(colon - s);
    if (s[0] == '[' && hl > 2 && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl >= sizeof host)
        return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        *sslen = sizeof *in4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        *sslen = sizeof *in6;
        return 0;
    }
    return -1;
}

int web_serve(const struct web_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (parse_listen(cfg->listen, &ss, &sslen) != 0) {
        fprintf(stderr, "referat serve: --listen: expected HOST:PORT, e.g. 127.0.0.1:8080\n");
        return ERR_USAGE;
    }
    config = cfg;
    if (pthread_key_create(&store_key, store_destroy) != 0)
        return ERR_IO;

    /* The workers inherit this mask, so only sigwait below sees the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned threads = cfg->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 4;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    /* One option and its value per line. */
    // clang-format off
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_conns ? cfg->max_conns : 1024u,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout ? cfg->timeout : 15u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEAD_LIMIT,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_END);
    // clang-format on
    if (!d) {
        fprintf(stderr, "referat serve: cannot listen on %s: %s\n", cfg->listen,
                strerror(errno ? errno : EADDRINUSE));
        pthread_key_delete(store_key);
        return ERR_IO;
    }
    pthread_t dog;
    if (pthread_create(&dog, NULL, watchdog, NULL) != 0) {
        MHD_stop_daemon(d);
        pthread_key_delete(store_key);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    if (ss.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
    printf(ss.ss_family == AF_INET6 ? "Lytter på http://[%s]:%u/\n" : "Lytter på http://%s:%u/\n",
           host, di ? (unsigned)di->port : 0u);
    fflush(stdout);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "referat serve: stopper (signal %d); afslutter igangværende forespørgsler\n",
            sig);

    /* Stop accepting first, then let what is in flight finish; idle keep-alive connections
     * hold no request and are closed by MHD_stop_daemon. */
    MHD_socket lfd = MHD_quiesce_daemon(d);
    /* A listening socket nobody accepts on would still complete handshakes into its backlog;
     * closed, it refuses them. */
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (atomic_load(&in_flight) > 0 && ms_since(&t0) < DRAIN_SECONDS * 1000.0) {
        struct timespec nap = {0, 10 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    MHD_stop_daemon(d);
    atomic_store(&stopping, true);
    pthread_join(dog, NULL);
    pthread_rwlock_wrlock(&cache_lock);
    cache_clear();
    pthread_rwlock_unlock(&cache_lock);
    /* The workers' destructors closed their stores; this thread never opened one. */
    pthread_key_delete(store_key);
    fprintf(stderr, "referat serve: stoppet\n");
    return 0;
}
