/* read_json: the referat-case/1 interchange format (docs/json.md) read back into the model. */
#include "format.h"
#include "minutes.h"
#include "../util/date.h"
#include "../util/email.h"
#include "../util/jsonpos.h"
#include "../util/utf8.h"
#include "../model/sdg.h" /* issue 10, sdg */

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MAXPATH = 8,     /* deepest: $.decisions[i].entries[j].followups[k].due */
    MAXLOCATED = 100 /* warnings that get a position (each costs a scan of the text) */
};

struct ctx {
    const char *src;
    size_t n;
    bool lenient;
    bool failed; /* strict mode: e holds the first error and reading stops */
    struct err *e;
    struct warnings *w;
    size_t nwarn;
    struct jsonpos_step path[MAXPATH];
    size_t depth;
    /* Lenient mode drops bad elements; they are moved here so case_free releases them. */
    struct case_doc *trash;
    /* JSON sub-item i (0-based) is model sub-item submap[i] (1-based), 0 when dropped. */
    size_t *submap;
    size_t nsubmap;
    bool full; /* lenient mode: the sub-items past CASE_MAX_SUBITEMS are being dropped */
};

static void push_key(struct ctx *x, const char *key)
{
    if (x->depth < MAXPATH)
        x->path[x->depth] = (struct jsonpos_step){key, 0};
    x->depth++;
}

static void push_index(struct ctx *x, size_t i)
{
    if (x->depth < MAXPATH)
        x->path[x->depth] = (struct jsonpos_step){NULL, i};
    x->depth++;
}

static void pop(struct ctx *x)
{
    x->depth--;
}

/* --- positions ----------------------------------------------------------------------------
 * jansson keeps no positions for the values it returns, so on an error the text (valid JSON
 * by then) is scanned again along the path (util/jsonpos). */

static size_t locate(const struct ctx *x, size_t depth, bool at_key)
{
    return jsonpos_locate(x->src, x->n, x->path, depth < MAXPATH ? depth : MAXPATH, at_key);
}

static void put_path(const struct ctx *x, size_t depth, struct buf *b)
{
    jsonpos_put_path(b, x->path, depth < MAXPATH ? depth : MAXPATH);
}

/* --- errors ------------------------------------------------------------------------------- */

/* Reports a schema error at the current path (at the key of its last step when at_key).
 * Returns -1 when reading must stop (strict mode), 0 when it goes on (lenient mode, where
 * the error became a warning). Messages never quote values: they could be closed text. */
static int bad(struct ctx *x, bool at_key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct ctx *x, bool at_key, const char *fmt, ...)
{
    if (x->failed)
        return -1;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct buf path = BUF_INIT;
    size_t depth = at_key ? x->depth - 1 : x->depth;
    put_path(x, depth, &path);
    unsigned line = 0, col = 0;
    /* Past MAXLOCATED a lenient read of a huge broken file would turn quadratic. */
    if (!x->lenient || x->nwarn < MAXLOCATED)
        utf8_position(x->src, locate(x, x->depth, at_key), &line, &col);
    if (x->lenient) {
        warnings_add(x->w, line, col, "%s at %s", msg, buf_cstr(&path));
        x->nwarn++;
    } else {
        err_set(x->e, ERR_SYNTAX, line, col, "%s at %s", msg, buf_cstr(&path));
        x->failed = true;
    }
    buf_free(&path);
    return x->lenient ? 0 : -1;
}

static int missing(struct ctx *x, const char *key)
{
    bad(x, false, "missing key \"%s\"", key);
    return -1;
}

