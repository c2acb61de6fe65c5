/* case: allocation, copying, comparison and the public view of the case model. */
#include "case.h"
#include "../util/buf.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

struct case_doc *case_new(void)
{
    return xcalloc(1, sizeof(struct case_doc));
}

char **case_add_route(struct case_doc *c) { return GROW(c->route, c->nroute); }
struct subitem *case_add_subitem(struct case_doc *c) { return GROW(c->subitems, c->nsubitems); }
struct decision *case_add_decision(struct case_doc *c) { return GROW(c->decisions, c->ndecisions); }
struct attachment *case_add_attachment(struct case_doc *c)
{
    return GROW(c->attachments, c->nattachments);
}
struct guest *subitem_add_guest(struct subitem *s) { return GROW(s->guests, s->nguests); }
struct entry *decision_add_entry(struct decision *d) { return GROW(d->entries, d->nentries); }
struct followup *entry_add_followup(struct entry *e) { return GROW(e->followups, e->nfollowups); }
/* issue 10, flat follow-ups */
struct followup *decision_add_followup(struct decision *d)
{
    return GROW(d->followups, d->nfollowups);
}
struct dateref *entry_add_date(struct entry *e) { return GROW(e->dates, e->ndates); }
struct hunk *layout_add_hunk(struct layout *l) { return GROW(l->hunks, l->nhunks); }
struct guest *case_add_guest(struct case_doc *c) { return GROW(c->guests, c->nguests); }
struct ref *case_add_ref(struct case_doc *c) { return GROW(c->refs, c->nrefs); }
struct section *case_add_section(struct case_doc *c) { return GROW(c->sections, c->nsections); }
/* issue 9, minutes */
struct addition *case_add_addition(struct case_doc *c) { return GROW(c->additions, c->nadditions); }

void layout_fini(struct layout *l)
{
    for (size_t i = 0; i < l->nhunks; i++) {
        for (size_t k = 0; k < l->hunks[i].nins; k++)
            free(l->hunks[i].ins[k]);
        free(l->hunks[i].ins);
    }
    free(l->hunks);
    free(l->format);
    free(l->base);
    memset(l, 0, sizeof *l);
}

static void followups_fini(struct followup *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].owner);
        free(f[i].role);
        free(f[i].text);
        free(f[i].due);
    }
    free(f);
}

static void entry_fini(struct entry *e)
{
    free(e->title);
    free(e->text);
    followups_fini(e->followups, e->nfollowups);
    for (size_t i = 0; i < e->ndates; i++) {
        free(e->dates[i].text);
        free(e->dates[i].start);
        free(e->dates[i].end);
    }
    free(e->dates);
}

void guest_fini(struct guest *g)
{
    free(g->name);
    free(g->role);
    free(g->unit);
    free(g->email);
    memset(g, 0, sizeof *g);
}

void case_free(struct case_doc *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->public_title);
    free(c->public_text);
    for (size_t i = 0; i < c->nroute; i++)
        free(c->route[i]);
    free(c->route);
    free(c->presentation);
    free(c->intro);
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = &c->subitems[i];
        free(s->time);
        free(s->title);
        free(s->text);
        free(s->actual_start); /* issue 9, live */
        free(s->actual_end);
        for (size_t k = 0; k < s->nguests; k++)
            guest_fini(&s->guests[k]);
        free(s->guests);
    }
    free(c->subitems);
    free(c->recommendation);
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        free(d->body);
        free(d->date);
        free(d->text);
        for (size_t k = 0; k < d->nentries; k++)
            entry_fini(&d->entries[k]);
        free(d->entries);
        followups_fini(d->followups, d->nfollowups); /* issue 10, flat follow-ups */
    }
    free(c->decisions);
    for (size_t i = 0; i < c->nattachments; i++) {
        struct attachment *a = &c->attachments[i];
        free(a->title);
        free(a->journal);
        free(a->flag);
        free(a->document);
    }
    free(c->attachments);
    for (size_t i = 0; i < c->nguests; i++)
        guest_fini(&c->guests[i]);
    free(c->guests);
    for (size_t i = 0; i < c->nrefs; i++) {
        free(c->refs[i].kind);
        free(c->refs[i].value);
    }
    free(c->refs);
    for (size_t i = 0; i < c->nsections; i++) {
        free(c->sections[i].name);
        free(c->sections[i].text);
    }
    free(c->sections);
    /* ---- issue 9, minutes ---- */
    for (size_t i = 0; i < c->nadditions; i++) {
        free(c->additions[i].date);
        free(c->additions[i].reason);
        free(c->additions[i].text);
    }
    free(c->additions);
    /* ---- end issue 9, minutes ---- */
    layout_fini(&c->layout);
    free(c->public_decision); /* issue 9, publication */
    free(c);
}

