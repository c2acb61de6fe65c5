/* web: the public portal; what handlers see of a request and fill in a response. */
#ifndef REFERAT_WEB_H
#define REFERAT_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "../store/store.h" /* enum store_status (web_status_arg) */
#include "../util/buf.h"

struct store;
struct store_meeting;
struct store_page;
struct reader;
struct err;

/* How `referat serve` runs. Strings are borrowed for the life of the server. */
struct web_config {
    const char *db_path; /* the archive (opened read-only, one connection per thread) */
    const char *listen;  /* "127.0.0.1:8080"; port 0 picks a free port */
    unsigned threads;    /* worker threads; 0 = number of CPUs */
    unsigned timeout;    /* seconds a connection may sit idle or trickle bytes */
    unsigned max_conns;  /* open connections at most */
    bool access_log;     /* one line per request on stderr */
    size_t cache_bytes;  /* rendered pages kept in memory at most; 0 turns the cache off */
    bool read_only;      /* a public mirror: the archive opened read-only, no logins */
    size_t max_form;     /* bytes of a POST body at most (urlencoded or multipart) */
    /* "https://referater.example.dk": the scheme and authority of every absolute URL (feeds).
     * NULL: the Host header when it names the address the client reached, else that address
     * (always http://). web_serve refuses anything but http(s)://HOST[:PORT][/]. */
    const char *public_base_url;
    /* Open connections from one client address at most (IPv6: one /64); 0 = max_conns / 16,
     * at least 8. Addresses in trusted_proxies are not limited. */
    unsigned max_conns_per_addr;
    /* Comma-separated IP addresses of reverse proxies (e.g. "127.0.0.1,::1"): their
     * connections are exempt from max_conns_per_addr, and the last address in their
     * X-Forwarded-For names the client in the access log. NULL: none. */
    const char *trusted_proxies;
};

/* Run the server until SIGTERM or SIGINT, then stop accepting, let requests in flight finish
 * (up to a deadline) and return 0. Prints "Lytter på http://HOST:PORT/" on stdout once it
 * accepts connections. Returns a negative ERR_* code when it cannot start. */
int web_serve(const struct web_config *cfg);

/* Limits of a request: path segments, query arguments (empty pieces between '&' included),
 * response headers a handler may add, the request target's bytes (414 beyond) and the whole
 * head's (431 beyond). */
enum {
    WEB_MAX_SEGS = 8,
    WEB_MAX_ARGS = 32,
    WEB_MAX_HEADERS = 8,
    WEB_MAX_TARGET = 8 * 1024,
    WEB_MAX_HEAD = 32 * 1024,
    WEB_MAX_FIELDS = 200 /* of a POST form */
};

struct web_arg {
    const char *key;
    const char *value;
};

/* One field of a POST form. value is NUL-terminated; a file's bytes may hold NULs, so len
 * counts them. filename and type are set for a file of a multipart form, else NULL. Text
 * fields are valid UTF-8 without control characters other than tab and newlines (the server
 * answers 400 otherwise); CRLF is kept as it came. */
struct web_field {
    char *key;
    char *value;
    size_t len;
    char *filename;
    char *type;
};

struct web_form {
    struct web_field v[WEB_MAX_FIELDS];
    size_t n;
    size_t bytes; /* received in all */
};

/* A logged-in person, as the request's session cookie (or API token) names them. */
struct web_session {
    int64_t account_id;
    const char *login;
    const char *name;
    bool admin;
    bool token;      /* authenticated by an API bearer token, not a browser session */
    char csrf[65];   /* the token every form of this session carries (hex) */
};

/* What the municipality has set (store_settings.c), as the pages need it; NULL where unset.
 * Borrowed from the server for the request. */
