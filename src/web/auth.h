/* auth: who a request comes from (session cookie or API token), the cookies that carry it,
 * and the checks every state-changing request passes (CSRF token, Origin). Used by server.c
 * (which reads the headers) and routes.c (which applies the route's rule). */
#ifndef REFERAT_WEB_AUTH_H
#define REFERAT_WEB_AUTH_H

#include <stdbool.h>

#include "../store/store.h"
#include "web.h"

/* The person behind a request, once resolved: owns what req->reader and req->session
 * point to. */
struct web_auth {
    struct store_reader rd;
    struct web_session session;
    bool ok;          /* a live session or a valid token */
    bool stale;       /* a session cookie came that names no live session: clear it */
    bool bad_token;   /* an API bearer token came that is malformed, unknown or revoked */
};

/* The session cookie's name: "__Host-referat" when the site is reached over https (the
 * prefix makes browsers refuse it from a subdomain or without Secure), else "referat". The
 * pre-login cookie is the same with "-login" appended. */
const char *web_cookie_session(bool https);
const char *web_cookie_login(bool https);

/* Resolves the request's session id (the cookie's value, may be NULL) or its Authorization
 * header ("Bearer rft_..."), in that order of trust: a token is accepted only for the API
 * (api is true). Fills a; a->ok tells whether someone is logged in. Never fails the request:
 * an unknown, expired or malformed id is the public. */
void web_auth_resolve(struct web_auth *a, struct store *s, const struct web_site *site,
                      const char *session_id, const char *authorization, bool api);
void web_auth_fini(struct web_auth *a);

/* The CSRF token of a session (hex BLAKE2b keyed by the session id), and of the login form
 * (keyed by the pre-login cookie). out holds 65 bytes. */
void web_csrf_token(const char *secret, const char *purpose, char out[65]);
/* Constant-time comparison of a submitted token with the expected one. */
bool web_token_equal(const char *got, const char *want);

/* True when the request's Origin (or, without one, its Referer) is this site's origin: the
 * public base URL's when it is set, else the scheme and Host the request came with. */
bool web_origin_ok(const struct web_request *req);

/* Set-Cookie for name=value (HttpOnly, SameSite=Strict, Path=/, Secure over https), or one
 * that clears it when value is NULL. */
void web_cookie_set(struct web_response *res, const struct web_request *req, const char *name,
                    const char *value);

/* The actor a request's writes are recorded under. */
void web_actor(const struct web_request *req, struct store_actor *a);

/* The settings the pages need, read once per change of the archive (a thread's cache). */
const struct web_site *web_site_load(struct store *s, int64_t data_version,
                                     const char *base_url_override);
/* Frees this thread's cache (before the thread ends). */
void web_site_fini(void);

#endif