/* Checks that v is an object whose keys are all in known (a NULL-terminated list). */
static int object(struct ctx *x, const json_t *v, const char *const *known)
{
    if (!json_is_object(v)) {
        bad(x, false, "expected object");
        return -1;
    }
    json_t *o = (json_t *)v;
    for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
        const char *key = json_object_iter_key(it);
        const char *const *k = known;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (*k)
            continue;
        push_key(x, key);
        int rc = jsonpos_key_printable(key) ? bad(x, true, "unknown key \"%s\"", key)
                                    : bad(x, true, "unknown key");
        pop(x);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* --- members ------------------------------------------------------------------------------
 * Each returns -1 when the element holding the member cannot be kept: always in strict mode
 * after an error, and in lenient mode when a required member is missing or bad. An optional
 * member that is bad becomes NULL, false or empty in lenient mode. */

static int get_str(struct ctx *x, const json_t *o, const char *key, bool req, char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return req ? missing(x, key) : 0;
    int rc = 0;
    push_key(x, key);
    if (json_is_string(v))
        *out = xstrndup(json_string_value(v), json_string_length(v));
    else if (req || !json_is_null(v))
        rc = bad(x, false, req ? "expected string" : "expected string or null");
    pop(x);
    if (req && !*out)
        rc = -1;
    return rc;
}

/* A string the exports must be able to carry (minutes_check). One they cannot carry is an
 * error; in lenient mode an optional one becomes NULL and a required one drops its element. */
static int get_text(struct ctx *x, const json_t *o, const char *key, bool req, enum minutes_field f,
                    char **out)
{
    if (get_str(x, o, key, req, out) < 0)
        return -1;
    const char *why = minutes_check(f, *out);
    if (!why)
        return 0;
    free(*out);
    *out = NULL;
    push_key(x, key);
    int rc = bad(x, false, "%s", why);
    pop(x);
    return rc < 0 || req ? -1 : 0;
}

static int get_date(struct ctx *x, const json_t *o, const char *key, bool req, char **out)
{
    if (get_str(x, o, key, req, out) < 0)
        return -1;
    int y, m, d;
    if (!*out || date_parse_iso(*out, &y, &m, &d) == 0)
        return 0;
    free(*out);
    *out = NULL;
    push_key(x, key);
    int rc = bad(x, false, "expected ISO date (YYYY-MM-DD)");
    pop(x);
    return rc < 0 || req ? -1 : 0;
}

static int get_bool(struct ctx *x, const json_t *o, const char *key, bool req, bool *out)
{
    json_t *v = json_object_get(o, key);
    *out = false;
    if (!v)
        return req ? missing(x, key) : 0;
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return 0;
    }
    push_key(x, key);
    int rc = bad(x, false, "expected true or false");
    pop(x);
    return rc < 0 || req ? -1 : 0;
}

/* A required integer from min to max. */
static int get_int(struct ctx *x, const json_t *o, const char *key, json_int_t min, json_int_t max,
                   json_int_t *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return missing(x, key);
    if (json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max) {
        *out = json_integer_value(v);
        return 0;
    }
    push_key(x, key);
    bad(x, false, "expected integer from %lld to %lld", (long long)min, (long long)max);
    pop(x);
    return -1;
}

/* An optional number of minutes from 1 to a day's (absent or null: 0). */
static int get_minutes(struct ctx *x, const json_t *o, const char *key, unsigned *out)
{
    json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 24 * 60) {
        *out = (unsigned)json_integer_value(v);
        return 0;
    }
    push_key(x, key);
    int rc = bad(x, false, "expected minutes from 1 to 1440");
    pop(x);
    return rc < 0 ? -1 : 0;
}

/* Calls fn for each element of the array member key (absent: none), with the index on the
 * path. fn returns -1 only when reading must stop. */
typedef int (*each_fn)(struct ctx *x, const json_t *v, size_t i, void *arg);

static int each(struct ctx *x, const json_t *o, const char *key, each_fn fn, void *arg)
{
    json_t *a = json_object_get(o, key);
    if (!a)
        return 0;
    push_key(x, key);
    int rc = 0;
    if (!json_is_array(a)) {
        rc = bad(x, false, "expected array");
    } else {
        for (size_t i = 0; i < json_array_size(a) && rc == 0; i++) {
            push_index(x, i);
            rc = fn(x, json_array_get(a, i), i, arg);
            pop(x);
        }
    }
    pop(x);
    return rc;
}

/* Ends an element callback: lenient mode goes on after dropping the element. */
static int next(const struct ctx *x)
{
    return x->failed ? -1 : 0;
}

/* --- elements ----------------------------------------------------------------------------- */

static int add_route(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    const char *why = NULL;
    if (!json_is_string(v))
        bad(x, false, "expected string");
    else if ((why = minutes_check(MINUTES_CODE, json_string_value(v))))
        bad(x, false, "%s", why);
    else
        *case_add_route(arg) = xstrndup(json_string_value(v), json_string_length(v));
    return next(x);
}