struct web_site {
    const char *name;          /* municipality.name */
    const char *contact;       /* municipality.contact */
    const char *email;         /* municipality.email */
    const char *logo;          /* municipality.logo */
    const char *accessibility; /* accessibility.url */
    const char *base_url;      /* public.base_url, without a trailing slash */
    const char *proxy;         /* proxy.trusted: the TLS proxy's address */
    long idle_seconds, max_seconds;
};

/* A request as handlers see it: method, decoded path split into segments, query arguments.
 * Every string is valid UTF-8 without control characters (the server answers 400 otherwise).
 * All of it is borrowed for the duration of the handler. */
struct web_request {
    const char *method; /* "GET", "HEAD" or "POST" */
    const char *path;   /* "/sag/12.json" */
    const char *seg[WEB_MAX_SEGS];
    size_t nseg;
    struct web_arg args[WEB_MAX_ARGS];
    size_t nargs;
    struct store *store; /* this thread's connection, or NULL when it failed */
    /* Who reads: NULL for the public (anonymous, or a session that is not valid); a logged-in
     * person's roles otherwise. Pages pass it to the store; the page cache serves and keeps
     * only requests with reader NULL. */
    const struct reader *reader;
    const struct web_session *session; /* NULL unless logged in */
    const struct web_site *site;       /* never NULL while a handler runs */
    const struct web_form *form;       /* a POST's fields; NULL otherwise */
    /* A token route's POST or PUT body as sent (may hold NULs; NULL when empty), and its
     * Content-Type header (NULL when absent). */
    const char *body;
    size_t body_len;
    const char *body_type;
    const char *host;    /* the Host header when it is a plausible host[:port], else NULL */
    /* "http://127.0.0.1:8080": scheme and authority for absolute URLs, chosen by the server
     * (--base-url, the archive's public.base_url, or the address reached); NULL outside the
     * server. */
    const char *base;
    /* The authority of an absolute-form target ("GET http://HOST/path"), else NULL. */
    const char *authority;
    /* Set by web_route: the route that answers (NULL: none, or a redirect). */
    const struct web_route *route;
    bool routed;
    const char *client;  /* the client's address (from a trusted proxy: the one it reports) */
    bool https;          /* the client reached us over TLS (base URL, or a trusted proxy) */
    const char *origin;  /* the Origin header, or NULL */
    const char *referer; /* the Referer header, or NULL */
    const char *cookie_login; /* the pre-login cookie (auth.c), or NULL */
    const char *session_id;   /* the session cookie's value, for logging out only */
    bool read_only;      /* the server runs on a read-only archive */
    char *mem;           /* owns the decoded strings */
};

/* The value of a POST field, or NULL (absent, or a file). */
const char *web_field(const struct web_request *req, const char *key);
/* A POST file field, or NULL. */
const struct web_field *web_file(const struct web_request *req, const char *key);

/* Split a raw request target ("/sag/12?q=a+b", or the absolute form "http://HOST/sag/12")
 * into decoded path, segments and arguments (%XX and + decoded). Returns 0, or -1 when the
 * target is malformed: not starting with '/' (or http(s)://authority), a bad escape, invalid
 * UTF-8, a control character (%00 included), an empty or ".." segment, or too many segments
 * or arguments. req->mem is set either way: call web_request_fini. */
int web_request_parse(struct web_request *req, const char *method, const char *target);
void web_request_fini(struct web_request *req);
/* True when p[0..n) is a host[:port] this server takes (letters, digits, ".-:[]"). */
bool web_authority_ok(const char *p, size_t n);

/* Routing (routes.c). web_route finds the route for req->path and keeps only the query
 * arguments that route reads, the first of each in the table's order, empty ones dropped:
 * unknown arguments (?utm_source=...) are ignored, never rendered into a page, and never
 * make a page cache entry of their own. web_dispatch runs web_route when it has not run. */
struct web_route;
void web_route(struct web_request *req);
/* The canonical form of a routed request, for the page cache: decoded path and the kept
 * arguments, each URL-encoded. Two targets with the same key render the same page. */
