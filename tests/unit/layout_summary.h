/* layout_summary: what a whole-meeting document reads as, in the form of the .expected files
 * of examples/real-layouts (shared by test_layouts and bench/layouts). */
#ifndef REFERAT_LAYOUT_SUMMARY_H
#define REFERAT_LAYOUT_SUMMARY_H

#include "model/meeting_doc.h"
#include "util/buf.h"

#include <jansson.h>
#include <stdlib.h>

static inline json_t *ls_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* "name/role" ("-" for none). */
static inline json_t *ls_pair(const char *a, const char *b)
{
    struct buf x = BUF_INIT;
    buf_printf(&x, "%s/%s", a ? a : "-", b ? b : "-");
    json_t *j = json_string(buf_cstr(&x));
    buf_free(&x);
    return j;
}

static inline json_t *layout_summary(const struct meeting_doc *d, const char *document,
                                     const char *family)
{
    const struct meeting *m = d->meeting;
    json_t *meeting = json_object(), *att = json_array(), *items = json_array();
    json_object_set_new(meeting, "body", ls_str(d->body));
    json_object_set_new(meeting, "kind", ls_str(d->kind));
    json_object_set_new(meeting, "date", ls_str(m->date));
    json_object_set_new(meeting, "start", ls_str(m->start));
    json_object_set_new(meeting, "end", ls_str(m->end));
    json_object_set_new(meeting, "place", ls_str(m->place));
    for (size_t i = 0; i < m->nattendees; i++) {
        const struct attendee *a = &m->attendees[i];
        struct buf x = BUF_INIT;
        buf_printf(&x, "%s/%s/%s/%s", a->name, attendee_status_name((int)a->status),
                   a->remark ? a->remark : "-", a->substitute ? a->substitute : "-");
        json_array_append_new(att, json_string(buf_cstr(&x)));
        buf_free(&x);
    }
    json_object_set_new(meeting, "attendees", att);
    for (size_t i = 0; i < d->nitems; i++) {
        const struct meeting_item *it = &d->items[i];
        const struct case_doc *c = it->c;
        json_t *o = json_object(), *refs = json_array(), *secs = json_array();
        json_t *decs = json_array(), *guests = json_array(), *owners = json_array();
        json_object_set_new(o, "number", ls_str(it->number));
        json_object_set_new(o, "title", ls_str(c->title));
        json_object_set_new(o, "public", json_boolean(c->public));
        json_object_set_new(o, "kind", ls_str(it->kind));
        for (size_t k = 0; k < c->nrefs; k++)
            json_array_append_new(refs, ls_pair(c->refs[k].kind, c->refs[k].value));
        json_object_set_new(o, "refs", refs);
        json_object_set_new(o, "presentation", json_boolean(c->presentation != NULL));
        json_object_set_new(o, "recommendation", json_boolean(c->recommendation != NULL));
        for (size_t k = 0; k < c->nsections; k++)
            json_array_append_new(secs, json_string(c->sections[k].name));
        json_object_set_new(o, "sections", secs);
        for (size_t k = 0; k < c->ndecisions; k++) {
            const struct decision *dc = &c->decisions[k];
            struct buf x = BUF_INIT;
            for (size_t j = 0; j < dc->nentries; j++) {
                if (dc->entries[j].text)
                    buf_printf(&x, "%s%s", x.len ? " " : "", dc->entries[j].text);
                for (size_t f = 0; f < dc->entries[j].nfollowups; f++) {
                    const struct followup *fu = &dc->entries[j].followups[f];
                    struct buf y = BUF_INIT;
                    buf_printf(&y, "%s/%s/%s", fu->owner, fu->role ? fu->role : "-",
                               fu->due ? fu->due : "-");
                    json_array_append_new(owners, json_string(buf_cstr(&y)));
                    buf_free(&y);
                }
            }
            json_t *dj = json_object();
            json_object_set_new(dj, "body", ls_str(dc->body));
            json_object_set_new(dj, "date", ls_str(dc->date));
            json_object_set_new(dj, "text", ls_str(x.len ? buf_cstr(&x) : NULL));
            json_array_append_new(decs, dj);
            buf_free(&x);
        }
        json_object_set_new(o, "decisions", decs);
        for (size_t k = 0; k < c->nguests; k++)
            json_array_append_new(guests, ls_pair(c->guests[k].name, c->guests[k].role));
        json_object_set_new(o, "guests", guests);
        json_object_set_new(o, "owners", owners);
        json_array_append_new(items, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "document", json_string(document));
    json_object_set_new(root, "family", json_string(family ? family : ""));
    json_object_set_new(root, "meeting", meeting);
    json_object_set_new(root, "items", items);
    return root;
}

#endif
