/* library_file: reading and writing a body library's file (library_file.h). */
#include "library_file.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/jsonpos.h"
#include "../util/utf8.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's lists, in the order the items come in v, and the keys each item may have. */
static const struct {
    const char *list, *kind;
    const char *keys[5];
} lists[3] = {
    {"texts", "text", {"name", "text", NULL}},
    {"templates", "template", {"name", "title", "sections", NULL}},
    {"recurring", "recurring", {"name", "text", "duration", "public", NULL}},
};
static const char *const section_keys[] = {"name", "field", "text", "help", NULL};

struct rd {
    struct library_file *f;
    struct err *e;
    struct jsonpos_step path[6];
    size_t depth;
};

static bool listed(const char *const *keys, const char *key)
{
    for (; *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

/* An error at the value the path leads to (or its key), as "$.texts[2].name: ...". */
static int bad(struct rd *r, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct rd *r, bool at_key, const char *fmt, ...)
{
    size_t off = jsonpos_locate(r->f->src, r->f->len, r->path, r->depth, at_key);
    unsigned line, col;
    utf8_position(r->f->src, off, &line, &col);
    struct buf b = BUF_INIT;
    jsonpos_put_path(&b, r->path, r->depth);
    buf_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err_set(r->e, ERR_SYNTAX, line, col, "%s", buf_cstr(&b));
    buf_free(&b);
    return ERR_SYNTAX;
}

static void push_key(struct rd *r, const char *key)
{
    r->path[r->depth++] = (struct jsonpos_step){key, 0};
}

static void push_index(struct rd *r, size_t i)
{
    r->path[r->depth++] = (struct jsonpos_step){NULL, i};
}

static const char *own(struct library_file *f, char *s)
{
    f->owned = xrealloc(f->owned, (f->nowned + 1) * sizeof *f->owned);
    f->owned[f->nowned++] = s;
    return s;
}

/* Keys of object o outside keys[]: an error at the first. */
static int only_keys(struct rd *r, json_t *o, const char *const *keys, const char *what)
{
    const char *key;
    json_t *x;
    json_object_foreach(o, key, x)
    {
        if (!listed(keys, key)) {
            push_key(r, key);
            int rc = jsonpos_key_printable(key)
                         ? bad(r, true, "unknown key \"%s\" in %s", key, what)
                         : bad(r, true, "unknown key in %s", what);
            r->depth--;
            return rc;
        }
    }
    return 0;
}

/* A text member: a string, an array of strings (paragraphs, joined by a blank line), or
 * (when nullable) null or absent. */
static int text_member(struct rd *r, json_t *o, const char *key, bool nullable, const char **out)
{
    json_t *x = json_object_get(o, key);
    *out = NULL;
    if (!x || json_is_null(x)) {
        if (nullable)
            return 0;
        return x ? (push_key(r, key), bad(r, false, "expected a string"))
                 : bad(r, false, "expected the key \"%s\"", key);
    }
    push_key(r, key);
    int rc = 0;
    if (json_is_string(x)) {
        *out = json_string_value(x);
    } else if (json_is_array(x)) {
        struct buf b = BUF_INIT;
        size_t i;
        json_t *p;
        json_array_foreach(x, i, p)
        {
            if (!json_is_string(p)) {
                push_index(r, i);
                rc = bad(r, false, "expected a string (a paragraph)");
                break;
            }
            if (i)
                buf_puts(&b, "\n\n");
            buf_puts(&b, json_string_value(p));
        }
        if (rc == 0)
            *out = own(r->f, buf_detach(&b));
        buf_free(&b);
    } else {
        rc = bad(r, false, "expected a string or an array of strings (paragraphs)");
    }
    r->depth = rc == 0 ? r->depth - 1 : r->depth;
    return rc;
}

static int sections_member(struct rd *r, json_t *o, const char **out)
{
    json_t *a = json_object_get(o, "sections");
    if (!a)
        return bad(r, false, "expected the key \"sections\"");
    push_key(r, "sections");
    if (!json_is_array(a))
        return bad(r, false, "expected an array of sections");
    size_t n = json_array_size(a);
    struct library_section *v = xcalloc(n ? n : 1, sizeof *v);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        json_t *s = json_array_get(a, i);
        push_index(r, i);
        if (!json_is_object(s)) {
            rc = bad(r, false, "expected a section (an object)");
            break;
        }
        if ((rc = only_keys(r, s, section_keys, "a section")) < 0)
            break;
        json_t *name = json_object_get(s, "name"), *field = json_object_get(s, "field");
        const char *text = NULL, *help = NULL;
        if (!json_is_string(name)) {
            if (name)
                push_key(r, "name");
            rc = bad(r, false, name ? "expected a string" : "expected the key \"name\"");
            break;
        }
        if (field && !json_is_null(field) && !json_is_string(field)) {
            push_key(r, "field");
            rc = bad(r, false,
                     "expected \"presentation\", \"intro\", \"recommendation\" or "
                     "null");
            break;
        }
        if ((rc = text_member(r, s, "text", true, &text)) < 0 ||
            (rc = text_member(r, s, "help", true, &help)) < 0)
            break;
        v[i].name = xstrdup(json_string_value(name));
        v[i].field = json_is_string(field) ? xstrdup(json_string_value(field)) : NULL;
        v[i].text = text && *text ? xstrdup(text) : NULL;
        v[i].help = help && *help ? xstrdup(help) : NULL;
        r->depth--;
    }
    if (rc == 0) {
        *out = own(r->f, library_sections_json(v, n));
        r->depth--;
    }
    library_sections_free(v, n);
    return rc;
}

static int item(struct rd *r, size_t k, json_t *o, struct library_item *it)
{
    if (!json_is_object(o))
        return bad(r, false, "expected an item (an object)");
    int rc = only_keys(r, o, lists[k].keys, "an item");
    if (rc < 0)
        return rc;
    *it = (struct library_item){.kind = lists[k].kind, .public = true};
    json_t *name = json_object_get(o, "name");
    if (!json_is_string(name)) {
        if (name)
            push_key(r, "name");
        return bad(r, false, name ? "expected a string" : "expected the key \"name\"");
    }
    it->name = json_string_value(name);
    if (k == 0)
        return text_member(r, o, "text", false, &it->text);
    if (k == 1) {
        json_t *title = json_object_get(o, "title");
        if (title && !json_is_null(title) && !json_is_string(title)) {
            push_key(r, "title");
            return bad(r, false, "expected a string or null");
        }
        it->text = json_is_string(title) ? json_string_value(title) : NULL;
        return sections_member(r, o, &it->sections);
    }
    if ((rc = text_member(r, o, "text", true, &it->text)) < 0)
        return rc;
    json_t *d = json_object_get(o, "duration"), *pub = json_object_get(o, "public");
    if (!json_is_integer(d)) {
        if (d)
            push_key(r, "duration");
        return bad(r, false, d ? "expected whole minutes" : "expected the key \"duration\"");
    }
    json_int_t minutes = json_integer_value(d);
    it->duration = minutes < 0 ? -1 : minutes > 100000 ? 100000 : (int)minutes;
    if (pub && !json_is_boolean(pub)) {
        push_key(r, "public");
        return bad(r, false, "expected true (Åben) or false (Lukket)");
    }
    it->public = !pub || json_is_true(pub);
    return 0;
}

int library_file_parse(const char *bytes, size_t len, struct library_file *out, struct err *e)
{
    struct library_file f = {.src = bytes, .len = len};
    struct rd r = {.f = &f, .e = e};
    json_error_t je;
    int rc = 0;
    size_t bad_at = utf8_invalid_at(bytes, len);
    if (bad_at != len) {
        unsigned line, col;
        utf8_position(bytes, bad_at, &line, &col);
        err_set(e, ERR_UTF8, line, col, "not valid UTF-8");
        return ERR_UTF8;
    }
    json_t *doc = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        jsonpos_syntax_error(&je, e);
        return ERR_SYNTAX;
    }
    f.doc = doc;
    if (!json_is_object(doc)) {
        rc =
            bad(&r, false,
                "expected a library file (an object with \"format\": \"" LIBRARY_FILE_FORMAT "\")");
        goto done;
    }
    static const char *const top[] = {"format", "body", "texts", "templates", "recurring", NULL};
    if ((rc = only_keys(&r, doc, top, "a library file")) < 0)
        goto done;
    json_t *fmt = json_object_get(doc, "format"), *body = json_object_get(doc, "body");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), LIBRARY_FILE_FORMAT) != 0) {
        if (fmt)
            push_key(&r, "format");
        rc = bad(&r, false, "expected \"format\": \"" LIBRARY_FILE_FORMAT "\"");
        goto done;
    }
    if (body && !json_is_null(body) && !json_is_string(body)) {
        push_key(&r, "body");
        rc = bad(&r, false, "expected a body's code (a string)");
        goto done;
    }
    f.body = json_is_string(body) ? json_string_value(body) : NULL;
    size_t total = 0;
    for (size_t k = 0; k < 3; k++) {
        json_t *a = json_object_get(doc, lists[k].list);
        if (a && !json_is_array(a)) {
            push_key(&r, lists[k].list);
            rc = bad(&r, false, "expected an array of items");
            goto done;
        }
        total += a ? json_array_size(a) : 0;
    }
    f.v = xcalloc(total ? total : 1, sizeof *f.v);
    f.where = xcalloc(total ? total : 1, sizeof *f.where);
    for (size_t k = 0; k < 3; k++) {
        json_t *a = json_object_get(doc, lists[k].list);
        for (size_t i = 0; a && i < json_array_size(a); i++) {
            r.depth = 0;
            push_key(&r, lists[k].list);
            push_index(&r, i);
            if ((rc = item(&r, k, json_array_get(a, i), &f.v[f.n])) < 0)
                goto done;
            f.where[f.n++] = i;
        }
    }