void web_request_key(struct buf *b, const struct web_request *req);

struct web_header {
    const char *name; /* static */
    char *value;      /* owned */
};

/* What a handler fills. type is a static string; body is sent as it is. */
struct web_response {
    int status;
    const char *type;
    struct buf body;
    struct web_header headers[WEB_MAX_HEADERS];
    size_t nheaders;
    bool nocache; /* never keep this answer in the page cache (only 200s are kept anyway) */
    bool staff;   /* rendered for a logged-in reader: Cache-Control private, no-store */
    /* integration (issue 8): the page loads /static/referat.js (set before web_page_begin):
     * the frame adds the script element and a policy of WEB_CSP_SCRIPT. */
    bool script;
    /* The request being answered, for the page frame (who is logged in, the site's name);
     * set by the dispatcher, NULL for answers made before it runs. */
    const struct web_request *req;
};

void web_response_init(struct web_response *res);
void web_response_fini(struct web_response *res);
/* Adds a header (value copied); silently ignored past WEB_MAX_HEADERS. */
void web_header_add(struct web_response *res, const char *name, const char *value);

/* The value of query argument key, or NULL. An empty value counts as absent. */
const char *web_arg(const struct web_request *req, const char *key);
/* A positive page number from argument key (default 1, capped at 100000). */
size_t web_arg_page(const struct web_request *req, const char *key);
/* True when s is a valid ISO date YYYY-MM-DD. */
bool web_is_date(const char *s);
/* Parses a decimal id (1..INT64_MAX) that makes up all of s; returns 0 when s is not one. */
int64_t web_parse_id(const char *s);
/* True when p[0..n) is valid UTF-8 with no control characters. */
bool web_text_ok(const char *p, size_t n);

/* Routing (routes.c). Every route declares who may use it and which query arguments it
 * reads; the dispatcher enforces the first before the handler runs, and checks the CSRF
 * token and Origin of every POST. */
typedef void web_handler(const struct web_request *req, struct web_response *res);
enum web_access {
    WEB_PUBLIC, /* anyone; a logged-in reader sees more of it by their roles */
    WEB_LOGIN,  /* the login form: anyone; a POST carries the pre-login CSRF token */
    WEB_STAFF,  /* any logged-in person */
    WEB_ADMIN,  /* administrators */
    WEB_BODY,   /* a role in `roles` on a body of the object the path names (`scope`) */
    /* ---- issue 10, notices ---- */
    WEB_PUBLIC_FORM, /* a public form: anyone, no session; a POST's Origin is checked */
    WEB_ONE_CLICK,   /* RFC 8058's one-click POST from a mail program: anyone, no Origin;
                        the token in the path is the key */
    /* ---- end issue 10, notices ---- */
};
/* WEB_SCOPE_BODY (issue 8): the segment is a body's code, and an administrator holds
 * ROLE_ADMIN on every body (a body's settings). */
enum web_scope {
    WEB_SCOPE_NONE,
    WEB_SCOPE_CASE,
    WEB_SCOPE_MEETING,
    WEB_SCOPE_BODY,
    WEB_SCOPE_FOLLOWUP, /* issue 10, followups: the roles on the bodies of its case */
};
struct web_route {
    const char *method;  /* "GET" (which answers HEAD too), "POST" or "PUT" */
    const char *pattern; /* segments are literals or "*" (one non-empty segment) */
    web_handler *handler;
    const char *args;    /* the query arguments the handler reads, space-separated */
    enum web_access access;
    int roles;            /* WEB_BODY: enum role bits, any of which will do */
    enum web_scope scope; /* WEB_BODY: what the id in segment `id_seg` names */
    int id_seg;
};
/* Whether r is the write API's (its pattern is under /api/v1): only an API token
 * authenticates it (a browser's cookies never do, so it needs no CSRF token), and a POST or
 * PUT brings its body as it is (JSON, or a file) in web_request.body instead of a form. */
