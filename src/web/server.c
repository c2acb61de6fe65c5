/* server: the portal's HTTP server on libmicrohttpd (the only file that includes it). */
#include <dlfcn.h>
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "../store/store.h"
#include "../util/err.h"
#include "auth.h"
#include "web.h"

/* libmicrohttpd's memory per connection: twice the largest head the server reads, so that a
 * head a little over WEB_MAX_HEAD (or a target over WEB_MAX_TARGET) still reaches on_request
 * and is refused there with the Danish page. Beyond it the library answers 414/431 itself. */
#define POOL_BYTES ((size_t)2 * WEB_MAX_HEAD)
/* How shutdown waits for requests in flight before closing what is left. */
#define DRAIN_SECONDS 20
/* libmicrohttpd 0.9.75 keeps every query argument in the connection's memory and, when that
 * runs out (about 460 arguments), neither answers nor reports the request as completed. It
 * unescapes each key and value first, so on_unescape counts them and answers at this many,
 * long before the memory runs out. */
#define UNESCAPES_MAX (4 * WEB_MAX_ARGS)
/* How often the watchdog reports connections refused by the per-address limit. */
#define REFUSED_REPORT_MS 10000

/* One request's state from the first byte of its URI to its completion (MHD's req_cls). */
struct reqstate {
    struct timespec start;
    char *uri; /* the raw request target, as the client sent it */
    char method[8];
    int status;
    size_t bytes;
    unsigned unescapes; /* keys and values the library has unescaped so far */
    bool answered;
    bool headed;  /* the access handler has seen the head */
    bool refused; /* answered on the socket itself (raw_answer); the library's calls are dropped */
    bool cached;  /* served from the page cache (the access log says so) */
    char client[INET6_ADDRSTRLEN]; /* the client a trusted proxy named, or "" */
    /* A POST's body, read through libmicrohttpd's post processor into form; or, for a token
     * route (the write API), a POST's or PUT's body as it is, into raw. */
    struct MHD_PostProcessor *pp;
    struct web_form *form;
    bool rawbody;
    size_t raw_limit; /* max_form, or for a bilag from a valid token the site's bilag limit */
    struct buf raw;
    int form_error; /* 0, or the status to answer when the body is read: 400, 413 */
    size_t upload_limit, file_bytes; /* editor (issue 8): a multipart form's files (file_part) */
};

/* The part of an address that names one client: family, then all of an IPv4 address or the
 * /64 of an IPv6 one (a host usually holds a whole /64). IPv4-mapped IPv6 counts as IPv4. */
struct addrkey {
    unsigned char len;
    unsigned char b[17];
};

/* One open connection, for the watchdog and the per-address limit. The list links are
 * guarded by conns_lock; state and since are atomics so that requests update them without
 * taking the lock. Everything else is set when the connection starts and read-only after,
 * except rs, which only the connection's own thread touches. */
enum { CONN_HEAD, CONN_BUSY };
struct conn {
    struct conn *prev, *next;
    int fd;
    atomic_int state;      /* CONN_HEAD: waiting for a request head; CONN_BUSY: answering */
    atomic_llong since_ms; /* when it entered that state (monotonic ms) */
    bool killed;
    struct addrkey client;            /* for the per-address limit */
    bool trusted;                     /* the peer is a configured reverse proxy */
    char addr[INET6_ADDRSTRLEN];      /* the peer, for the access log */
    char local[INET6_ADDRSTRLEN + 2]; /* the address the client reached: "127.0.0.1", "[::1]" */
    unsigned port;                    /* and its port */
    bool loopback;
    struct reqstate *rs; /* the request in progress, until it ends */
};

static const struct web_config *config;
static pthread_key_t store_key;
static atomic_long in_flight;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *conns;
static atomic_bool stopping;
static unsigned per_addr;         /* max_conns_per_addr in force */
static char base_url[256];        /* public_base_url without a trailing slash, or "" */
static struct addrkey proxies[8]; /* trusted_proxies, whole addresses */
static size_t nproxies;
static atomic_ulong refused_conns;          /* by the per-address limit, since the last report */
static char refused_addr[INET6_ADDRSTRLEN]; /* the last one refused (under conns_lock) */

/* Every answer carries these, the library's own included (see MHD_queue_response below). A
 * handler may set a stricter or different Content-Security-Policy itself. */
#define CSP_DEFAULT                                                                                \
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "                   \
    "base-uri 'none'; frame-ancestors 'none'"
static const struct {
    const char *name, *value;
} common_headers[] = {
    {"Content-Security-Policy", CSP_DEFAULT},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "strict-origin-when-cross-origin"},
    {"X-Frame-Options", "DENY"},
};

/* ---- the library's own answers ---- */

/* libmicrohttpd 0.9.75 answers some requests itself before any callback of ours runs: a
 * version it does not speak (505), a head larger than its memory (414, 431), a
 * Content-Length it cannot read (400, 413), a header line without a colon (400). It builds
 * those answers with its exported MHD_queue_response, called through its symbol table, so the
 * server defines that function: every answer gets the common headers, then the library's own
 * MHD_queue_response (found with dlsym) queues it. Our own answers carry the headers already
 * (and are never changed here, since cached ones are shared between threads). If a build of
 * the library stops calling through its symbol table, d14_library_answers_carry_headers fails.
 */