/* The codes together make the Sagsgang line, which must not read as a heading. */
static int check_route(struct ctx *x, struct case_doc *c)
{
    const char *why = minutes_check_route(c->route, c->nroute);
    if (!why)
        return 0;
    push_key(x, "route");
    bad(x, false, "%s", why);
    pop(x);
    for (size_t k = 0; k < c->nroute; k++)
        free(c->route[k]);
    c->nroute = 0;
    return next(x);
}

static int read_guest(struct ctx *x, const json_t *v, struct guest *g)
{
    static const char *const keys[] = {"name", "role", "unit", "email", NULL};
    if (object(x, v, keys) < 0 || get_str(x, v, "name", true, &g->name) < 0 ||
        get_str(x, v, "role", false, &g->role) < 0 || get_str(x, v, "unit", false, &g->unit) < 0 ||
        get_str(x, v, "email", false, &g->email) < 0)
        return -1;
    if (g->email && !email_ok(g->email)) {
        free(g->email);
        g->email = NULL;
        push_key(x, "email");
        int rc = bad(x, false, "expected an e-mail address such as navn@kommune.dk");
        pop(x);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int add_guest(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct guest g = {0};
    if (read_guest(x, v, &g) == 0)
        *subitem_add_guest(arg) = g;
    else
        *subitem_add_guest(case_add_subitem(x->trash)) = g;
    return next(x);
}

/* ---- issue 10, sdg: a list of goal numbers (absent: none); a bad or repeated number is an
 * error, dropped with a warning in lenient mode ---- */
static int add_goal(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    uint32_t *set = arg;
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    if (n < 1 || n > (json_int_t)SDG_COUNT)
        bad(x, false, "expected a goal number from 1 to 17");
    else if (*set & SDG_BIT(n))
        bad(x, false, "expected each goal once");
    else
        *set |= SDG_BIT(n);
    return next(x);
}

static int get_goals(struct ctx *x, const json_t *o, uint32_t *out)
{
    *out = 0;
    return each(x, o, "sdg", add_goal, out);
}
/* ---- end issue 10, sdg ---- */

static int read_subitem(struct ctx *x, const json_t *v, struct subitem *s)
{
    static const char *const keys[] = {"time", "duration", "title", "text", "guests",
                                       "actual_start", "actual_end", /* issue 9, live */
                                       "sdg", /* issue 10, sdg */
                                       NULL};
    if (object(x, v, keys) < 0 || get_text(x, v, "time", false, MINUTES_TIME, &s->time) < 0 ||
        /* issue 9, live */
        get_text(x, v, "actual_start", false, MINUTES_TIME, &s->actual_start) < 0 ||
        get_text(x, v, "actual_end", false, MINUTES_TIME, &s->actual_end) < 0 ||
        get_minutes(x, v, "duration", &s->duration) < 0 ||
        get_str(x, v, "title", true, &s->title) < 0 || get_str(x, v, "text", false, &s->text) < 0 ||
        each(x, v, "guests", add_guest, s) < 0 ||
        get_goals(x, v, &s->sdg) < 0) /* issue 10, sdg */
        return -1;
    const char *why = minutes_check_cell(s->title, s->text);
    if (why) {
        push_key(x, "title");
        bad(x, false, "%s", why);
        pop(x);
        return -1;
    }
    return 0;
}

static int add_subitem(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    struct case_doc *c = arg;
    struct subitem s = {0};
    if (x->full)
        return 0;
    if (i == CASE_MAX_SUBITEMS) {
        /* The archive numbers sub-items in 11 bits (see CASE_MAX_SUBITEMS). */
        bad(x, false, "expected at most %u sub-items (the archive holds no more in one case)",
            CASE_MAX_SUBITEMS);
        x->full = true;
        return next(x);
    }
    if (read_subitem(x, v, &s) == 0) {
        *case_add_subitem(c) = s;
        x->submap[i] = c->nsubitems;
    } else {
        *case_add_subitem(x->trash) = s;
    }
    return next(x);
}

static int read_followup(struct ctx *x, const json_t *v, struct followup *f)
{
    static const char *const keys[] = {"owner", "role", "text", "due", NULL};
    if (object(x, v, keys) < 0 || get_str(x, v, "owner", true, &f->owner) < 0 ||
        get_str(x, v, "role", false, &f->role) < 0 || get_str(x, v, "text", true, &f->text) < 0 ||
        get_date(x, v, "due", false, &f->due) < 0)
        return -1;
    return 0;
}

static int add_followup(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct followup f = {0};
    if (read_followup(x, v, &f) == 0)
        *entry_add_followup(arg) = f;
    else
        *entry_add_followup(decision_add_entry(case_add_decision(x->trash))) = f;
    return next(x);
}

/* issue 10, flat follow-ups: a follow-up of a decision without entries. */
static int add_decision_followup(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct followup f = {0};
    if (read_followup(x, v, &f) == 0)
        *decision_add_followup(arg) = f;
    else
        *decision_add_followup(case_add_decision(x->trash)) = f;
    return next(x);
}

static int read_dateref(struct ctx *x, const json_t *v, struct dateref *d)
{
    static const char *const keys[] = {"text", "start", "end", NULL};
    if (object(x, v, keys) < 0 || get_str(x, v, "text", true, &d->text) < 0 ||
        get_date(x, v, "start", true, &d->start) < 0 || get_date(x, v, "end", true, &d->end) < 0)
        return -1;
    if (strcmp(d->end, d->start) < 0) {
        push_key(x, "end");
        bad(x, false, "end before start");
        pop(x);
        return -1;
    }
    return 0;
}

static int add_dateref(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct dateref d = {0};
    if (read_dateref(x, v, &d) == 0)
        *entry_add_date(arg) = d;
    else
        *entry_add_date(decision_add_entry(case_add_decision(x->trash))) = d;
    return next(x);
}

/* "subitem": null, or a 1-based index into the JSON subitems array. */
static int get_subitem(struct ctx *x, const json_t *o, size_t *out)
{
    json_t *v = json_object_get(o, "subitem");
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    int rc = 0;
    push_key(x, "subitem");
    if (!json_is_integer(v))
        rc = bad(x, false, "expected integer or null");
    else if (json_integer_value(v) < 1 || (unsigned long long)json_integer_value(v) > x->nsubmap)
        rc = x->nsubmap ? bad(x, false, "sub-item %lld out of range 1 to %zu",
                              (long long)json_integer_value(v), x->nsubmap)
                        : bad(x, false, "sub-item %lld out of range (there are none)",
                              (long long)json_integer_value(v));
    else
        *out = x->submap[json_integer_value(v) - 1]; /* 0 if that sub-item was dropped */
    pop(x);
    return rc;
}

static int read_entry(struct ctx *x, const json_t *v, struct entry *e)
{
    static const char *const keys[] = {"title", "subitem", "text", "followups", "dates", NULL};
    if (object(x, v, keys) < 0 || get_text(x, v, "title", true, MINUTES_LINE, &e->title) < 0 ||
        get_subitem(x, v, &e->subitem) < 0 ||
        get_text(x, v, "text", false, MINUTES_TEXT_DECISION, &e->text) < 0 ||
        each(x, v, "followups", add_followup, e) < 0 || each(x, v, "dates", add_dateref, e) < 0)
        return -1;
    return 0;
}

static int add_entry(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct entry e = {0};
    if (read_entry(x, v, &e) == 0)
        *decision_add_entry(arg) = e;
    else
        *decision_add_entry(case_add_decision(x->trash)) = e;
    return next(x);
}

static int read_decision(struct ctx *x, const json_t *v, struct decision *d)
{
    static const char *const keys[] = {"body", "date", "text", "entries", "followups", NULL};
    if (object(x, v, keys) < 0 || get_text(x, v, "body", true, MINUTES_BODY, &d->body) < 0 ||
        get_date(x, v, "date", true, &d->date) < 0 ||
        get_text(x, v, "text", false, MINUTES_TEXT_DECISION, &d->text) < 0 ||
        each(x, v, "entries", add_entry, d) < 0 ||
        each(x, v, "followups", add_decision_followup, d) < 0) /* issue 10, flat follow-ups */
        return -1;
    if (d->nentries && d->nfollowups) {
        /* A decision with entries has its follow-ups in them (docs/json.md). */
        push_key(x, "followups");
        bad(x, false, "expected none on a decision with entries (they belong to its entries)");
        pop(x);
        return -1;
    }
    return 0;
}

static int add_decision(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct decision d = {0};
    if (read_decision(x, v, &d) == 0)
        *case_add_decision(arg) = d;
    else
        *case_add_decision(x->trash) = d;
    return next(x);
}

/* ---- issue 9, publication: a level, "fuld" .. "ingen" (absent: PUB_AUTO) ---- */
static int get_publication(struct ctx *x, const json_t *o, enum case_publication *out)
{
    char *v = NULL;
    *out = PUB_AUTO;
    if (get_str(x, o, "publication", false, &v) < 0)
        return -1;
    int rc = 0;
    if (v && !case_publication_parse(v, out)) {
        push_key(x, "publication");
        rc = bad(x, false, "expected \"fuld\", \"beslutning\", \"titel\" or \"ingen\"");
        pop(x);
        *out = PUB_AUTO;
    }
    free(v);
    return rc;
}
/* ---- end issue 9, publication ---- */

static int read_attachment(struct ctx *x, const json_t *v, struct attachment *a)
{
    static const char *const keys[] = {"number", "public",   "title", "journal",
                                       "flag",   "document",
                                       "publication", /* issue 9, publication */
                                       NULL};
    json_int_t number;
    if (object(x, v, keys) < 0 || get_int(x, v, "number", 1, CASE_MAX_ATTACHMENT, &number) < 0 ||
        get_bool(x, v, "public", true, &a->public) < 0 ||
        get_text(x, v, "title", true, MINUTES_CELL, &a->title) < 0 ||
        get_text(x, v, "journal", false, MINUTES_CELL, &a->journal) < 0 ||
        get_text(x, v, "flag", false, MINUTES_CELL, &a->flag) < 0 ||
        get_text(x, v, "document", false, MINUTES_DOCUMENT, &a->document) < 0 ||
        get_publication(x, v, &a->publication) < 0) /* issue 9, publication */
        return -1;
    a->number = (unsigned)number;
    return 0;
}

static int add_attachment(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct attachment a = {0};
    if (read_attachment(x, v, &a) == 0)
        *case_add_attachment(arg) = a;
    else
        *case_add_attachment(x->trash) = a;
    return next(x);
}

static int add_case_guest(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct guest g = {0};
    if (read_guest(x, v, &g) == 0)
        *case_add_guest(arg) = g;
    else
        *case_add_guest(x->trash) = g;
    return next(x);
}

static int add_ref(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    static const char *const keys[] = {"kind", "value", NULL};
    struct ref r = {0};
    if (object(x, v, keys) == 0 && get_str(x, v, "kind", true, &r.kind) == 0 &&
        get_str(x, v, "value", true, &r.value) == 0)
        *case_add_ref(arg) = r;
    else
        *case_add_ref(x->trash) = r;
    return next(x);
}

static int add_section(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    static const char *const keys[] = {"name", "text", NULL};
    struct section s = {0};
    if (object(x, v, keys) == 0 && get_str(x, v, "name", true, &s.name) == 0 &&
        get_str(x, v, "text", false, &s.text) == 0)
        *case_add_section(arg) = s;
    else
        *case_add_section(x->trash) = s;
    return next(x);
}

/* ---- issue 9, minutes: a tillæg (date, reason, text), as the exports can carry it ---- */
static int add_addition(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    static const char *const keys[] = {"date", "reason", "text", NULL};
    struct addition a = {0};
    if (object(x, v, keys) == 0 && get_date(x, v, "date", true, &a.date) == 0 &&
        get_text(x, v, "reason", true, MINUTES_REASON, &a.reason) == 0 &&
        get_text(x, v, "text", false, MINUTES_TEXT, &a.text) == 0)
        *case_add_addition(arg) = a;
    else
        *case_add_addition(x->trash) = a;
    return next(x);
}
/* ---- end issue 9, minutes ---- */

static int read_hunk(struct ctx *x, const json_t *v, struct hunk *h)
{
    static const char *const keys[] = {"at", "del", "ins", NULL};
    json_int_t at, del;
    if (object(x, v, keys) < 0 || get_int(x, v, "at", 0, LLONG_MAX, &at) < 0 ||
        get_int(x, v, "del", 0, LLONG_MAX, &del) < 0)
        return -1;
    h->at = (size_t)at;
    h->del = (size_t)del;
    json_t *ins = json_object_get(v, "ins");
    if (!ins)
        return 0;
    push_key(x, "ins");
    int rc = 0;
    if (!json_is_array(ins)) {
        bad(x, false, "expected array");
        rc = -1;
    } else {
        h->ins = xcalloc(json_array_size(ins), sizeof *h->ins);
        for (size_t i = 0; i < json_array_size(ins) && rc == 0; i++) {
            json_t *s = json_array_get(ins, i);
            push_index(x, i);
            if (json_is_string(s)) {
                h->ins[h->nins++] = xstrndup(json_string_value(s), json_string_length(s));
            } else {
                bad(x, false, "expected string");
                rc = -1; /* a hunk without all its lines is of no use */
            }
            pop(x);
        }
    }
    pop(x);
    return rc;
}

static int add_hunk(struct ctx *x, const json_t *v, size_t i, void *arg)
{
    (void)i;
    struct hunk h = {0};
    if (read_hunk(x, v, &h) == 0)
        *layout_add_hunk(arg) = h;
    else
        *layout_add_hunk(&x->trash->layout) = h;
    return next(x);
}

static int read_layout(struct ctx *x, const json_t *v, struct layout *l)
{
    static const char *const keys[] = {"format", "base", "hunks", NULL};
    if (object(x, v, keys) < 0 || get_str(x, v, "format", true, &l->format) < 0 ||
        get_str(x, v, "base", true, &l->base) < 0 || each(x, v, "hunks", add_hunk, l) < 0)
        return -1;
    if (!fmt_reader_find(l->format) || !fmt_reader_find(l->format)->is_export) {
        push_key(x, "format");
        bad(x, false, "expected \"md\" or \"txt\"");
        pop(x);
        return -1;
    }
    return 0;
}

/* Whether c's layout, where it applies (its base hashes c's canonical rendering), gives bytes
 * that read back as c: a patch that does not would make `convert` write what `check`
 * refuses. "As c" is "with the same canonical rendering", which is what the patch is for. */
static bool layout_fits(const struct case_doc *c)
{
    const struct fmt_writer *wr = fmt_writer_find(c->layout.format);
    const struct fmt_reader *rd = fmt_reader_find(c->layout.format);
    struct buf canon = BUF_INIT, patched = BUF_INIT;
    wr->write(c, 0, &canon);
    buf_put(&patched, buf_cstr(&canon), canon.len);
    layout_apply(c, c->layout.format, &patched, 0);
    bool fits = true;
    if (patched.len != canon.len || memcmp(buf_cstr(&patched), buf_cstr(&canon), canon.len)) {
        struct case_doc *back = NULL;
        struct err e = {0};
        struct warnings w = {0};
        fits = fmt_read(rd, buf_cstr(&patched), patched.len, FMT_NOEXTRACT | FMT_NOLAYOUT, &back,
                        &e, &w) == 0;
        if (fits) {
            struct buf again = BUF_INIT;
            wr->write(back, 0, &again);
            fits = again.len == canon.len &&
                   memcmp(buf_cstr(&again), buf_cstr(&canon), canon.len) == 0;
            buf_free(&again);
        }
        case_free(back);
        warnings_fini(&w);
    }
    buf_free(&canon);
    buf_free(&patched);
    return fits;
}

/* A layout with any part missing would patch the wrong lines, so it is kept whole or not at
 * all. It is read last, onto the finished case c, so that it can be checked against it. */
static int get_layout(struct ctx *x, const json_t *o, int flags, struct case_doc *c)
{
    json_t *v = json_object_get(o, "layout");
    if (!v)
        return 0;
    struct layout l = {0};
    size_t warned = x->nwarn;
    push_key(x, "layout");
    int rc = read_layout(x, v, &l);
    if (rc == 0 && x->nwarn == warned && !(flags & FMT_NOLAYOUT)) {
        c->layout = l;
        if (!layout_fits(c)) {
            bad(x, false, "expected a layout that gives back a document of this case");
            rc = -1;
        }
        l = c->layout;
        c->layout = (struct layout){0};
    }
    if (!x->failed && (rc < 0 || x->nwarn != warned))
        bad(x, false, "layout ignored");
    pop(x);
    if (rc == 0 && x->nwarn == warned && !(flags & FMT_NOLAYOUT))
        c->layout = l;
    else
        layout_fini(&l);
    return next(x);
}

static int read_case(struct ctx *x, const json_t *root, int flags, struct case_doc *c)
{
    static const char *const keys[] = {
        "format",    "title",    "public",         "public_title", "public_text", "route",
        "presentation", "intro", "has_table", "subitems", "recommendation", "decisions",
        "has_attachments", "attachments", "layout", "guests", "refs", "sections",
        "sdg", /* issue 10, sdg */
        "publication", "public_decision", /* issue 9, publication */
        "additions", /* issue 9, minutes */
        NULL};
    if (object(x, root, keys) < 0)
        return -1;
    json_t *marker = json_object_get(root, "format");
    if (!marker) {
        if (missing(x, "format") < 0 && x->failed)
            return -1;
    } else if (!json_is_string(marker) || strcmp(json_string_value(marker), FMT_JSON_MARKER) != 0) {
        push_key(x, "format");
        int rc = bad(x, false, "expected \"" FMT_JSON_MARKER "\"");
        pop(x);
        if (rc < 0)
            return -1;
    }
    /* A case is nothing without its title, even in lenient mode. */
    bool lenient = x->lenient;
    x->lenient = false;
    int rc = get_text(x, root, "title", true, MINUTES_TITLE, &c->title);
    x->lenient = lenient;
    if (rc < 0)
        return -1;
    /* Lenient mode falls back to closed, the safe side, when public is missing or bad. */
    if (get_bool(x, root, "public", true, &c->public) < 0 && x->failed)
        return -1;
    if (get_text(x, root, "public_title", false, MINUTES_TITLE, &c->public_title) < 0 ||
        get_text(x, root, "public_text", false, MINUTES_TEXT, &c->public_text) < 0 ||
        get_goals(x, root, &c->sdg) < 0) /* issue 10, sdg */
        return -1;
    if (get_publication(x, root, &c->publication) < 0 || /* issue 9, publication */
        get_text(x, root, "public_decision", false, MINUTES_TEXT, &c->public_decision) < 0)
        return -1;
    x->nsubmap = json_array_size(json_object_get(root, "subitems"));
    x->submap = xcalloc(x->nsubmap, sizeof *x->submap);
    if (each(x, root, "route", add_route, c) < 0 || check_route(x, c) < 0 ||
        get_text(x, root, "presentation", false, MINUTES_TEXT_HEAD, &c->presentation) < 0 ||
        get_text(x, root, "intro", false, MINUTES_TEXT_HEAD, &c->intro) < 0 ||
        get_bool(x, root, "has_table", false, &c->has_table) < 0 ||
        each(x, root, "subitems", add_subitem, c) < 0 ||
        get_text(x, root, "recommendation", false, MINUTES_TEXT, &c->recommendation) < 0 ||
        each(x, root, "decisions", add_decision, c) < 0 ||
        get_bool(x, root, "has_attachments", false, &c->has_attachments) < 0 ||
        each(x, root, "attachments", add_attachment, c) < 0 ||
        each(x, root, "guests", add_case_guest, c) < 0 || each(x, root, "refs", add_ref, c) < 0 ||
        each(x, root, "sections", add_section, c) < 0 || get_layout(x, root, flags, c) < 0)
        return -1;
    if (each(x, root, "additions", add_addition, c) < 0) /* issue 9, minutes */
        return -1;
    return 0;
}

/* --- the reader --------------------------------------------------------------------------- */

static int sniff(const char *p, size_t n)
{
    size_t i = jsonpos_locate(p, n, NULL, 0, false); /* the first non-blank */
    if (i >= n || p[i] != '{')
        return 0;
    /* The writer puts the marker first, so it is near the start when the file is ours. */
    size_t span = n - i < 1024 ? n - i : 1024;
    if (memmem(p + i, span, "\"" FMT_JSON_MARKER "\"", strlen(FMT_JSON_MARKER) + 2))
        return 100;
    return 20;
}

static int parse(const char *p, size_t n, int flags, struct case_doc **out, struct err *e,
                 struct warnings *w)
{
    struct ctx x = {.src = p, .n = n, .lenient = flags & FMT_LENIENT, .e = e, .w = w};
    struct case_doc *c = NULL;
    json_error_t je;
    int rc = ERR_SYNTAX;
    json_t *root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
    *out = NULL;
    if (!root) {
        jsonpos_syntax_error(&je, e);
        goto done;
    }
    /* FMT_NOEXTRACT needs nothing here: guests, follow-ups and dates are data in JSON. */
    x.trash = case_new();
    c = case_new();
    if (read_case(&x, root, flags, c) < 0)
        goto done;
    *out = c;
    c = NULL;
    rc = 0;
done:
    case_free(c);
    case_free(x.trash);
    free(x.submap);
    json_decref(root);
    return rc;
}

const struct fmt_reader fmt_read_json = {"json", sniff, parse, 0};