bool web_route_token(const struct web_route *r);
/* Which methods a raw request target takes: "GET, HEAD", "POST", "PUT" as an Allow header
 * lists them, into allow (64 bytes); empty when no route has the path (or the target is
 * malformed). */
void web_methods_for(const char *target, char allow[64]);
/* How the route for method and target takes its body: a form (the post processor), or as
 * it is (a token route): JSON, or a file (a bilag: up to the site's bilag limit). */
enum { WEB_BODY_FORM, WEB_BODY_JSON, WEB_BODY_FILE };
int web_route_body(const char *method, const char *target);
/* The table, for `referat serve --routes` and the permission matrix test. */
const struct web_route *web_routes(size_t *n);
/* Find the route for req (web_route, unless it has run) and run it, or answer
 * 404/405/401/403. */
void web_dispatch(struct web_request *req, struct web_response *res);

/* The page frame (layout.c). title is plain text; q is the search box's current text or NULL.
 * nav marks the current section in the navigation ("forside", "soeg", "opfoelgning",
 * "arbejde"). The header says who is logged in (res->req) and offers logging in or out; the
 * footer carries the municipality's contact and its accessibility statement. */
/* integration (issue 8): the policy of a page with our own script (/static/referat.js): the
 * server's default plus script-src 'self', so no inline script and no other origin's. */
#define WEB_CSP_SCRIPT                                                                         \
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "               \
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
/* GET /static/referat.js: the editor's small script (static/referat.js, embedded). */
void web_static_js(const struct web_request *req, struct web_response *res);
void web_page_begin(struct web_response *res, const char *title, const char *q, const char *nav);
void web_page_end(struct web_response *res);
/* The staff area's frame: web_page_begin plus its own navigation, with `here` marked
 * ("oversigt", "moeder", "kladder", "godkendelser", "opfoelgninger", "historik",
 * "adgangskode", "indstillinger", "brugere"). */
void web_work_begin(struct web_response *res, const char *title, const char *here);
/* The origin ("https://host:port", lower case) that starts url, into out (n bytes); false
 * when url has none. */
bool web_origin_of(const char *url, char *out, size_t n);
/* A hidden field with the session's CSRF token (every form of a logged-in page). */
void web_csrf_field(struct buf *b, const struct web_request *req);
/* A complete error page in Danish with status (400, 401, 403, 404, 405, 409, 413, 414, 415,
 * 429, 431, 500, 503) and a helpful hint (plain text, may be NULL). */
void web_error_page(struct web_response *res, int status, const char *hint);
/* The page (or, when json, the API error) for a failed store call: 404 for ERR_NOTFOUND,
 * 403 for ERR_CLOSED, 503 for ERR_DB, 500 otherwise; what is the 404 hint. The store's
 * message e (may be NULL) is not shown to the public (it may name files); it goes to the
 * log for 5xx. */
void web_fail(struct web_response *res, int rc, bool json, const char *what, const struct err *e);
/* The request's path again, each segment percent-encoded (safe in any URL context). */
void web_path(struct buf *b, const struct web_request *req);
/* The absolute URL of path on this server (req->base + path), for feeds. */
void web_abs_url(struct buf *b, const struct web_request *req, const char *path);
/* A 301/302 to location (a path on this site). */
void web_redirect(struct web_response *res, int status, const char *location);
/* The stylesheet at /static/referat.css. */
void web_static_css(const struct web_request *req, struct web_response *res);
void web_robots(const struct web_request *req, struct web_response *res);

/* Output: escaping comes from format/html.h (html_text, html_attr, html_paragraphs, ...);
 * these add what only the portal needs. NULL writes nothing. */
void web_url(struct buf *b, const char *s); /* one path segment or query component */
/* "20. december 2023" from an ISO date, inside <time datetime>; escaped text as it is when it
 * is not an ISO date. */