typedef enum MHD_Result queue_fn(struct MHD_Connection *, unsigned int, struct MHD_Response *);
static queue_fn *library_queue;
static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void find_library_queue(void)
{
    library_queue = (queue_fn *)dlsym(RTLD_NEXT, "MHD_queue_response");
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response)
{
    pthread_once(&library_once, find_library_queue);
    if (!library_queue)
        return MHD_NO;
    if (response && !MHD_get_response_header(response, "X-Content-Type-Options")) {
        for (size_t i = 0; i < sizeof common_headers / sizeof common_headers[0]; i++)
            MHD_add_response_header(response, common_headers[i].name, common_headers[i].value);
        /* The library's bodies are small fixed HTML pages (or empty). */
        if (!MHD_get_response_header(response, "Content-Type"))
            MHD_add_response_header(response, "Content-Type", "text/html; charset=utf-8");
        MHD_add_response_header(response, "Cache-Control", "no-store");
    }
    return library_queue(connection, status_code, response);
}

/* The page cache: finished 200 answers by canonical request (base URL, path, the route's
 * arguments), kept as libmicrohttpd responses (reference-counted, so a hit is queued without
 * copying). Pages only change when the archive does; every request first asks its connection
 * whether another process has committed since it last looked, and any change empties the
 * cache (by bumping the epoch). Entries rendered under an older epoch are never stored, so a
 * page read before a change cannot outlive it. */
#define CACHE_BUCKETS 4096
/* A strong entity tag: a quoted BLAKE2b-128 of the body in hex. */
#define ETAG_LEN (2 + 2 * 16)
struct centry {
    struct centry *next;
    char *key;
    struct MHD_Response *resp;
    unsigned status;
    size_t bytes;
    char etag[ETAG_LEN + 1];
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

static void etag_of(const char *body, size_t len, char out[ETAG_LEN + 1])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)body, len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 2 * sizeof h + 1, h, sizeof h);
    out[ETAG_LEN - 1] = '"';
    out[ETAG_LEN] = '\0';
}

/* If-None-Match (RFC 9110 13.1.2): "*", or a list of entity tags compared weakly. */
static bool etag_matches(const char *inm, const char *etag)
{
    if (!inm || !etag || !etag[0])
        return false;
    size_t el = strlen(etag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t n = strcspn(p, ",");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == el && memcmp(p, etag, el) == 0)
            return true;
        p += strcspn(p, ",");
    }
    return false;
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

