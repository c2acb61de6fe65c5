/* api: what the JSON API resources share: paging parameters, the list envelope, and for the
 * write API (/api/v1) the request body and refusals. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../store/store.h" /* issue 11, paging: STORE_LIST_DEPTH */
#include "../util/err.h"
#include "web.h"

static bool positive(const char *s, size_t max, size_t *out)
{
    int64_t v = web_parse_id(s);
    if (v < 1 || (size_t)v > max)
        return false;
    *out = (size_t)v;
    return true;
}

bool web_api_paging(const struct web_request *req, struct web_response *res, size_t *page,
                    size_t *per_page)
{
    const char *p = web_arg(req, "page"), *pp = web_arg(req, "per_page");
    *page = 1;
    *per_page = 20;
    if (p && !positive(p, 100000, page)) {
        web_json_error(res, 400, "page skal være et positivt heltal.");
        return false;
    }
    if (pp && !positive(pp, 100, per_page)) {
        web_json_error(res, 400, "per_page skal være et heltal fra 1 til 100.");
        return false;
    }
    return true;
}

/* This request's path and arguments with page set to page. */
static json_t *page_url(const struct web_request *req, size_t page)
{
    struct buf b = BUF_INIT;
    web_path(&b, req);
    char sep = '?';
    for (size_t i = 0; i < req->nargs; i++) {
        if (strcmp(req->args[i].key, "page") == 0 || !req->args[i].value[0])
            continue;
        buf_putc(&b, sep);
        web_url(&b, req->args[i].key);
        buf_putc(&b, '=');
        web_url(&b, req->args[i].value);
        sep = '&';
    }
    buf_printf(&b, "%cpage=%zu", sep, page);
    json_t *s = json_string(buf_cstr(&b));
    buf_free(&b);
    return s;
}

json_t *web_api_list(const struct web_request *req, json_t *items, size_t page, size_t per_page,
                     size_t total)
{
    /* ---- issue 11, paging: only the first STORE_LIST_DEPTH rows are listed (store.h); a
     * total above it means more ---- */
    size_t pages = ((total > STORE_LIST_DEPTH ? STORE_LIST_DEPTH : total) + per_page - 1) /
                   per_page;
    return json_pack("{s:o,s:I,s:I,s:I,s:I,s:o,s:o}", "items", items, "page", (json_int_t)page,
                     "per_page", (json_int_t)per_page, "total", (json_int_t)total, "pages",
                     (json_int_t)pages, "prev",
                     page > 1 && page <= pages + 1 ? page_url(req, page - 1) : json_null(), "next",
                     page < pages ? page_url(req, page + 1) : json_null());
}

json_t *web_api_body(const struct web_request *req, struct web_response *res)
{
    static const char json_type[] = "application/json";
    const char *t = req->body_type;
    if (!t || strncasecmp(t, json_type, sizeof json_type - 1) != 0 ||
        (t[sizeof json_type - 1] && t[sizeof json_type - 1] != ';' &&
         t[sizeof json_type - 1] != ' ')) {
        web_json_error(res, 415, "Indholdet skal sendes som application/json.");
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(req->body ? req->body : "", req->body_len,
                              JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char msg[300];
        snprintf(msg, sizeof msg, "JSON kunne ikke læses (linje %d, kolonne %d): %s", je.line,
                 je.column, je.text);
        web_json(res, 400, json_pack("{s:{s:i,s:s,s:i,s:i}}", "error", "status", 400, "message",
                                     msg, "line", je.line, "column", je.column));
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        web_api_field_error(res, "$", "Forventede et JSON-objekt.");
        return NULL;
    }
    return root;
}

void web_api_field_error(struct web_response *res, const char *field, const char *message)
{
    web_json(res, 400, json_pack("{s:{s:i,s:s,s:s}}", "error", "status", 400, "message", message,
                                 "field", field));
}

void web_api_refuse(struct web_response *res, int rc, const char *field, const struct err *e)
{
    int status;
    const char *message;
    switch (rc) {
    case ERR_NOTFOUND: status = 404, message = "Findes ikke."; break;
    case ERR_DENIED: status = 403, message = "Det må du ikke med dine roller."; break;
    case ERR_CLOSED: status = 403, message = "Indholdet er lukket."; break;
    case ERR_CONFLICT:
        status = 409, message = "Konflikt: sagen eller mødet er ændret siden den version, du "
                                "sendte, eller handlingen kan ikke tages herfra.";
        break;
    case ERR_DB: status = 503, message = "Arkivet er ikke tilgængeligt lige nu."; break;
    case ERR_SYNTAX:
    case ERR_USAGE:
    case ERR_UTF8:
    case ERR_LIMIT: status = 400, message = "Indholdet kunne ikke bruges."; break;
    default: status = 500, message = "Der skete en fejl."; break;
    }
    if (status >= 500 && e && e->msg[0]) {
        char msg[400];
        err_format(e, msg, sizeof msg);
        fprintf(stderr, "referat serve: %s\n", msg);
    }
    json_t *o = json_pack("{s:i,s:s}", "status", status, "message", message);
    if (status < 500 && e && e->msg[0])
        json_object_set_new(o, "detail", web_json_str(e->msg));
    /* The readers' and the store's messages end with the member's path: "... at $.title". */
    char path[128];
    const char *at = NULL;
    for (const char *p = e ? strstr(e->msg, " at $") : NULL; p; p = strstr(p + 1, " at $"))
        at = p + 4;
    if (!field && at && strcspn(at, " ") < sizeof path) {
        snprintf(path, sizeof path, "%.*s", (int)strcspn(at, " "), at);
        field = path;
    }
    if (field)
        json_object_set_new(o, "field", json_string(field));
    web_json(res, status, json_pack("{s:o}", "error", o));
}
