/* write_json: the model in the referat-case/1 interchange format (see docs/json.md). */
#include "format.h"
#include "../util/utf8.h"
#include "../model/sdg.h" /* issue 10, sdg */

#include <assert.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void oom(void)
{
    fputs("referat: out of memory\n", stderr);
    abort();
}

/* jansson returns NULL only when it cannot allocate (strings are checked before they get
 * here), and allocation failure aborts everywhere in referat. */
static json_t *need(json_t *j)
{
    if (!j)
        oom();
    return j;
}

static void set(json_t *o, const char *key, json_t *v)
{
    if (json_object_set_new_nocheck(o, key, need(v)) < 0)
        oom();
}

static void add(json_t *a, json_t *v)
{
    if (json_array_append_new(a, need(v)) < 0)
        oom();
}

/* The model promises UTF-8 (fmt_read checks it), but a writer cannot fail: a string that
 * breaks the promise is written with U+FFFD for each bad byte instead of being lost. */
static json_t *str(const char *s)
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

static json_t *num(size_t n)
{
    return json_integer((json_int_t)n);
}

/* ---- issue 10, sdg: a set of goals as the list of their numbers, ascending; written even
 * when empty (docs/json.md) ---- */
static json_t *goals(uint32_t set)
{
    json_t *a = need(json_array());
    for (unsigned g = 1; g <= SDG_COUNT; g++)
        if (set & SDG_BIT(g))
            add(a, num(g));
    return a;
}
/* ---- end issue 10, sdg ---- */

static json_t *subitem(const struct subitem *s)
{
    json_t *o = need(json_object()), *guests = need(json_array());
    set(o, "time", str(s->time));
    /* What cases written in referat add is written only where it is set, so an imported
     * case's JSON stays as it was. */
    if (s->duration)
        set(o, "duration", num(s->duration));
    set(o, "title", str(s->title));
    set(o, "text", str(s->text));
    /* ---- issue 9, live: actual times, only when stamped ---- */
    if (s->actual_start)
        set(o, "actual_start", str(s->actual_start));
    if (s->actual_end)
        set(o, "actual_end", str(s->actual_end));
    /* ---- end issue 9, live ---- */
    for (size_t i = 0; i < s->nguests; i++) {
        const struct guest *gu = &s->guests[i];
        json_t *g = need(json_object());
        set(g, "name", str(gu->name));
        set(g, "role", str(gu->role));
        if (gu->unit)
            set(g, "unit", str(gu->unit));
        if (gu->email)
            set(g, "email", str(gu->email));
        add(guests, g);
    }
    set(o, "guests", guests);
    set(o, "sdg", goals(s->sdg)); /* issue 10, sdg */
    return o;
}

static json_t *followups(const struct followup *v, size_t n)
{
    json_t *fs = need(json_array());
    for (size_t i = 0; i < n; i++) {
        const struct followup *f = &v[i];
        json_t *j = need(json_object());
        set(j, "owner", str(f->owner));
        set(j, "role", str(f->role));
        set(j, "text", str(f->text));
        set(j, "due", str(f->due));
        add(fs, j);
    }
    return fs;
}

static json_t *entry(const struct entry *e)
{
    json_t *o = need(json_object()), *ds = need(json_array());
    set(o, "title", str(e->title));
    set(o, "subitem", e->subitem ? num(e->subitem) : json_null());
    set(o, "text", str(e->text));
    set(o, "followups", followups(e->followups, e->nfollowups));
    for (size_t i = 0; i < e->ndates; i++) {
        const struct dateref *d = &e->dates[i];
        json_t *j = need(json_object());
        set(j, "text", str(d->text));
        set(j, "start", str(d->start));
        set(j, "end", str(d->end));
        add(ds, j);
    }
    set(o, "dates", ds);
    return o;
}

static json_t *decision(const struct decision *d)
{
    json_t *o = need(json_object()), *entries = need(json_array());
    set(o, "body", str(d->body));
    set(o, "date", str(d->date));
    set(o, "text", str(d->text));
    for (size_t i = 0; i < d->nentries; i++)
        add(entries, entry(&d->entries[i]));
    set(o, "entries", entries);
    /* issue 10, flat follow-ups: a decision without entries; omitted when it has none */
    if (d->nfollowups)
        set(o, "followups", followups(d->followups, d->nfollowups));
    return o;
}

static json_t *attachment(const struct attachment *a)
{
    json_t *o = need(json_object());
    set(o, "number", num(a->number));
    set(o, "public", json_boolean(a->public));
    set(o, "title", str(a->title));
    set(o, "journal", str(a->journal));
    set(o, "flag", str(a->flag));
    set(o, "document", str(a->document));
    if (a->publication) /* issue 9, publication: omitted when it follows Åben/Lukket */
        set(o, "publication", json_string(case_publication_name(a->publication)));
    return o;
}