/* --- copying ----------------------------------------------------------------------------- */

static void copy_layout(struct layout *d, const struct layout *s)
{
    d->format = xstrdup(s->format);
    d->base = xstrdup(s->base);
    for (size_t i = 0; i < s->nhunks; i++) {
        struct hunk *h = layout_add_hunk(d);
        h->at = s->hunks[i].at;
        h->del = s->hunks[i].del;
        h->nins = s->hunks[i].nins;
        h->ins = xcalloc(h->nins, sizeof *h->ins);
        for (size_t k = 0; k < h->nins; k++)
            h->ins[k] = xstrdup(s->hunks[i].ins[k]);
    }
}

static struct case_doc *copy(const struct case_doc *c, enum audience a)
{
    struct case_doc *d = case_new();
    d->public = c->public;
    if (a == AUDIENCE_PUBLIC && !c->public) {
        /* What the public reads instead, and nothing else. */
        d->title = xstrdup(c->public_title ? c->public_title : c->title);
        d->public_text = xstrdup(c->public_text);
        return d;
    }
    d->title = xstrdup(c->title);
    d->public_title = xstrdup(c->public_title);
    d->public_text = xstrdup(c->public_text);
    for (size_t i = 0; i < c->nroute; i++)
        *case_add_route(d) = xstrdup(c->route[i]);
    d->presentation = xstrdup(c->presentation);
    d->intro = xstrdup(c->intro);
    d->has_table = c->has_table;
    /* issue 10, sdg: a closed case's goals stay with the staff (returned above) */
    d->sdg = c->sdg;
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        struct subitem *t = case_add_subitem(d);
        t->time = xstrdup(s->time);
        t->duration = s->duration;
        t->title = xstrdup(s->title);
        t->text = xstrdup(s->text);
        t->actual_start = xstrdup(s->actual_start); /* issue 9, live */
        t->actual_end = xstrdup(s->actual_end);
        t->sdg = s->sdg; /* issue 10, sdg */
        for (size_t k = 0; k < s->nguests; k++) {
            struct guest *g = subitem_add_guest(t);
            g->name = xstrdup(s->guests[k].name);
            g->role = xstrdup(s->guests[k].role);
            g->unit = xstrdup(s->guests[k].unit);
            /* Where the invitation goes is the secretariat's business, not the public's. */
            g->email = a == AUDIENCE_STAFF ? xstrdup(s->guests[k].email) : NULL;
        }
    }
    d->recommendation = xstrdup(c->recommendation);
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *s = &c->decisions[i];
        struct decision *t = case_add_decision(d);
        t->body = xstrdup(s->body);
        t->date = xstrdup(s->date);
        t->text = xstrdup(s->text);
        for (size_t k = 0; k < s->nentries; k++) {
            const struct entry *se = &s->entries[k];
            struct entry *te = decision_add_entry(t);
            te->title = xstrdup(se->title);
            te->subitem = se->subitem;
            te->text = xstrdup(se->text);
            for (size_t j = 0; j < se->nfollowups; j++) {
                struct followup *f = entry_add_followup(te);
                f->owner = xstrdup(se->followups[j].owner);
                f->role = xstrdup(se->followups[j].role);
                f->text = xstrdup(se->followups[j].text);
                f->due = xstrdup(se->followups[j].due);
            }
            for (size_t j = 0; j < se->ndates; j++) {
                struct dateref *r = entry_add_date(te);
                r->text = xstrdup(se->dates[j].text);
                r->start = xstrdup(se->dates[j].start);
                r->end = xstrdup(se->dates[j].end);
            }
        }
        for (size_t j = 0; j < s->nfollowups; j++) { /* issue 10, flat follow-ups */
            struct followup *f = decision_add_followup(t);
            f->owner = xstrdup(s->followups[j].owner);
            f->role = xstrdup(s->followups[j].role);
            f->text = xstrdup(s->followups[j].text);
            f->due = xstrdup(s->followups[j].due);
        }
    }
    d->has_attachments = c->has_attachments;
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *s = &c->attachments[i];
        struct attachment *t = case_add_attachment(d);
        t->number = s->number;
        t->public = s->public;
        t->title = xstrdup(s->title);
        if (a == AUDIENCE_PUBLIC && !s->public)
            continue;
        t->journal = xstrdup(s->journal);
        t->flag = xstrdup(s->flag);
        t->document = xstrdup(s->document);
        t->publication = s->publication; /* issue 9, publication */
    }
    /* Reached only by what the audience may see in full: a closed case's guests, case
     * numbers and extra sections stay with the staff (returned above). */
    for (size_t i = 0; i < c->nguests; i++) {
        struct guest *g = case_add_guest(d);
        g->name = xstrdup(c->guests[i].name);
        g->role = xstrdup(c->guests[i].role);
        g->unit = xstrdup(c->guests[i].unit);
        g->email = a == AUDIENCE_STAFF ? xstrdup(c->guests[i].email) : NULL;
    }
    for (size_t i = 0; i < c->nrefs; i++) {
        struct ref *r = case_add_ref(d);
        r->kind = xstrdup(c->refs[i].kind);
        r->value = xstrdup(c->refs[i].value);
    }
    for (size_t i = 0; i < c->nsections; i++) {
        struct section *x = case_add_section(d);
        x->name = xstrdup(c->sections[i].name);
        x->text = xstrdup(c->sections[i].text);
    }
    /* ---- issue 9, minutes: tillæg, like the decisions they correct ---- */
    for (size_t i = 0; i < c->nadditions; i++) {
        struct addition *x = case_add_addition(d);
        x->date = xstrdup(c->additions[i].date);
        x->reason = xstrdup(c->additions[i].reason);
        x->text = xstrdup(c->additions[i].text);
    }
    /* ---- end issue 9, minutes ---- */
    if (a == AUDIENCE_STAFF)
        copy_layout(&d->layout, &c->layout);
    if (a == AUDIENCE_STAFF) { /* issue 9, publication */
        d->publication = c->publication;
        d->public_decision = xstrdup(c->public_decision);
    }
    return d;
}