void web_date_long(struct buf *b, const char *iso);
/* A link to a body's page: <a href="/organ/CODE">text</a>. */
void web_body_link(struct buf *b, const char *code, const char *text);

/* A case in a list: linked title, and a "Lukket sag" tag when it is closed. */
void web_case_link(struct buf *b, int64_t id, const char *title, bool public);
/* What tells the cases of a list apart beside their titles (many are "Punkter til
 * behandling"): the first sub-items' titles, and with `where` the body and the date. Starts
 * with " · " unless it writes nothing. */
struct store_case_ref;
struct store_followup;
void web_case_context(struct buf *b, const struct store_case_ref *r, bool where);
/* A follow-up's case: linked, with the decision entry (sub-item), the body and the date. */
void web_followup_case(struct buf *b, const struct store_followup *fu);
/* The id of the meeting of body (code or name) on date that req's reader may see, or 0. */
int64_t web_meeting_find(const struct web_request *req, const char *body, const char *date);
/* The id of the person called name, or 0. */
int64_t web_person_find(struct store *s, const char *name);
/* Paging links for a list of total rows shown per_page at a time, now at page: this
 * request's URL with argument key set to the previous and next page. Nothing when it all
 * fits on one page. */
void web_pager(struct buf *b, const struct web_request *req, const char *key, size_t page,
               size_t per_page, size_t total);
/* The window of a list for page (1-based) of per_page rows. */
struct store_page web_store_page(size_t page, size_t per_page);
/* Today's date (local time) as ISO. */
void web_today(char iso[11]);

/* JSON responses: sets type and serialises (takes the reference of) root. A NULL root (a
 * json_pack that failed, e.g. on text that is not UTF-8) answers 500 with a JSON error and
 * logs it, never an empty 200. */
void web_json(struct web_response *res, int status, json_t *root);
void web_json_error(struct web_response *res, int status, const char *message);
/* API paging (api.c): reads page (default 1) and per_page (default 20, at most 100); returns
 * false and answers 400 when either is not a positive number. */
bool web_api_paging(const struct web_request *req, struct web_response *res, size_t *page,
                    size_t *per_page);
/* {"items": items, "page", "per_page", "total", "pages", "prev", "next"}; prev and next are
 * this request's URL with another page, or null. Takes the reference of items. */
/* The write API (api.c). The request's body as a JSON object (Content-Type application/json),
 * or NULL after answering 415 or 400 with the position of what could not be read. */
json_t *web_api_body(const struct web_request *req, struct web_response *res);
/* A refused write as JSON: ERR_SYNTAX/ERR_USAGE/ERR_LIMIT 400 (422 is not worth a second
 * spelling), ERR_DENIED 403, ERR_NOTFOUND 404, ERR_CONFLICT 409, ERR_CLOSED 403, ERR_DB 503,
 * with the store's message (which never quotes closed text) as "detail" and field as "field"
 * when given. */
void web_api_refuse(struct web_response *res, int rc, const char *field, const struct err *e);
/* A field error: 400 {"error": {"status", "message", "field"}}. */
void web_api_field_error(struct web_response *res, const char *field, const char *message);
json_t *web_api_list(const struct web_request *req, json_t *items, size_t page, size_t per_page,
                     size_t total);
/* A string or null (s NULL). Bytes that are not UTF-8 become U+FFFD each, as the JSON writer
 * writes them, so one damaged field in an archive does not lose the answer. */
json_t *web_json_str(const char *s);

/* Handlers. Pages are page_<name>.c, API resources api_<name>.c, feeds feed_<kind>.c; the
 * staff area's pages are page_work_<name>.c. */
web_handler page_front, page_body, page_meeting, page_case, page_search, page_followups,
    page_person, page_attachment;
web_handler page_login, page_login_post, page_logout;
web_handler page_work, page_work_meetings, page_work_drafts, page_work_approvals,
    page_work_followups, page_work_history, page_work_case_history, page_work_meeting_history,
    page_work_settings, page_work_settings_post, page_work_users, page_work_password,
    page_work_password_post, page_work_caveats, page_work_case_caveats,
    page_work_case_caveats_post;