/* Queues the cached answer for key (304 when inm names its tag); false on a miss. */
static bool cache_hit(struct MHD_Connection *conn, const char *key, unsigned long long ep,
                      const char *inm, struct reqstate *rs, enum MHD_Result *ret)
{
    bool hit = false;
    pthread_rwlock_rdlock(&cache_lock);
    if (cache_epoch_held == ep) {
        for (struct centry *e = cache[hash_key(key) % CACHE_BUCKETS]; e; e = e->next) {
            if (strcmp(e->key, key) == 0) {
                bool fresh = etag_matches(inm, e->etag);
                unsigned status = fresh ? MHD_HTTP_NOT_MODIFIED : e->status;
                *ret = MHD_queue_response(conn, status, e->resp);
                if (rs) {
                    rs->status = (int)status;
                    rs->bytes = fresh ? 0 : e->bytes;
                    rs->answered = true;
                    rs->cached = true;
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
                      unsigned status, size_t bytes, const char *etag)
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
    snprintf(e->etag, sizeof e->etag, "%s", etag ? etag : "");
    e->next = cache[b];
    cache[b] = e;
    cache_used += bytes + strlen(key) + sizeof *e;
    r = NULL;
done:
    pthread_rwlock_unlock(&cache_lock);
    if (r)
        MHD_destroy_response(r);
}

/* Notices a change of the archive (v: store_data_version, here or by another process);
 * returns the epoch to render in, or 0 when this request must not use the cache. */
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

/* Each worker thread keeps its own connection (read-only for a mirror): SQLite connections
 * are not shared between threads, and opening one per request would cost more than the
 * page. */
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
        store_set_cache_kb(st, 8192); /* ---- issue 11, paging: bounded memory per thread ---- */
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

/* ---- addresses: the per-address limit, trusted proxies, the address a client reached ---- */

/* The key of address a (4 or 16 bytes of family AF_INET or AF_INET6); whole: the full
 * address, for comparing with a proxy's. */
static struct addrkey make_key(int family, const unsigned char *a, bool whole)
{
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    struct addrkey k = {0};
    if (family == AF_INET6 && memcmp(a, v4mapped, sizeof v4mapped) == 0) {
        family = AF_INET;
        a += 12;
    }
    if (family == AF_INET) {
        k.b[0] = 4;
        memcpy(k.b + 1, a, 4);
        k.len = 5;
    } else if (family == AF_INET6) {
        k.b[0] = 6;
        memcpy(k.b + 1, a, whole ? 16 : 8);
        k.len = whole ? 17 : 9;
    }
    return k;
}

static struct addrkey addr_key(const struct sockaddr *sa, bool whole)
{
    if (sa->sa_family == AF_INET)
        return make_key(
            AF_INET,
            (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr,
            whole);
    if (sa->sa_family == AF_INET6)
        return make_key(AF_INET6,
                        ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr, whole);
    return (struct addrkey){0};
}

static bool key_eq(const struct addrkey *a, const struct addrkey *b)
{
    return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

static bool is_proxy(const struct sockaddr *sa)
{
    struct addrkey k = addr_key(sa, true);
    for (size_t i = 0; i < nproxies; i++)
        if (key_eq(&k, &proxies[i]))
            return true;
    return false;
}

/* "a,b,c" of IP addresses into proxies; -1 on anything else. */
static int parse_proxies(const char *list)
{
    nproxies = 0;
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        char one[INET6_ADDRSTRLEN];
        unsigned char a[16];
        while (n > 0 && *p == ' ')
            p++, n--;
        if (n == 0 || n >= sizeof one || nproxies == sizeof proxies / sizeof proxies[0])
            return -1;
        memcpy(one, p, n);
        one[n] = '\0';
        if (inet_pton(AF_INET, one, a) == 1)
            proxies[nproxies++] = make_key(AF_INET, a, true);
        else if (inet_pton(AF_INET6, one, a) == 1)
            proxies[nproxies++] = make_key(AF_INET6, a, true);
        else
            return -1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static void addr_text(const struct sockaddr *sa, char *out, size_t n)
{
    snprintf(out, n, "-");
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)n);
}

/* Called before a connection is accepted: one client address (not a trusted proxy) may hold
 * per_addr connections at most. Counting the open ones here and adding in on_connection may
 * let a client past by one per worker thread accepting at the same instant; counting here
 * would leak whenever the library then drops the connection without telling us. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
    (void)cls;
    (void)len;
    if (is_proxy(sa))
        return MHD_YES;
    struct addrkey k = addr_key(sa, false);
    unsigned n = 0;
    pthread_mutex_lock(&conns_lock);
    for (struct conn *c = conns; c && n < per_addr; c = c->next)
        n += key_eq(&c->client, &k);
    if (n >= per_addr)
        addr_text(sa, refused_addr, sizeof refused_addr);
    pthread_mutex_unlock(&conns_lock);
    if (n < per_addr)
        return MHD_YES;
    atomic_fetch_add(&refused_conns, 1);
    return MHD_NO;
}

/* Where the client connected to, for absolute URLs (request_base). */
static void local_address(struct conn *k)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    snprintf(k->local, sizeof k->local, "localhost");
    if (k->fd < 0 || getsockname(k->fd, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &in4->sin_addr, k->local, sizeof k->local);
        k->port = ntohs(in4->sin_port);
        k->loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
        char a[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof a);
        snprintf(k->local, sizeof k->local, "[%s]", a);
        k->port = ntohs(in6->sin6_port);
        k->loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
}

/* The scheme and authority for absolute URLs: the configured base (--base-url, else the
 * archive's public.base_url), else the host the client named when it is the address it
 * reached (by number, or as localhost on a loopback address), spelled our way, else that
 * address. */
static void request_base(const struct conn *k, const struct web_site *site, const char *host,
                         char *out, size_t n)
{
    if (base_url[0]) {
        snprintf(out, n, "%s", base_url);
        return;
    }
    if (site->base_url) {
        char origin[256];
        snprintf(out, n, "%s", web_origin_of(site->base_url, origin, sizeof origin)
                                   ? origin : site->base_url);
        return;
    }
    if (!k) {
        snprintf(out, n, "http://localhost");
        return;
    }
    char cand[INET6_ADDRSTRLEN + 16];
    const char *names[] = {k->local, k->loopback ? "localhost" : NULL};
    for (size_t i = 0; host && i < 2; i++) {
        if (!names[i])
            continue;
        snprintf(cand, sizeof cand, "%s:%u", names[i], k->port);
        if (strcasecmp(host, cand) == 0 || (k->port == 80 && strcasecmp(host, names[i]) == 0)) {
            snprintf(out, n, "http://%s", k->port == 80 ? names[i] : cand);
            return;
        }
    }
    if (k->port == 80)
        snprintf(out, n, "http://%s", k->local);
    else
        snprintf(out, n, "http://%s:%u", k->local, k->port);
}

/* ---- answers written to the socket itself ---- */

/* A complete answer with the common headers and Connection: close, for the two moments the
 * library cannot answer: a request it is about to lose (on_unescape) and a head that never
 * completes (the watchdog). */
static void raw_format(struct buf *out, int status, const char *reason, const char *type,
                       const char *body, size_t len)
{
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    buf_printf(out, "HTTP/1.1 %d %s\r\nDate: %s\r\nConnection: close\r\n", status, reason, date);
    for (size_t i = 0; i < sizeof common_headers / sizeof common_headers[0]; i++)
        buf_printf(out, "%s: %s\r\n", common_headers[i].name, common_headers[i].value);
    buf_printf(out, "Cache-Control: no-store\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
               type, len);
    buf_put(out, body, len);
}

/* Answers 400 on the connection's socket and shuts it, so that nothing the library does with
 * the rest of the request can reach the client. */
static void raw_refuse(struct MHD_Connection *c, struct reqstate *rs, const char *hint)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct web_response res;
    web_response_init(&res);
    web_error_page(&res, 400, hint);
    struct buf out = BUF_INIT;
    raw_format(&out, 400, "Bad Request", res.type, res.body.ptr, res.body.len);
    if (ci) {
        (void)!send(ci->connect_fd, out.ptr, out.len, MSG_DONTWAIT | MSG_NOSIGNAL);
        shutdown(ci->connect_fd, SHUT_RDWR);
    }
    rs->refused = rs->answered = true;
    rs->status = 400;
    rs->bytes = res.body.len;
    buf_free(&out);
    web_response_fini(&res);
}

static size_t on_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    struct conn *k = conn_of(c);
    struct reqstate *rs = k ? k->rs : NULL;
    if (rs && !rs->refused && ++rs->unescapes > UNESCAPES_MAX)
        raw_refuse(c, rs, "Adressen har for mange argumenter (højst 32).");
    return MHD_http_unescape(s);
}

/* ---- requests: begin, end, and the access log ---- */

/* The log line quotes the raw target; bytes that would confuse a log reader are escaped. */
static void log_target(FILE *f, const char *uri)
{
    /* ---- issue 10, notices: a link's token is a key, never logged (the subscribers'
     * links, and the guests' of issue 8) ---- */
    static const char *const keyed[] = {"/abonnement/bekraeft/", "/abonnement/afmeld/",
                                        "/gaest/"};
    for (size_t i = 0; i < sizeof keyed / sizeof keyed[0]; i++)
        if (strncmp(uri, keyed[i], strlen(keyed[i])) == 0) {
            fprintf(f, "%sTOKEN", keyed[i]);
            return;
        }
    /* ---- end issue 10, notices ---- */
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

/* ---- editor (issue 8): the files of a multipart form (bilag). A file keeps at most the
 * site's bilag limit (store_attachment_limit) plus one byte, so that the page can say at the
 * field that it is too big; the rest of it is read and dropped. Files may bring twice the limit
 * beyond the form limit in all; more is refused (413) before or while it is read. ---- */
/* The site's bilag limit in bytes when the request comes from someone the archive knows (a
 * live session sid, or a valid API token in authz), else 0: nobody else makes the server read
 * megabytes. */
static size_t known_file_limit(const char *sid, const char *authz)
{
    struct store *st = thread_store();
    if (!st || (!sid && !authz))
        return 0;
    const struct web_site *site =
        web_site_load(st, store_data_version(st), base_url[0] ? base_url : NULL);
    struct web_auth a;
    web_auth_resolve(&a, st, site, sid, authz, authz != NULL);
    bool ok = a.ok;
    web_auth_fini(&a);
    size_t n = 0;
    struct err e = {0};
    return ok && store_attachment_limit(st, &n, &e) == 0 ? n : 0;
}

/* A multipart form's files: only for someone logged in. */
static size_t upload_limit(struct MHD_Connection *conn, const char *type)
{
    if (!type || strncasecmp(type, "multipart/form-data", 19) != 0)
        return 0;
    const char *sid = NULL;
    for (int https = 0; https < 2 && !sid; https++)
        sid = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, web_cookie_session(https));
    return known_file_limit(sid, NULL);
}

/* The write API's bilag (PUT /api/v1/cases/ID/attachments/N): only a request with a valid
 * API token may make the server read up to the site's bilag limit (and one byte more, so the
 * handler can say it is too big); anything else keeps the form limit. */
static size_t token_file_limit(struct MHD_Connection *conn)
{
    const char *authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    size_t n = authz ? known_file_limit(NULL, authz) : 0;
    return n ? n + 1 : config->max_form;
}

static size_t form_budget(const struct reqstate *rs)
{
    return config->max_form + 2 * rs->upload_limit;
}

static enum MHD_Result file_part(struct reqstate *rs, const char *key, const char *filename,
                                 const char *content_type, const char *data, uint64_t off,
                                 size_t size)
{
    struct web_form *f = rs->form;
    rs->file_bytes += size;
    if (rs->file_bytes > form_budget(rs)) {
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
        fd->filename = xstrdup(filename);
        fd->type = content_type ? xstrdup(content_type) : NULL;
    }
    size_t room = fd->len <= rs->upload_limit ? rs->upload_limit + 1 - fd->len : 0;
    size_t take = size < room ? size : room;
    if (take) {
        fd->value = xrealloc(fd->value, fd->len + take + 1);
        memcpy(fd->value + fd->len, data, take);
        fd->len += take;
        fd->value[fd->len] = '\0';
    }
    return MHD_YES;
}
/* ---- end of editor (issue 8) ---- */

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
    if (filename && rs->upload_limit) /* a bilag (editor, issue 8) */
        return file_part(rs, key, filename, content_type, data, off, size);
    if (f->bytes - rs->file_bytes > config->max_form) {
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

/* Logs and frees rs. ok: the library reported it completed; status: what the library says
 * it sent, when we did not answer ourselves. */
static void request_end(struct conn *k, struct reqstate *rs, bool ok, int status)
{
    if (k && k->rs == rs)
        k->rs = NULL;
    if (config->access_log) {
        /* One fprintf per line keeps lines whole: stdio locks the stream per call. */
        flockfile(stderr);
        const char *client = rs->client[0] ? rs->client : k ? k->addr : "-";
        fprintf(stderr, "%s %s ", client, rs->method[0] ? rs->method : "-");
        log_target(stderr, rs->uri);
        fprintf(stderr, " %d %zu %.2fms%s%s\n", rs->answered ? rs->status : status, rs->bytes,
                ms_since(&rs->start), rs->cached ? " cached" : "",
                ok || rs->refused ? "" : " aborted");
        funlockfile(stderr);
    }
    if (rs->pp)
        MHD_destroy_post_processor(rs->pp);
    form_free(rs->form);
    buf_free(&rs->raw);
    free(rs->uri);
    free(rs);
    atomic_fetch_sub(&in_flight, 1);
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
        const union MHD_ConnectionInfo *ai =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        struct conn *k = xcalloc(1, sizeof *k);
        k->fd = ci ? ci->connect_fd : -1;
        snprintf(k->addr, sizeof k->addr, "-");
        if (ai && ai->client_addr) {
            k->client = addr_key(ai->client_addr, false);
            k->trusted = is_proxy(ai->client_addr);
            addr_text(ai->client_addr, k->addr, sizeof k->addr);
        }
        local_address(k);
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
        /* A request the library dropped without completing it (0.9.75 does after running
         * out of memory for arguments) ends here. */
        if (k->rs)
            request_end(k, k->rs, false, 0);
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
 * trips it. The watchdog gives every request head the same number of seconds in total (the
 * header-read deadline, from the connection's start or its previous answer), and every
 * answer a generous deadline, then answers 408 and closes the connection. It also reports
 * what the per-address limit refused. */
static void *watchdog(void *arg)
{
    (void)arg;
    static const char body[] = "Forespørgslen kom ikke frem i tide. Prøv igen.\n";
    long long head_ms = (long long)config->timeout * 1000, busy_ms = head_ms + 60000;
    long long reported = now_ms();
    while (!atomic_load(&stopping)) {
        struct timespec nap = {0, 200 * 1000 * 1000};
        nanosleep(&nap, NULL);
        long long now = now_ms();
        struct buf timeout_408 = BUF_INIT;
        pthread_mutex_lock(&conns_lock);
        for (struct conn *k = conns; k; k = k->next) {
            int state = atomic_load(&k->state);
            long long age = now - atomic_load(&k->since_ms);
            if (k->killed || k->fd < 0 || age < (state == CONN_HEAD ? head_ms : busy_ms))
                continue;
            /* While a head is being read libmicrohttpd writes nothing, so the 408 cannot
             * interleave with its output. */
            if (state == CONN_HEAD) {
                if (!timeout_408.len)
                    raw_format(&timeout_408, 408, "Request Timeout", "text/plain; charset=utf-8",
                               body, sizeof body - 1);
                (void)!send(k->fd, timeout_408.ptr, timeout_408.len, MSG_DONTWAIT | MSG_NOSIGNAL);
            }
            shutdown(k->fd, SHUT_RDWR);
            k->killed = true;
        }
        char addr[INET6_ADDRSTRLEN];
        snprintf(addr, sizeof addr, "%s", refused_addr);
        pthread_mutex_unlock(&conns_lock);
        buf_free(&timeout_408);
        if (now - reported >= REFUSED_REPORT_MS || atomic_load(&stopping)) {
            unsigned long n = atomic_exchange(&refused_conns, 0);
            if (n)
                fprintf(stderr,
                        "referat serve: refused %lu connection(s) over the limit of %u per "
                        "address (last from %s)\n",
                        n, per_addr, addr);
            reported = now;
        }
    }
    return NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct reqstate *rs = xcalloc(1, sizeof *rs);
    clock_gettime(CLOCK_MONOTONIC, &rs->start);
    rs->uri = xstrdup(uri);
    atomic_fetch_add(&in_flight, 1);
    struct conn *k = conn_of(conn);
    if (k) {
        if (k->rs) /* one the library dropped on this connection without a word */
            request_end(k, k->rs, false, 0);
        k->rs = rs;
    }
    return rs;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    struct reqstate *rs = *req_cls;
    if (!rs)
        return;
    conn_mark(conn, CONN_HEAD);
    const union MHD_ConnectionInfo *mi =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);
    request_end(conn_of(conn), rs, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK,
                mi ? (int)mi->http_status : 0);
    *req_cls = NULL;
}

/* ---- the request head (RFC 9112), checked before anything reads it ---- */

/* What the header walk gathers. */
struct headwalk {
    const char *next; /* where the next header line must begin in the library's buffer */
    bool bad;         /* a line that RFC 9112 says to refuse */
    unsigned host, clen, tenc;
    const char *host_value;
    const char *xff; /* the last X-Forwarded-For */
};

static bool tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* libmicrohttpd 0.9.75 parses the head in place: each line's CR LF becomes two NULs and the
 * colon one NUL, and the header records point into that buffer in order. It also takes what
 * RFC 9112 refuses: a bare LF ending a line, obs-fold (a line starting with a space, joined
 * to the previous value elsewhere in memory), a NUL inside a value. Each of these breaks the
 * layout, so the walk checks that every name starts where the previous line's CR LF ended
 * and every value where its colon and spaces end. */
static enum MHD_Result walk_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                                   const char *value, size_t vlen)
{
    (void)kind;
    struct headwalk *w = cls;
    bool name_ok = klen > 0 && key == w->next && key[klen] == '\0';
    for (size_t i = 0; name_ok && i < klen; i++)
        name_ok = tchar((unsigned char)key[i]);
    const char *p = key + klen + 1;
    while (name_ok && p < value && (*p == ' ' || *p == '\t'))
        p++;
    if (!name_ok || p != value || value[vlen] != '\0' || value[vlen + 1] != '\0') {
        w->bad = true;
        return MHD_NO;
    }
    for (size_t i = 0; i < vlen; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            w->bad = true;
            return MHD_NO;
        }
    }
    w->next = value + vlen + 2;
    if (strcasecmp(key, "Host") == 0) {
        w->host++;
        w->host_value = value;
    } else if (strcasecmp(key, "Content-Length") == 0) {
        w->clen++;
    } else if (strcasecmp(key, "Transfer-Encoding") == 0) {
        w->tenc++;
    } else if (strcasecmp(key, "X-Forwarded-For") == 0) {
        w->xff = value;
    }
    return MHD_YES;
}

/* The client a trusted proxy appended last to X-Forwarded-For, into rs->client. */
static void forwarded_client(const char *xff, struct reqstate *rs)
{
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t n = strcspn(last, " \t");
    unsigned char bin[sizeof(struct in6_addr)];
    char a[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof a)
        return;
    memcpy(a, last, n);
    a[n] = '\0';
    if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
        snprintf(rs->client, sizeof rs->client, "%s", a);
}

/* 0 when the head may be answered, else the status to refuse it with (400, 414, 431) and a
 * hint. url, method and version are the access handler's: they point into the library's
 * buffer, where the request line lies as "METHOD\0TARGET\0VERSION\0\0". */
static int head_check(struct MHD_Connection *conn, const char *url, const char *method,
                      const char *version, struct reqstate *rs, const char **hint)
{
    const union MHD_ConnectionInfo *hi =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    size_t ulen = strlen(rs->uri), vlen = strlen(version);
    *hint = "Forespørgslen overholder ikke HTTP/1.1 (RFC 9112).";
    if (hi && hi->header_size > WEB_MAX_HEAD)
        return 431;
    if (ulen > WEB_MAX_TARGET) {
        *hint = NULL;
        return 414;
    }
    /* One space on each side of the target, and no NUL, space or control inside it (the
     * copy in rs stops at a NUL, the library's length does not). */
    uintptr_t m = (uintptr_t)method, u = (uintptr_t)url, v = (uintptr_t)version;
    if (u != m + strlen(method) + 1 || v != u + ulen + 1)
        return 400;
    for (const unsigned char *p = (const unsigned char *)rs->uri; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return 400;
    struct headwalk w = {.next = version + vlen + 2};
    if (version[vlen + 1] != '\0')
        return 400; /* the request line ended in a bare LF */
    MHD_get_connection_values_n(conn, MHD_HEADER_KIND, walk_header, &w);
    /* The empty line that ends the head is CR LF too. */
    if (w.bad || !hi || (uintptr_t)method + hi->header_size != (uintptr_t)w.next + 2 ||
        w.next[0] != '\0' || w.next[1] != '\0')
        return 400;
    /* RFC 9112 3.2: exactly one valid Host in HTTP/1.1, at most one before. */
    bool http10 = strcmp(version, "HTTP/1.0") == 0;
    size_t hl = w.host ? strlen(w.host_value) : 0;
    while (hl > 0 && (w.host_value[hl - 1] == ' ' || w.host_value[hl - 1] == '\t'))
        hl--; /* trailing whitespace is not part of a field value */
    if (w.host > 1 || (w.host == 0 && !http10) || (w.host && !web_authority_ok(w.host_value, hl))) {
        *hint = "Forespørgslen skal have præcis én gyldig Host-header.";
        return 400;
    }
    /* RFC 9112 6.3: two lengths, or a length beside a transfer coding, leave the end of the
     * message in doubt (request smuggling). */
    if (w.clen > 1 || w.tenc > 1 || (w.clen && w.tenc)) {
        *hint = "Forespørgslen har mere end én angivelse af sin længde.";
        return 400;
    }
    struct conn *k = conn_of(conn);
    if (k && k->trusted && w.xff)
        forwarded_client(w.xff, rs);
    return 0;
}

/* ---- answering ---- */

/* How an answer is sent: kept in the page cache under key for epoch ep (key NULL: not
 * kept); public when it was rendered for an anonymous reader; the client's If-None-Match. */
struct reply {
    const char *key;
    unsigned long long ep;
    bool public;
    const char *inm;
};

/* Cache-Control and ETag, decided here alone. A public answer may be kept by browsers and
 * proxies but must be revalidated before every use (no-cache): a case that turns closed is
 * gone at the next look, and revalidating costs a 304 from the page cache. A strong ETag (a
 * hash of the body) makes that check exact. An answer rendered for a logged-in reader is
 * private and never stored anywhere (private, no-store). A handler may set its own policy for
 * public answers (the stylesheet keeps an hour). */
static void add_cache_headers(struct MHD_Response *r, const struct web_response *res, bool public,
                              const char *etag)
{
    if (!public) {
        MHD_add_response_header(r, "Cache-Control", "private, no-store");
        return;
    }
    bool own = false;
    for (size_t i = 0; i < res->nheaders; i++)
        own |= strcmp(res->headers[i].name, "Cache-Control") == 0;
    if (!own)
        MHD_add_response_header(r, "Cache-Control", "no-cache");
    if (etag)
        MHD_add_response_header(r, "ETag", etag);
}

/* Every response carries the common headers; a handler may set its own CSP. */
static void add_common_headers(struct MHD_Response *r, const struct web_response *res)
{
    bool own_csp = false;
    for (size_t i = 0; i < res->nheaders; i++)
        own_csp |= strcmp(res->headers[i].name, "Content-Security-Policy") == 0;
    for (size_t i = 0; i < sizeof common_headers / sizeof common_headers[0]; i++)
        if (i > 0 || !own_csp)
            MHD_add_response_header(r, common_headers[i].name, common_headers[i].value);
}

/* Queues res as how says (NULL: public, not kept, unconditional). A public 200 gets an ETag,
 * and a 304 instead when the client already has it. */
static enum MHD_Result send_response(struct MHD_Connection *conn, struct reqstate *rs,
                                     struct web_response *res, const struct reply *how)
{
    static const struct reply plain = {.public = true};
    if (!how)
        how = &plain;
    size_t len = res->body.len;
    char etag[ETAG_LEN + 1];
    bool tagged = how->public && res->status == 200;
    if (tagged)
        etag_of(res->body.ptr ? res->body.ptr : "", len, etag);
    char *body = buf_detach(&res->body);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    add_common_headers(r, res);
    add_cache_headers(r, res, how->public, tagged ? etag : NULL);
    MHD_add_response_header(r, "Content-Type", res->type ? res->type : "text/plain");
    for (size_t i = 0; i < res->nheaders; i++)
        if (how->public || strcmp(res->headers[i].name, "Cache-Control") != 0)
            MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
    unsigned status = (unsigned)res->status;
    if (tagged && etag_matches(how->inm, etag))
        status = MHD_HTTP_NOT_MODIFIED;
    if (rs) {
        rs->status = (int)status;
        rs->bytes = status == MHD_HTTP_NOT_MODIFIED ? 0 : len;
        rs->answered = true;
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    if (how->key && how->ep && how->public && res->status == 200 && !res->nocache)
        cache_put(how->key, how->ep, r, 200, len, etag); /* takes our reference */
    else
        MHD_destroy_response(r);
    return ret;
}

/* Feeds need absolute URLs; a Host header that could break out of one is ignored. */
static const char *plausible_host(const char *h)
{
    return h && web_authority_ok(h, strlen(h)) ? h : NULL;
}

/* Answers now, before any body is read, and closes the connection (the body is unread). */
static enum MHD_Result refuse(struct MHD_Connection *conn, struct reqstate *rs,
                              struct web_response *res, int status, const char *hint)
{
    web_error_page(res, status, hint);
    web_header_add(res, "Connection", "close");
    return send_response(conn, rs, res, NULL);
}

/* The first call for a POST or PUT brings its head: refuse what cannot be a body of ours
 * before reading it, else set up the post processor (a form) or the raw body (the write
 * API's JSON and files). */
static enum MHD_Result post_head(struct MHD_Connection *conn, struct reqstate *rs,
                                 struct web_response *res, const char *method)
{
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    char allow[64];
    web_methods_for(rs->uri, allow);
    if (!strstr(allow, method)) {
        /* Nothing here takes a form: say so before reading a byte of it. */
        if (*allow)
            web_header_add(res, "Allow", allow);
        return refuse(conn, rs, res, *allow ? 405 : 404, NULL);
    }
    if (config->read_only)
        return refuse(conn, rs, res, 503, "Denne portal er skrivebeskyttet: her kan man kun "
                                          "læse.");
    int kind = web_route_body(method, rs->uri);
    rs->rawbody = kind != WEB_BODY_FORM;
    rs->raw_limit = kind == WEB_BODY_FILE ? token_file_limit(conn) : config->max_form;
    if (!rs->rawbody && !form_type_ok(type))
        return refuse(conn, rs, res, 415, "Formularen skal sendes som "
                                          "application/x-www-form-urlencoded eller "
                                          "multipart/form-data.");
    rs->upload_limit = upload_limit(conn, type); /* editor (issue 8) */
    if (clen) {
        char *end;
        unsigned long long n = strtoull(clen, &end, 10);
        if (*end || *clen == '-' || n > (rs->rawbody ? rs->raw_limit : form_budget(rs)))
            return refuse(conn, rs, res, 413, NULL);
    }
    if (rs->rawbody)
        return MHD_YES;
    rs->form = xcalloc(1, sizeof *rs->form);
    rs->pp = MHD_create_post_processor(conn, 16 * 1024, on_field, rs);
    if (!rs->pp)
        return refuse(conn, rs, res, 415, "Formularens indhold kunne ikke læses.");
    return MHD_YES;
}

/* Who the client is and whether it used TLS: behind a trusted proxy (--trusted-proxy, or the
 * archive's proxy.trusted) the last address it appended to X-Forwarded-For, and what
 * X-Forwarded-Proto says; otherwise the peer, and TLS exactly when the public base URL is
 * https. From anyone else these headers are ignored. */
static void client_of(struct MHD_Connection *conn, struct reqstate *rs,
                      const struct web_site *site, char client[INET6_ADDRSTRLEN], bool *https)
{
    struct conn *k = conn_of(conn);
    snprintf(client, INET6_ADDRSTRLEN, "%s", k ? k->addr : "-");
    const char *base = base_url[0] ? base_url : site->base_url;
    *https = base && strncmp(base, "https://", 8) == 0;
    bool trusted = k && (k->trusted || (site->proxy && strcmp(site->proxy, k->addr) == 0));
    if (!trusted || !rs)
        return;
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!rs->client[0] && xff)
        forwarded_client(xff, rs);
    if (rs->client[0])
        snprintf(client, INET6_ADDRSTRLEN, "%s", rs->client);
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (proto)
        *https = strcasecmp(proto, "https") == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
    (void)cls;
    struct reqstate *rs = *req_cls;
    struct web_response res;
    enum MHD_Result ret;
    if (rs && rs->refused)
        return MHD_NO; /* answered on the socket already (raw_refuse) */
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

    /* The head, once, before anything reads it: what RFC 9112 refuses is refused. */
    if (rs && !rs->headed) {
        const char *hint;
        int st = head_check(conn, url, method, version, rs, &hint);
        if (st) {
            *upload_data_size = 0;
            ret = refuse(conn, rs, &res, st, hint);
            goto done;
        }
    }

    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0;
    if (!get && !post) {
        /* Answer before reading any body. */
        web_header_add(&res, "Allow", "GET, HEAD, POST, PUT");
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
        ret = post ? post_head(conn, rs, &res, method) : MHD_YES;
        goto done;
    }
    if (post && *upload_data_size && rs && rs->rawbody) {
        if (!rs->form_error && rs->raw.len + *upload_data_size > rs->raw_limit)
            rs->form_error = 413;
        if (!rs->form_error)
            buf_put(&rs->raw, upload_data, *upload_data_size);
        *upload_data_size = 0;
        web_response_fini(&res);
        return MHD_YES;
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
    if (post && rs && rs->rawbody && rs->form_error) {
        ret = refuse(conn, rs, &res, rs->form_error, NULL);
        goto done;
    }
    if (post && !(rs && rs->rawbody)) {
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
                       "UTF-8, eller styretegn som %00, eller mere end 32 argumenter.");
        ret = send_response(conn, rs, &res, NULL);
        web_request_fini(&req);
        goto done;
    }
    req.store = thread_store();
    req.host = plausible_host(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"));
    int64_t dv = req.store ? store_data_version(req.store) : -1;
    req.site = web_site_load(req.store, dv, base_url[0] ? base_url : NULL);
    req.read_only = config->read_only;
    char base[300], client[INET6_ADDRSTRLEN];
    request_base(conn_of(conn), req.site, req.authority ? req.authority : req.host, base,
                 sizeof base);
    req.base = base;
    client_of(conn, rs, req.site, client, &req.https);
    req.client = client;
    req.origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    req.referer = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Referer");
    req.cookie_login =
        MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, web_cookie_login(req.https));
    const char *sid =
        MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, web_cookie_session(req.https));
    const char *authz = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    req.session_id = sid;
    bool api = req.nseg > 0 && strcmp(req.seg[0], "api") == 0;
    /* The write API answers API tokens only: a browser's cookies never reach it. */
    bool v1 = api && req.nseg > 1 && strcmp(req.seg[1], "v1") == 0;
    struct web_auth auth;
    web_auth_resolve(&auth, req.store, req.site, v1 ? NULL : sid, api ? authz : NULL, api);
    if (auth.ok) {
        req.reader = &auth.rd.reader;
        req.session = &auth.session;
    }
    req.form = post && rs ? rs->form : NULL;
    if (post && rs && rs->rawbody) {
        req.body = rs->raw.len ? rs->raw.ptr : NULL;
        req.body_len = rs->raw.len;
        req.body_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    }
    web_route(&req); /* drops the arguments the route does not read */
    /* What the public sees: only a GET from someone who is nobody (no session, no token, no
     * stale cookie to clear) may be cached, here or by browsers and proxies; anything
     * rendered for a person is private and stored nowhere. */
    bool anonymous = !auth.ok && !auth.stale && !auth.bad_token && !sid && !authz;
    struct reply how = {
        .public = anonymous,
        .inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match"),
    };
    how.ep = rs && anonymous && get ? cache_epoch(dv) : 0;
    struct buf key = BUF_INIT;
    if (how.ep) {
        buf_printf(&key, "%s ", base);
        web_request_key(&key, &req);
        how.key = buf_cstr(&key);
        if (cache_hit(conn, how.key, how.ep, how.inm, rs, &ret)) {
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
    } else {
        web_dispatch(&req, &res);
    }
    if (auth.stale)
        web_cookie_set(&res, &req, web_cookie_session(req.https), NULL);
    if (res.staff)
        how.public = false;
    ret = send_response(conn, rs, &res, &how);
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

/* public_base_url into base_url: http(s)://AUTHORITY with at most a trailing "/". */
static int parse_base_url(const char *s)
{
    base_url[0] = '\0';
    if (!s)
        return 0;
    bool tls = strncasecmp(s, "https://", 8) == 0;
    if (!tls && strncasecmp(s, "http://", 7) != 0)
        return -1;
    const char *auth = s + (tls ? 8 : 7);
    size_t al = strcspn(auth, "/");
    if (!web_authority_ok(auth, al) || (auth[al] && strcmp(auth + al, "/") != 0))
        return -1;
    snprintf(base_url, sizeof base_url, "%s%.*s", tls ? "https://" : "http://", (int)al, auth);
    return 0;
}

int web_serve(const struct web_config *cfg)
{
    struct sockaddr_storage ss;
    socklen_t sslen;
    if (parse_listen(cfg->listen, &ss, &sslen) != 0) {
        fprintf(stderr, "referat serve: --listen: expected HOST:PORT, e.g. 127.0.0.1:8080\n");
        return ERR_USAGE;
    }
    if (parse_base_url(cfg->public_base_url) != 0) {
        fprintf(stderr, "referat serve: --base-url: expected http(s)://HOST[:PORT], e.g. "
                        "https://referater.lindholm.dk\n");
        return ERR_USAGE;
    }
    if (parse_proxies(cfg->trusted_proxies) != 0) {
        fprintf(stderr, "referat serve: --trusted-proxy: expected IP addresses separated by "
                        "commas, e.g. 127.0.0.1,::1\n");
        return ERR_USAGE;
    }
    pthread_once(&library_once, find_library_queue);
    if (!library_queue || sodium_init() < 0) {
        fprintf(stderr, "referat serve: libmicrohttpd or libsodium could not be initialised\n");
        return ERR_IO;
    }
    config = cfg;
    unsigned max_conns = cfg->max_conns ? cfg->max_conns : 1024u;
    per_addr = cfg->max_conns_per_addr;
    if (!per_addr)
        per_addr = max_conns / 16 < 8 ? 8 : max_conns / 16;
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
    /* One option and its value per line. The library's strict mode is not used: what it
     * refuses it refuses without the common headers, or without any answer (head_check
     * refuses the same and more, with the Danish page). */
    // clang-format off
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, on_accept, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, max_conns,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout ? cfg->timeout : 15u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, POOL_BYTES,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, NULL,
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
