/* request: decoding request targets and the small helpers handlers share for requests and
 * responses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/utf8.h"
#include "web.h"

bool web_text_ok(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return false;
            i++;
            continue;
        }
        unsigned need, min, cp;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1, min = 0x80, cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2, min = 0x800, cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i <= need)
            return false;
        for (unsigned k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        /* C1 controls are as unprintable as C0 ones. */
        if (cp >= 0x80 && cp <= 0x9f)
            return false;
        i += need + 1;
    }
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes src[0..n) into dst (NUL-terminated); returns the length or -1 on a bad escape or
 * text that is not valid, control-free UTF-8 once decoded. */
static long decode(char *dst, const char *src, size_t n, bool plus)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            dst[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus) {
            dst[o++] = ' ';
        } else {
            dst[o++] = c;
        }
    }
    dst[o] = '\0';
    return web_text_ok(dst, o) ? (long)o : -1;
}

/* Characters of a host[:port] authority (reg-name, IPv4, [IPv6]) as this server takes them:
 * no userinfo, no percent-encoding. */
bool web_authority_ok(const char *p, size_t n)
{
    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/* "http://" or "https://" (any case) at the start of t: its length, else 0. */
static size_t scheme_len(const char *t)
{
    if (strncasecmp(t, "http://", 7) == 0)
        return 7;
    if (strncasecmp(t, "https://", 8) == 0)
        return 8;
    return 0;
}

int web_request_parse(struct web_request *req, const char *method, const char *target)
{
    memset(req, 0, sizeof *req);
    req->method = method;
    size_t n = strlen(target);
    /* Path and segments take at most n + 2 bytes each (the absolute form may add the root
     * "/"); decoded arguments at most 2n + 2 (every "a&" piece becomes "a\0\0"); the
     * authority at most n + 1. */
    req->mem = xmalloc(5 * n + 8);
    char *path = req->mem, *segs = path + n + 2, *query = segs + n + 2, *auth = query + 2 * n + 2;
    req->path = path;

    /* RFC 9112 3.2.2: the absolute form is accepted, and its authority stands in for Host. */
    size_t sl = scheme_len(target);
    if (sl) {
        size_t al = strcspn(target + sl, "/?#");
        if (!web_authority_ok(target + sl, al))
            return -1;
        memcpy(auth, target + sl, al);
        auth[al] = '\0';
        req->authority = auth;
        target += sl + al;
    }
    size_t plen = strcspn(target, "?#");
    if (plen == 0 && sl) {
        strcpy(path, "/"); /* "http://host" and "http://host?q" name the root */
    } else {
        if (plen == 0 || target[0] != '/')
            return -1;
        if (decode(path, target, plen, false) < 0)
            return -1;
    }

    /* Segments: "/a/b/" gives {"a", "b"}; a trailing slash is kept in path for the router. */
    strcpy(segs, path + 1);
    char *p = segs;
    while (*p) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        if (*p == '\0' || strcmp(p, ".") == 0 || strcmp(p, "..") == 0)
            return -1;
        if (req->nseg == WEB_MAX_SEGS)
            return -1;
        req->seg[req->nseg++] = p;
        if (!slash)
            break;
        p = slash + 1;
    }

    if (target[plen] != '?')
        return 0;
    const char *q = target + plen + 1;
    size_t qlen = strcspn(q, "#");
    /* One rule with the server's: empty pieces ("a&&b") count towards the limit too. */
    size_t pieces = 1;
    for (size_t i = 0; i < qlen; i++)
        pieces += q[i] == '&';
    if (pieces > WEB_MAX_ARGS)
        return -1;
    while (qlen > 0) {
        size_t plen2 = 0;
        while (plen2 < qlen && q[plen2] != '&')
            plen2++;
        if (plen2 > 0) {
            size_t klen = 0;
            while (klen < plen2 && q[klen] != '=')
                klen++;
            long kl = decode(query, q, klen, true);
            if (kl < 0)
                return -1;
            struct web_arg *a = &req->args[req->nargs++];
            a->key = query;
            query += kl + 1;
            size_t vstart = klen < plen2 ? klen + 1 : plen2;
            long vl = decode(query, q + vstart, plen2 - vstart, true);
            if (vl < 0)
                return -1;
            a->value = query;
            query += vl + 1;
        }
        if (plen2 == qlen)
            break;
        q += plen2 + 1;
        qlen -= plen2 + 1;
    }
    return 0;
}