done:
    if (rc < 0) {
        library_file_fini(&f);
        return rc;
    }
    *out = f;
    return 0;
}

void library_file_locate(const struct library_file *f, size_t i, const char *field, unsigned *line,
                         unsigned *col)
{
    struct jsonpos_step path[6];
    size_t depth = 0;
    size_t k = 0;
    while (k < 2 && strcmp(lists[k].kind, f->v[i].kind) != 0)
        k++;
    path[depth++] = (struct jsonpos_step){lists[k].list, 0};
    path[depth++] = (struct jsonpos_step){NULL, f->where[i]};
    char key[40] = "";
    size_t sec = 0;
    if (field && sscanf(field, "sections[%zu].%39s", &sec, key) == 2) {
        path[depth++] = (struct jsonpos_step){"sections", 0};
        path[depth++] = (struct jsonpos_step){NULL, sec};
        path[depth++] = (struct jsonpos_step){key, 0};
    } else if (field && strcmp(field, "kind") != 0) {
        snprintf(key, sizeof key, "%s", field);
        if (k == 1 && strcmp(field, "text") == 0)
            snprintf(key, sizeof key, "title");
        path[depth++] = (struct jsonpos_step){key, 0};
    }
    size_t off = jsonpos_locate(f->src, f->len, path, depth, false);
    utf8_position(f->src, off, line, col);
}

