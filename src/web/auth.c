/* auth: sessions and tokens to readers, cookies, CSRF tokens and the Origin check; and the
 * site settings every page frame needs (see auth.h). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

const char *web_cookie_session(bool https)
{
    return https ? "__Host-referat" : "referat";
}

const char *web_cookie_login(bool https)
{
    return https ? "__Host-referat-login" : "referat-login";
}

void web_csrf_token(const char *secret, const char *purpose, char out[65])
{
    unsigned char key[crypto_generichash_KEYBYTES], h[32];
    /* The secret (a session id) is hashed into a key of the right size first. */
    crypto_generichash(key, sizeof key, (const unsigned char *)secret, strlen(secret), NULL, 0);
    crypto_generichash(h, sizeof h, (const unsigned char *)purpose, strlen(purpose), key,
                       sizeof key);
    sodium_bin2hex(out, 65, h, sizeof h);
    sodium_memzero(key, sizeof key);
}

bool web_token_equal(const char *got, const char *want)
{
    size_t n = strlen(want);
    if (!got || strlen(got) != n)
        return false;
    return sodium_memcmp(got, want, n) == 0;
}

static bool fill(struct web_auth *a, struct store *s, int64_t account, bool token,
                 const char *secret)
{
    struct err e = {0};
    if (store_reader_load(s, account, &a->rd, &e) != 0)
        return false;
    a->session.account_id = account;
    a->session.login = a->rd.login;
    a->session.name = a->rd.name;
    a->session.admin = a->rd.reader.admin;
    a->session.token = token;
    if (secret)
        web_csrf_token(secret, "csrf", a->session.csrf);
    a->ok = true;
    return true;
}

void web_auth_resolve(struct web_auth *a, struct store *s, const struct web_site *site,
                      const char *session_id, const char *authorization, bool api)
{
    memset(a, 0, sizeof *a);
    if (!s)
        return;
    struct err e = {0};
    int64_t account = 0;
    if (session_id && *session_id) {
        if (store_session_get(s, session_id, site->idle_seconds, site->max_seconds, &account,
                              &e) == 0 &&
            fill(a, s, account, false, session_id))
            return;
        a->stale = true;
    }
    static const char bearer[] = "Bearer ";
    if (api && authorization && strncmp(authorization, bearer, sizeof bearer - 1) == 0) {
        if (store_token_check(s, authorization + sizeof bearer - 1, &account, &e) != 0 ||
            !fill(a, s, account, true, NULL))
            a->bad_token = true;
    }
}

void web_auth_fini(struct web_auth *a)
{
    store_reader_fini(&a->rd);
    sodium_memzero(a->session.csrf, sizeof a->session.csrf);
    memset(a, 0, sizeof *a);
}

bool web_origin_of(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    if (!p)
        return false;
    size_t len = strcspn(p + 3, "/?#");
    if (!len || (size_t)(p + 3 - url) + len >= n)
        return false;
    memcpy(out, url, (size_t)(p + 3 - url) + len);
    out[(size_t)(p + 3 - url) + len] = '\0';
    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return true;
}

bool web_origin_ok(const struct web_request *req)
{
    char want[300], got[300];
    if (req->site->base_url) {
        if (!web_origin_of(req->site->base_url, want, sizeof want))
            return false;
    } else {
        if (!req->host || strlen(req->host) > 255)
            return false;
        snprintf(want, sizeof want, "%s://%s", req->https ? "https" : "http", req->host);
        for (char *c = want; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
    }
    /* Browsers send Origin on every POST; Referer is the fallback some privacy settings
     * leave. Neither: refused, since a forged request can suppress both only by accident. */
    const char *from = req->origin && strcmp(req->origin, "null") != 0 ? req->origin
                                                                          : req->referer;
    if (!from || !web_origin_of(from, got, sizeof got))
        return false;
    return strcmp(got, want) == 0;
}

void web_cookie_set(struct web_response *res, const struct web_request *req, const char *name,
                    const char *value)
{
    struct buf c = BUF_INIT;
    buf_printf(&c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", name, value ? value : "",
               req->https ? "; Secure" : "");
    if (!value)
        buf_puts(&c, "; Max-Age=0");
    web_header_add(res, "Set-Cookie", buf_cstr(&c));
    sodium_memzero(c.ptr, c.len);
    buf_free(&c);
    res->nocache = true;
}

void web_actor(const struct web_request *req, struct store_actor *a)
{
    *a = (struct store_actor){.account_id = req->session ? req->session->account_id : 0,
                              .name = req->session ? req->session->login : "-",
                              .client = req->client,
                              .reader = req->reader};
}

/* ---- site settings ---- */

struct site_cache {
    struct web_site site;
    int64_t version;
    bool loaded;
    char *owned[9];
};

static _Thread_local struct site_cache cache;

static const char *setting(struct store *s, const char *key, int slot)
{
    char *v = NULL;
    struct err e = {0};
    free(cache.owned[slot]);
    cache.owned[slot] = NULL;
    if (store_setting_get(s, key, &v, &e) == 0 && v && *v)
        cache.owned[slot] = v;
    else
        free(v);
    return cache.owned[slot];
}

static long seconds(struct store *s, const char *key, int slot, long def)
{
    const char *v = setting(s, key, slot);
    long n = v ? strtol(v, NULL, 10) : 0;
    return n >= 60 ? n : def;
}

void web_site_fini(void)
{
    for (size_t i = 0; i < sizeof cache.owned / sizeof cache.owned[0]; i++)
        free(cache.owned[i]);
    memset(&cache, 0, sizeof cache);
}

const struct web_site *web_site_load(struct store *s, int64_t data_version,
                                     const char *base_url_override)
{
    if (!s) {
        static const struct web_site none = {.idle_seconds = 7200, .max_seconds = 43200};
        return &none;
    }
    if (cache.loaded && cache.version == data_version && data_version >= 0)
        return &cache.site;
    struct web_site *w = &cache.site;
    w->name = setting(s, "municipality.name", 0);
    w->contact = setting(s, "municipality.contact", 1);
    w->email = setting(s, "municipality.email", 2);
    w->logo = setting(s, "municipality.logo", 3);
    w->accessibility = setting(s, "accessibility.url", 4);
    w->base_url = setting(s, "public.base_url", 5);
    if (base_url_override && *base_url_override) {
        free(cache.owned[5]);
        cache.owned[5] = xstrdup(base_url_override);
        w->base_url = cache.owned[5];
    }
    if (w->base_url) {
        size_t n = strlen(w->base_url);
        while (n > 0 && cache.owned[5][n - 1] == '/')
            cache.owned[5][--n] = '\0';
    }
    w->proxy = setting(s, "proxy.trusted", 8);
    w->idle_seconds = seconds(s, "session.idle_seconds", 6, 7200);
    w->max_seconds = seconds(s, "session.max_seconds", 7, 43200);
    cache.version = data_version;
    cache.loaded = true;
    return w;
}