void web_request_fini(struct web_request *req)
{
    free(req->mem);
    req->mem = NULL;
}

const char *web_arg(const struct web_request *req, const char *key)
{
    for (size_t i = 0; i < req->nargs; i++)
        if (strcmp(req->args[i].key, key) == 0)
            return req->args[i].value[0] ? req->args[i].value : NULL;
    return NULL;
}

size_t web_arg_page(const struct web_request *req, const char *key)
{
    const char *s = web_arg(req, key);
    if (!s)
        return 1;
    int64_t v = web_parse_id(s);
    if (v < 1)
        return 1;
    return v > 100000 ? 100000 : (size_t)v;
}

int64_t web_parse_id(const char *s)
{
    if (!s || *s < '1' || *s > '9')
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 1)
        return 0;
    return (int64_t)v;
}

bool web_is_date(const char *s)
{
    if (!s || strlen(s) != 10)
        return false;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return false;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

void web_response_init(struct web_response *res)
{
    memset(res, 0, sizeof *res);
    res->status = 200;
    res->type = "text/html; charset=utf-8";
}

void web_response_fini(struct web_response *res)
{
    buf_free(&res->body);
    for (size_t i = 0; i < res->nheaders; i++)
        free(res->headers[i].value);
    res->nheaders = 0;
}

void web_header_add(struct web_response *res, const char *name, const char *value)
{
    if (res->nheaders == WEB_MAX_HEADERS)
        return;
    res->headers[res->nheaders].name = name;
    res->headers[res->nheaders].value = xstrdup(value);
    res->nheaders++;
}

void web_json(struct web_response *res, int status, json_t *root)
{
    char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    buf_truncate(&res->body, 0);
    res->type = "application/json; charset=utf-8";
    if (!s) {
        /* Only a value that could not be built gets here (jansson refuses strings that are
         * not UTF-8); the error itself is plain ASCII, so it always serialises. */
        fprintf(stderr, "referat serve: an API answer could not be built as JSON (status %d)\n",
                status);
        res->status = 500;
        buf_puts(&res->body, "{\n  \"error\": {\n    \"status\": 500,\n    \"message\": "
                             "\"Svaret kunne ikke skrives som JSON.\"\n  }\n}\n");
        return;
    }
    res->status = status;
    buf_puts(&res->body, s);
    buf_putc(&res->body, '\n');
    free(s);
}

json_t *web_json_str(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    struct buf b = BUF_INIT;
    utf8_put_repaired(&b, s, strlen(s));
    j = json_stringn(buf_cstr(&b), b.len);
    buf_free(&b);
    return j;
}

void web_json_error(struct web_response *res, int status, const char *message)
{
    web_json(res, status,
             json_pack("{s:{s:i,s:s}}", "error", "status", status, "message", message));
}

void web_path(struct buf *b, const struct web_request *req)
{
    if (req->nseg == 0)
        buf_putc(b, '/');
    for (size_t i = 0; i < req->nseg; i++) {
        buf_putc(b, '/');
        web_url(b, req->seg[i]);
    }
}

const char *web_field(const struct web_request *req, const char *key)
{
    for (size_t i = 0; req->form && i < req->form->n; i++)
        if (!req->form->v[i].filename && strcmp(req->form->v[i].key, key) == 0)
            return req->form->v[i].value;
    return NULL;
}

const struct web_field *web_file(const struct web_request *req, const char *key)
{
    for (size_t i = 0; req->form && i < req->form->n; i++)
        if (req->form->v[i].filename && strcmp(req->form->v[i].key, key) == 0)
            return &req->form->v[i];
    return NULL;
}