void library_file_fini(struct library_file *f)
{
    json_decref(f->doc);
    for (size_t i = 0; i < f->nowned; i++)
        free(f->owned[i]);
    free(f->owned);
    free(f->v);
    free(f->where);
    memset(f, 0, sizeof *f);
}

/* A text as a string, or as an array of its paragraphs when it has several. */
static json_t *text_json(const char *s)
{
    if (!s || !*s)
        return json_null();
    if (!strstr(s, "\n\n"))
        return json_string(s);
    json_t *a = json_array();
    for (const char *p = s; p;) {
        const char *sep = strstr(p, "\n\n");
        json_array_append_new(a, json_stringn(p, sep ? (size_t)(sep - p) : strlen(p)));
        p = sep ? sep + 2 : NULL;
    }
    return a;
}

char *library_file_write(const char *body_code, const struct library_item *v, size_t n)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "format", json_string(LIBRARY_FILE_FORMAT));
    json_object_set_new(doc, "body", body_code ? json_string(body_code) : json_null());
    for (size_t k = 0; k < 3; k++) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            if (strcmp(v[i].kind, lists[k].kind) != 0)
                continue;
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(v[i].name ? v[i].name : ""));
            if (k == 0) {
                json_object_set_new(o, "text", text_json(v[i].text));
            } else if (k == 1) {
                json_object_set_new(o, "title",
                                    v[i].text && *v[i].text ? json_string(v[i].text) : json_null());
                json_t *secs = json_array();
                struct library_section *sv = NULL;
                size_t sn = 0;
                struct err e = {0};
                if (library_sections_parse(v[i].sections, &sv, &sn, &e) == 0) {
                    for (size_t j = 0; j < sn; j++)
                        json_array_append_new(
                            secs,
                            json_pack("{s:s,s:o,s:o,s:o}", "name", sv[j].name, "field",
                                      sv[j].field ? json_string(sv[j].field) : json_null(), "text",
                                      text_json(sv[j].text), "help", text_json(sv[j].help)));
                    library_sections_free(sv, sn);
                }
                json_object_set_new(o, "sections", secs);
            } else {
                json_object_set_new(o, "text", text_json(v[i].text));
                json_object_set_new(o, "duration", json_integer(v[i].duration));
                json_object_set_new(o, "public", json_boolean(v[i].public));
            }
            json_array_append_new(a, o);
        }
        json_object_set_new(doc, lists[k].list, a);
    }
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    struct buf b = BUF_INIT;
    buf_puts(&b, s ? s : "{}");
    buf_putc(&b, '\n');
    free(s);
    return buf_detach(&b);
}