/* The agenda (issue 8): a body's settings, meetings, the agenda, release, proforma. */
web_handler page_work_body_settings, page_work_body_settings_post, page_work_meeting_new,
    page_work_meeting_new_post, page_work_meeting, page_work_meeting_edit,
    page_work_meeting_edit_post, page_work_meeting_action_post, page_work_meeting_move_post,
    page_work_meeting_postpone_post, page_work_meeting_proforma;
/* The body library (issue 8, library): page_library.c. */
web_handler page_work_libraries, page_work_library, page_work_library_new,
    page_work_library_new_post, page_work_library_item, page_work_library_item_post,
    page_work_library_delete, page_work_library_delete_post, page_work_library_move_post;
web_handler api_index, api_bodies, api_meetings, api_cases, api_followups, api_search;
web_handler api_v1_meetings_post, api_v1_meeting, api_v1_meeting_cases_post,
    api_v1_meeting_action, api_v1_case, api_v1_case_put, api_v1_case_action,
    api_v1_case_attachment_put;
/* ---- issue 9, api: the minutes as JSON (api_minutes.c), a tillæg (api_v1_cases.c) ---- */
web_handler api_v1_meeting_minutes, api_meeting_minutes, api_v1_case_additions_post;
/* ---- end issue 9, api ---- */
web_handler feed_atom, feed_ical;
/* editor (issue 8): the case editor, its merge page, the staff case page and its steps, bilag. */
web_handler page_work_case_new, page_work_case_new_post, page_work_case_edit,
    page_work_case_edit_post, page_work_case_merge_post, page_work_case,
    page_work_case_action_post, page_work_bilag, page_work_bilag_post,
    page_work_bilag_remove_post, page_work_review_send_post, page_work_review,
    page_work_review_comment_post, page_work_reviews;
/* ---- invitations (issue 8): page_invitations.c ---- */
web_handler page_work_meeting_invitations, page_work_invitation_retry, page_work_invitation_ics,
    page_guest;
/* ---- issue 9, publication: page_publication.c ---- */
web_handler page_work_case_publication, page_work_case_publication_post,
    page_work_meeting_publication, page_work_meeting_publication_post;

/* ---- issue 9, minutes: the minutes' page and its forms (page_minutes.c) ---- */
web_handler page_work_minutes, page_work_minutes_approve_post, page_work_minutes_object_post,
    page_work_minutes_answer_post, page_work_minutes_action_post,
    page_work_minutes_addition_post;
struct case_doc;
/* A case's tillæg as the portal's case page shows them: dated, each with its reason. */
void web_minutes_additions(struct buf *b, const struct case_doc *c);
/* ---- end issue 9, minutes ---- */
/* ---- issue 9, decisions: the decision page, its suggestions for the script, the script ---- */
web_handler page_work_decision, page_work_decision_post, page_work_decision_suggest,
    web_static_decision_js;

/* ---- issue 9, live: page_live.c (the live meeting view, its JSON, Næste punkt, the
 * attendance) and its static files /static/live.js, /static/live.css ---- */
web_handler page_work_live, page_work_live_json, page_work_live_post, page_work_attendance,
    page_work_attendance_post, web_static_live_js, web_static_live_css;
/* The minutes' actual times (subitem actual_start/actual_end) as the body's setting
 * minutes.actual_times says: removed from c unless it is 1 (body_code may be NULL: removed).
 * actual_cell writes " faktisk 10.32–10.41" for a sub-item that has them. */
struct case_doc;
struct subitem;
void web_live_actual_times(const struct web_request *req, const char *body_code,
                           struct case_doc *c);