struct case_doc *case_dup(const struct case_doc *c)
{
    return copy(c, AUDIENCE_STAFF);
}

static struct case_doc *apply_levels(const struct case_doc *c, struct case_doc *d);

struct case_doc *case_view(const struct case_doc *c, enum audience a)
{
    struct case_doc *d = copy(c, a);
    return a == AUDIENCE_PUBLIC ? apply_levels(c, d) : d; /* issue 9, publication */
}

bool case_is_redacted(const struct case_doc *c)
{
    if (c->layout.format || c->layout.nhunks)
        return false;
    if (!c->public)
        return !c->nroute && !c->presentation && !c->intro && !c->nsubitems &&
               !c->recommendation && !c->ndecisions && !c->nattachments && !c->has_table &&
               !c->has_attachments && !c->public_title && !c->nguests && !c->nrefs &&
               !c->nsections && !c->nadditions /* issue 9, minutes */ &&
               !c->sdg /* issue 10, sdg */;
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        if (!a->public && (a->journal || a->flag || a->document))
            return false;
    }
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++)
            if (c->subitems[i].guests[k].email)
                return false;
    for (size_t i = 0; i < c->nguests; i++)
        if (c->guests[i].email)
            return false;
    return true;
}

/* --- equality ---------------------------------------------------------------------------- */

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool layout_equal(const struct layout *a, const struct layout *b)
{
    if (!streq(a->format, b->format) || !streq(a->base, b->base) || a->nhunks != b->nhunks)
        return false;
    for (size_t i = 0; i < a->nhunks; i++) {
        const struct hunk *x = &a->hunks[i], *y = &b->hunks[i];
        if (x->at != y->at || x->del != y->del || x->nins != y->nins)
            return false;
        for (size_t k = 0; k < x->nins; k++)
            if (!streq(x->ins[k], y->ins[k]))
                return false;
    }
    return true;
}

static bool followups_equal(const struct followup *a, size_t na, const struct followup *b,
                            size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        const struct followup *x = &a[i], *y = &b[i];
        if (!streq(x->owner, y->owner) || !streq(x->role, y->role) ||
            !streq(x->text, y->text) || !streq(x->due, y->due))
            return false;
    }
    return true;
}

static bool entry_equal(const struct entry *a, const struct entry *b)
{
    if (!streq(a->title, b->title) || a->subitem != b->subitem || !streq(a->text, b->text) ||
        a->ndates != b->ndates ||
        !followups_equal(a->followups, a->nfollowups, b->followups, b->nfollowups))
        return false;
    for (size_t i = 0; i < a->ndates; i++) {
        const struct dateref *x = &a->dates[i], *y = &b->dates[i];
        if (!streq(x->text, y->text) || !streq(x->start, y->start) || !streq(x->end, y->end))
            return false;
    }
    return true;
}