static json_t *layout(const struct layout *l)
{
    json_t *o = need(json_object()), *hunks = need(json_array());
    set(o, "format", str(l->format));
    set(o, "base", str(l->base));
    for (size_t i = 0; i < l->nhunks; i++) {
        const struct hunk *h = &l->hunks[i];
        json_t *j = need(json_object()), *ins = need(json_array());
        set(j, "at", num(h->at));
        set(j, "del", num(h->del));
        for (size_t k = 0; k < h->nins; k++)
            add(ins, str(h->ins[k]));
        set(j, "ins", ins);
        add(hunks, j);
    }
    set(o, "hunks", hunks);
    return o;
}

/* Everything but the marker, title and public flag, in the documented key order. */
static void body(json_t *root, const struct case_doc *c)
{
    json_t *route = need(json_array()), *subitems = need(json_array());
    json_t *decisions = need(json_array()), *attachments = need(json_array());
    for (size_t i = 0; i < c->nroute; i++)
        add(route, str(c->route[i]));
    set(root, "route", route);
    set(root, "presentation", str(c->presentation));
    set(root, "intro", str(c->intro));
    set(root, "has_table", json_boolean(c->has_table));
    for (size_t i = 0; i < c->nsubitems; i++)
        add(subitems, subitem(&c->subitems[i]));
    set(root, "subitems", subitems);
    set(root, "recommendation", str(c->recommendation));
    for (size_t i = 0; i < c->ndecisions; i++)
        add(decisions, decision(&c->decisions[i]));
    set(root, "decisions", decisions);
    set(root, "has_attachments", json_boolean(c->has_attachments));
    for (size_t i = 0; i < c->nattachments; i++)
        add(attachments, attachment(&c->attachments[i]));
    set(root, "attachments", attachments);
    /* What only meeting documents give (docs/json.md): written when there is any, so that the
     * JSON of a reference export stays as it was. */
    if (c->nguests) {
        json_t *a = need(json_array());
        for (size_t i = 0; i < c->nguests; i++) {
            json_t *g = need(json_object());
            set(g, "name", str(c->guests[i].name));
            set(g, "role", str(c->guests[i].role));
            add(a, g);
        }
        set(root, "guests", a);
    }
    if (c->nrefs) {
        json_t *a = need(json_array());
        for (size_t i = 0; i < c->nrefs; i++) {
            json_t *r = need(json_object());
            set(r, "kind", str(c->refs[i].kind));
            set(r, "value", str(c->refs[i].value));
            add(a, r);
        }
        set(root, "refs", a);
    }
    if (c->nsections) {
        json_t *a = need(json_array());
        for (size_t i = 0; i < c->nsections; i++) {
            json_t *x = need(json_object());
            set(x, "name", str(c->sections[i].name));
            set(x, "text", str(c->sections[i].text));
            add(a, x);
        }
        set(root, "sections", a);
    }
    /* ---- issue 9, minutes: tillæg, omitted when there are none ---- */
    if (c->nadditions) {
        json_t *a = need(json_array());
        for (size_t i = 0; i < c->nadditions; i++) {
            json_t *x = need(json_object());
            set(x, "date", str(c->additions[i].date));
            set(x, "reason", str(c->additions[i].reason));
            set(x, "text", str(c->additions[i].text));
            add(a, x);
        }
        set(root, "additions", a);
    }
    /* ---- end issue 9, minutes ---- */
}

static int put(const char *p, size_t n, void *data)
{
    buf_put(data, p, n);
    return 0;
}

static void write(const struct case_doc *c, int flags, struct buf *out)
{
    bool pub = flags & FMT_PUBLIC;
    /* fmt_write hands public writers the public view; anything else is a bug upstream. */
    assert(!pub || case_is_redacted(c));
    json_t *root = need(json_object());
    set(root, "format", json_string(FMT_JSON_MARKER));
    set(root, "title", str(c->title));
    set(root, "public", json_boolean(c->public));
    if (c->public_title)
        set(root, "public_title", str(c->public_title));
    if (c->public_text)
        set(root, "public_text", str(c->public_text));
    set(root, "sdg", goals(c->sdg)); /* issue 10, sdg */
    /* ---- issue 9, publication: omitted when empty (the public view never has them) ---- */
    if (c->publication)
        set(root, "publication", json_string(case_publication_name(c->publication)));
    if (c->public_decision)
        set(root, "public_decision", str(c->public_decision));
    /* ---- end issue 9, publication ---- */
    /* For the public a closed case is its title and nothing more, not a row of empty keys. */
    if (!pub || c->public)
        body(root, c);
    /* The layout's patch lines are source bytes, so the public never gets them. */
    if (!pub && !(flags & FMT_NOLAYOUT) && c->layout.format)
        set(root, "layout", layout(&c->layout));
    /* JSON_PRESERVE_ORDER keeps the insertion order above; without JSON_ENSURE_ASCII the
     * UTF-8 text is written as it is. */
    if (json_dump_callback(root, put, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
        oom();
    buf_putc(out, '\n');
    json_decref(root);
}

const struct fmt_writer fmt_write_json = {"json", "application/json", write};