void web_live_actual_cell(struct buf *b, const struct subitem *si);
/* ---- end issue 9, live ---- */
/* ---- issue 11, paging (lookup.c) ---- */
/* A page number argument of a public list (?side=N): absent is 1; anything but a whole
 * number from 1 to WEB_PAGE_MAX answers 400 with a page saying so (false: res is set). */
enum { WEB_PAGE_MAX = 100000 };
bool web_page_arg(const struct web_request *req, struct web_response *res, const char *key,
                  size_t *page);
/* A follow-up list's ?status=aabne|afsluttede|alle (absent: aabne); anything else answers
 * 400 with a page saying so (false: res is set). */
bool web_status_arg(const struct web_request *req, struct web_response *res,
                    enum store_status *st);
/* The argument's value for st ("aabne", "afsluttede", "alle"). */
const char *web_status_name(enum store_status st);
/* "1.234 opfølgninger", or "over 10.000 opfølgninger" for a capped total (store.h); without
 * the words when one or many is NULL. */
void web_total(struct buf *b, size_t total, const char *one, const char *many);

/* ---- issue 10, pdf: page_pdf.c: /moede/ID.pdf (?dokument=dagsorden|referat) and
 * /sag/ID.pdf ---- */
web_handler page_meeting_pdf, page_case_pdf;
/* ---- issue 10, sdg (page_sdg.c): a body's yearly verdensmål report ---- */
void page_sdg_report(const struct web_request *req, struct web_response *res);
/* " · Verdensmål YYYY" linking the body's report of year (0: this year), for its pages. */
void web_sdg_link(struct buf *b, const char *code, int year);
/* ---- end issue 10, sdg ---- */
/* ---- issue 10, the agenda's standing item (agenda_followups.c): the open follow-ups of the
 * body's decisions on a coming meeting's page (portal: as the public may see them) ---- */
struct store_meeting;
void web_agenda_followups(struct buf *b, const struct web_request *req,
                          const struct store_meeting *mt, bool portal);
/* The standing item's follow-ups (at most 50, *total all of them) as r may read them; false
 * when the meeting has no standing item (held, cancelled, imported) or the read failed. The
 * list is the caller's (store_followups_free). */
struct store_followup;
bool web_agenda_followups_load(const struct web_request *req, const struct store_meeting *mt,
                               bool portal, const struct reader *r, struct store_followup **v,
                               size_t *n, size_t *total);
/* ---- end issue 10, the agenda's standing item ---- */
/* ---- issue 10, remind: a body's control list of follow-ups, HTML, .csv, .json ---- */
web_handler page_work_control;
/* ---- end issue 10, remind ---- */

/* ---- issue 10, notices: page_notice.c (the subscription form and the mails' links) ---- */
web_handler page_notice_subscribe, page_notice_subscribe_post, page_notice_confirm, page_notice_confirm_post,
    page_notice_unsubscribe, page_notice_unsubscribe_post;
struct web_errors;
/* The subscription form of a body's page (nothing on a read-only mirror); email and topic
 * what was typed (NULL: empty, "begge"), er the errors at the fields (may be NULL). */
void web_notice_form(struct buf *b, const struct web_request *req, const char *body_code,
                     const char *email, const char *topic, struct web_errors *er);
/* ---- end issue 10, notices ---- */

/* ---- issue 10, followups (page_followup.c): one follow-up, its steps, notes and edits;
 * the units and owner links; the follow-ups handed to a meeting, for its staff page ---- */
void page_work_followup(const struct web_request *req, struct web_response *res);
void page_work_followup_step_post(const struct web_request *req, struct web_response *res);
void page_work_followup_note_post(const struct web_request *req, struct web_response *res);
void page_work_followup_edit_post(const struct web_request *req, struct web_response *res);
void page_work_units(const struct web_request *req, struct web_response *res);
void page_work_units_post(const struct web_request *req, struct web_response *res);
void web_followups_forwarded(const struct web_request *req, struct buf *b, int64_t meeting_id);
/* ---- end issue 10, followups ---- */

#endif