bool case_equal(const struct case_doc *a, const struct case_doc *b, bool with_layout)
{
    if (!streq(a->title, b->title) || a->public != b->public ||
        !streq(a->public_title, b->public_title) || !streq(a->public_text, b->public_text) ||
        a->nroute != b->nroute ||
        !streq(a->presentation, b->presentation) || !streq(a->intro, b->intro) ||
        a->has_table != b->has_table || a->nsubitems != b->nsubitems ||
        !streq(a->recommendation, b->recommendation) || a->ndecisions != b->ndecisions ||
        a->has_attachments != b->has_attachments || a->nattachments != b->nattachments)
        return false;
    for (size_t i = 0; i < a->nroute; i++)
        if (!streq(a->route[i], b->route[i]))
            return false;
    for (size_t i = 0; i < a->nsubitems; i++) {
        const struct subitem *x = &a->subitems[i], *y = &b->subitems[i];
        if (!streq(x->time, y->time) || x->duration != y->duration ||
            !streq(x->title, y->title) || !streq(x->text, y->text) || x->nguests != y->nguests)
            return false;
        /* issue 9, live */
        if (!streq(x->actual_start, y->actual_start) || !streq(x->actual_end, y->actual_end))
            return false;
        if (x->sdg != y->sdg) /* issue 10, sdg */
            return false;
        for (size_t k = 0; k < x->nguests; k++)
            if (!streq(x->guests[k].name, y->guests[k].name) ||
                !streq(x->guests[k].role, y->guests[k].role) ||
                !streq(x->guests[k].unit, y->guests[k].unit) ||
                !streq(x->guests[k].email, y->guests[k].email))
                return false;
    }
    for (size_t i = 0; i < a->ndecisions; i++) {
        const struct decision *x = &a->decisions[i], *y = &b->decisions[i];
        if (!streq(x->body, y->body) || !streq(x->date, y->date) || !streq(x->text, y->text) ||
            x->nentries != y->nentries ||
            !followups_equal(x->followups, x->nfollowups, y->followups, y->nfollowups))
            return false;
        for (size_t k = 0; k < x->nentries; k++)
            if (!entry_equal(&x->entries[k], &y->entries[k]))
                return false;
    }
    for (size_t i = 0; i < a->nattachments; i++) {
        const struct attachment *x = &a->attachments[i], *y = &b->attachments[i];
        if (x->number != y->number || x->public != y->public || !streq(x->title, y->title) ||
            !streq(x->journal, y->journal) || !streq(x->flag, y->flag) ||
            !streq(x->document, y->document) || x->publication != y->publication)
            return false;
    }
    if (a->nguests != b->nguests || a->nrefs != b->nrefs || a->nsections != b->nsections)
        return false;
    if (a->sdg != b->sdg) /* issue 10, sdg */
        return false;
    for (size_t i = 0; i < a->nguests; i++)
        if (!streq(a->guests[i].name, b->guests[i].name) ||
            !streq(a->guests[i].role, b->guests[i].role))
            return false;
    for (size_t i = 0; i < a->nrefs; i++)
        if (!streq(a->refs[i].kind, b->refs[i].kind) ||
            !streq(a->refs[i].value, b->refs[i].value))
            return false;
    for (size_t i = 0; i < a->nsections; i++)
        if (!streq(a->sections[i].name, b->sections[i].name) ||
            !streq(a->sections[i].text, b->sections[i].text))
            return false;
    if (a->publication != b->publication || !streq(a->public_decision, b->public_decision))
        return false; /* issue 9, publication */
    /* ---- issue 9, minutes ---- */
    if (a->nadditions != b->nadditions)
        return false;
    for (size_t i = 0; i < a->nadditions; i++)
        if (!streq(a->additions[i].date, b->additions[i].date) ||
            !streq(a->additions[i].reason, b->additions[i].reason) ||
            !streq(a->additions[i].text, b->additions[i].text))
            return false;
    /* ---- end issue 9, minutes ---- */
    return !with_layout || layout_equal(&a->layout, &b->layout);
}

/* ---- issue 9, publication: the minutes reach the public only once published ---- */

