/* test_case: the model's copying, equality and the public view. */
#include "test.h"
#include "model/case.h"
#include "util/buf.h"

static struct case_doc *sample(bool public)
{
    struct case_doc *c = case_new();
    c->title = xstrdup("Punkter til behandling");
    c->public = public;
    *case_add_route(c) = xstrdup("DIR");
    c->presentation = xstrdup("SECRET presentation");
    c->has_table = true;
    struct subitem *s = case_add_subitem(c);
    s->time = xstrdup("10.30");
    s->title = xstrdup("Punkt");
    s->text = xstrdup("SECRET text");
    struct guest *g = subitem_add_guest(s);
    g->name = xstrdup("Tonny Olsen");
    g->role = xstrdup("Chef");
    g->unit = xstrdup("Borgerservice");
    g->email = xstrdup("tonny@example.dk");
    struct decision *d = case_add_decision(c);
    d->body = xstrdup("Direktionen");
    d->date = xstrdup("2023-12-20");
    struct entry *e = decision_add_entry(d);
    e->title = xstrdup("Punkt");
    e->subitem = 1;
    struct followup *f = entry_add_followup(e);
    f->owner = xstrdup("Ledelsessekretariatet");
    f->text = xstrdup("Ledelsessekretariatet følger op.");
    c->has_attachments = true;
    struct attachment *a = case_add_attachment(c);
    a->number = 1;
    a->public = true;
    a->title = xstrdup("Notat");
    a->journal = xstrdup("122962/23");
    a->flag = xstrdup("H");
    a->document = xstrdup("3553435");
    a = case_add_attachment(c);
    a->number = 2;
    a->public = false;
    a->title = xstrdup("Drejebog");
    a->journal = xstrdup("SECRET/23");
    a->flag = xstrdup("");
    c->layout.format = xstrdup("md");
    c->layout.base = xstrdup("00");
    struct hunk *h = layout_add_hunk(&c->layout);
    h->at = 1;
    h->nins = 1;
    h->ins = xcalloc(1, sizeof *h->ins);
    h->ins[0] = xstrdup("SECRET line");
    return c;
}

static void dup_is_equal(void)
{
    struct case_doc *c = sample(true);
    struct case_doc *d = case_dup(c);
    CHECK(case_equal(c, d, true));
    free(d->subitems[0].guests[0].role);
    d->subitems[0].guests[0].role = NULL;
    CHECK(!case_equal(c, d, true));
    case_free(d);
    d = case_dup(c);
    d->layout.hunks[0].at = 2;
    CHECK(case_equal(c, d, false));
    CHECK(!case_equal(c, d, true));
    case_free(d);
    case_free(c);
    case_free(NULL);
}

static void public_view_of_closed_case(void)
{
    struct case_doc *c = sample(false);
    CHECK(!case_is_redacted(c));
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(case_is_redacted(v));
    CHECK_STR(v->title, "Punkter til behandling");
    CHECK(!v->public);
    CHECK(!v->presentation && !v->nsubitems && !v->ndecisions && !v->nattachments &&
          !v->nroute && !v->layout.format);
    case_free(v);
    v = case_view(c, AUDIENCE_STAFF);
    CHECK(case_equal(c, v, true));
    case_free(v);
    case_free(c);
}

static void public_view_of_open_case(void)
{
    struct case_doc *c = sample(true);
    CHECK(!case_is_redacted(c)); /* layout and the closed attachment's journal */
    struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
    CHECK(case_is_redacted(v));
    CHECK_STR(v->presentation, "SECRET presentation"); /* open text stays */
    CHECK_INT(v->nattachments, 2);
    CHECK_STR(v->attachments[0].journal, "122962/23");
    CHECK_STR(v->attachments[1].title, "Drejebog");
    CHECK(!v->attachments[1].journal && !v->attachments[1].flag && !v->attachments[1].document);
    CHECK(!v->layout.format && !v->layout.nhunks);
    /* a guest's e-mail is where the invitation goes: staff only */
    CHECK_STR(v->subitems[0].guests[0].unit, "Borgerservice");
    CHECK(!v->subitems[0].guests[0].email);
    case_free(v);
    case_free(c);
}

int main(void)
{
    RUN(dup_is_equal);
    RUN(public_view_of_closed_case);
    RUN(public_view_of_open_case);
    return TEST_REPORT();
}