void case_hide_minutes(struct case_doc *c)
{
    for (size_t i = 0; i < c->ndecisions; i++) {
        struct decision *d = &c->decisions[i];
        free(d->body);
        free(d->date);
        free(d->text);
        for (size_t k = 0; k < d->nentries; k++)
            entry_fini(&d->entries[k]);
        free(d->entries);
        followups_fini(d->followups, d->nfollowups); /* issue 10, flat follow-ups */
    }
    free(c->decisions);
    c->decisions = NULL;
    c->ndecisions = 0;
    free(c->public_decision);
    c->public_decision = NULL;
    /* The tillæg correct the minutes: public with them, not before (issue 9, minutes). */
    for (size_t i = 0; i < c->nadditions; i++) {
        free(c->additions[i].date);
        free(c->additions[i].reason);
        free(c->additions[i].text);
    }
    free(c->additions);
    c->additions = NULL;
    c->nadditions = 0;
}

static const char *const level_names[] = {NULL, "fuld", "beslutning", "titel", "ingen"};

const char *case_publication_name(enum case_publication p)
{
    return (unsigned)p < sizeof level_names / sizeof level_names[0] ? level_names[p] : NULL;
}

bool case_publication_parse(const char *name, enum case_publication *out)
{
    if (!name || !*name) {
        *out = PUB_AUTO;
        return true;
    }
    for (size_t i = 1; i < sizeof level_names / sizeof level_names[0]; i++)
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum case_publication)i;
            return true;
        }
    return false;
}

enum case_publication case_publication_level(const struct case_doc *c)
{
    enum case_publication p = c->publication;
    if (p == PUB_AUTO)
        p = c->public ? PUB_FULL : c->public_decision ? PUB_DECISION : PUB_TITLE;
    if (!c->public && p == PUB_FULL)
        p = PUB_TITLE;
    if (!c->public && p == PUB_DECISION && !c->public_decision)
        p = PUB_TITLE;
    return p;
}

enum case_publication attachment_publication_level(const struct attachment *a)
{
    enum case_publication p = a->publication == PUB_AUTO ? (a->public ? PUB_FULL : PUB_TITLE)
                                                         : a->publication;
    if (p == PUB_DECISION || (!a->public && p == PUB_FULL))
        p = PUB_TITLE; /* a bilag has no decision; a closed one is never in full */
    return p;
}

/* The title-only view: what the public reads of a closed case. */
static struct case_doc *title_only(const struct case_doc *c)
{
    struct case_doc *d = case_new();
    d->public = false;
    d->title = xstrdup(c->public ? c->title : c->public_title ? c->public_title : c->title);
    d->public_text = c->public ? NULL : xstrdup(c->public_text);
    return d;
}

/* d is copy(c, AUDIENCE_PUBLIC); the levels of c and its bilag decide what of it stays. */
static struct case_doc *apply_levels(const struct case_doc *c, struct case_doc *d)
{
    enum case_publication p = case_publication_level(c);
    if (p == PUB_TITLE || p == PUB_NONE) {
        case_free(d);
        return title_only(c);
    }
    if (p == PUB_DECISION && !c->public) {
        /* Still a closed case: its public title and text, and only the decision written for
         * the public (public_decision), never the closed one. */
        case_free(d);
        struct case_doc *v = title_only(c);
        v->public_decision = xstrdup(c->public_decision);
        return v;
    }
    if (p == PUB_DECISION) {
        /* The open decisions as they are, taken over from the public copy. */
        struct case_doc *v = case_new();
        v->public = true;
        v->title = xstrdup(c->title);
        v->decisions = d->decisions;
        v->ndecisions = d->ndecisions;
        d->decisions = NULL;
        d->ndecisions = 0;
        /* and the tillæg that correct them (issue 9, minutes) */
        v->additions = d->additions;
        v->nadditions = d->nadditions;
        d->additions = NULL;
        d->nadditions = 0;
        case_free(d);
        return v;
    }
    /* In full: each bilag by its own level. */
    size_t k = 0;
    for (size_t i = 0; i < d->nattachments; i++) {
        struct attachment *a = &d->attachments[i];
        enum case_publication ap = attachment_publication_level(&c->attachments[i]);
        if (ap == PUB_NONE) {
            free(a->title);
            free(a->journal);
            free(a->flag);
            free(a->document);
            continue;
        }
        if (ap == PUB_TITLE) {
            a->public = false;
            free(a->journal);
            free(a->flag);
            free(a->document);
            a->journal = a->flag = a->document = NULL;
        }
        a->publication = PUB_AUTO;
        d->attachments[k++] = *a;
    }
    d->nattachments = k;
    return d;
}
/* ---- end issue 9, publication ---- */
