/* page_merge: two secretaries saved one case (issue 8, "Concurrency"). The second save is
 * refused by the store (ERR_CONFLICT); this page shows the version now stored ("theirs") beside
 * the one just sent ("mine"), field by field with the differing ones marked, and lets the
 * person take theirs or keep mine per field. The choice is saved against the newer version
 * (POST /arbejde/sag/ID/flet); should yet another save come in between, the page comes again.
 * Mine travels in the form as the model's JSON, so nothing typed is lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../format/html.h"
#include "../model/timetable.h"
#include "../store/store.h"
#include "auth.h"
#include "editor.h"
#include "form.h"
#include "web.h"

/* The fields the editor writes, in the form's order. */
enum field { F_TITLE, F_ACCESS, F_PUBLIC, F_ROUTE, F_PRESENTATION, F_INTRO, F_TABLE, F_REC };
static const struct {
    const char *key, *label;
} fields[] = {
    [F_TITLE] = {"titel", "Titel"},
    [F_ACCESS] = {"adgang", "Åben eller lukket"},
    [F_PUBLIC] = {"offentlig", "Offentlig titel og beskrivelse"},
    [F_ROUTE] = {"sagsgang", "Sagsgang"},
    [F_PRESENTATION] = {"sagsfremstilling", "Sagsfremstilling"},
    [F_INTRO] = {"indledning", "Tekst før tidsplanen"},
    [F_TABLE] = {"tidsplan", "Tidsplan og gæster"},
    [F_REC] = {"indstilling", "Indstilling"},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* A field as plain text, for comparing and showing. */
static void field_text(struct buf *b, const struct case_doc *c, enum field f)
{
    switch (f) {
    case F_TITLE: buf_puts(b, c->title ? c->title : ""); break;
    case F_ACCESS: buf_puts(b, c->public ? "Åben" : "Lukket"); break;
    case F_PUBLIC:
        if (!c->public)
            buf_printf(b, "%s\n\n%s", c->public_title ? c->public_title : "",
                       c->public_text ? c->public_text : "");
        break;
    case F_ROUTE:
        for (size_t i = 0; i < c->nroute; i++)
            buf_printf(b, "%s%s", i ? ", " : "", c->route[i]);
        break;
    case F_PRESENTATION: buf_puts(b, c->presentation ? c->presentation : ""); break;
    case F_INTRO: buf_puts(b, c->intro ? c->intro : ""); break;
    case F_TABLE:
        for (size_t i = 0; i < c->nsubitems; i++) {
            const struct subitem *s = &c->subitems[i];
            buf_printf(b, "%s%s %s", i ? "\n\n" : "", s->time ? s->time : "-",
                       s->title ? s->title : "");
            if (s->duration)
                buf_printf(b, " (%u min.)", s->duration);
            if (s->text)
                buf_printf(b, "\n%s", s->text);
            for (size_t k = 0; k < s->nguests; k++)
                buf_printf(b, "\nGæst: %s, %s, %s, %s", s->guests[k].name ? s->guests[k].name : "",
                           s->guests[k].role ? s->guests[k].role : "",
                           s->guests[k].unit ? s->guests[k].unit : "",
                           s->guests[k].email ? s->guests[k].email : "");
        }
        break;
    case F_REC: buf_puts(b, c->recommendation ? c->recommendation : ""); break;
    }
}

static bool differs(const struct case_doc *a, const struct case_doc *b, enum field f)
{
    struct buf x = BUF_INIT, y = BUF_INIT;
    field_text(&x, a, f);
    field_text(&y, b, f);
    bool d = x.len != y.len || (x.len && memcmp(x.ptr, y.ptr, x.len) != 0);
    buf_free(&x);
    buf_free(&y);
    return d;
}

static void show(struct buf *b, const struct case_doc *c, enum field f)
{
    struct buf t = BUF_INIT;
    field_text(&t, c, f);
    if (t.len)
        html_paragraphs(b, buf_cstr(&t), NULL);
    else
        buf_puts(b, "<p class=\"meta\">(tom)</p>");
    buf_free(&t);
}

static void set_str(char **dst, const char *src)
{
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

static void subitems_clear(struct case_doc *c)
{
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = &c->subitems[i];
        free(s->time);
        free(s->title);
        free(s->text);
        for (size_t k = 0; k < s->nguests; k++)
            guest_fini(&s->guests[k]);
        free(s->guests);
    }
    free(c->subitems);
    c->subitems = NULL;
    c->nsubitems = 0;
}

/* Field f of `from` into `to`. */
static void take(struct case_doc *to, const struct case_doc *from, enum field f)
{
    switch (f) {
    case F_TITLE: set_str(&to->title, from->title); break;
    case F_ACCESS: to->public = from->public; break;
    case F_PUBLIC:
        set_str(&to->public_title, from->public_title);
        set_str(&to->public_text, from->public_text);
        break;
    case F_ROUTE:
        for (size_t i = 0; i < to->nroute; i++)
            free(to->route[i]);
        free(to->route);
        to->route = NULL;
        to->nroute = 0;
        for (size_t i = 0; i < from->nroute; i++)
            *case_add_route(to) = xstrdup(from->route[i]);
        break;
    case F_PRESENTATION: set_str(&to->presentation, from->presentation); break;
    case F_INTRO: set_str(&to->intro, from->intro); break;
    case F_TABLE: {
        subitems_clear(to);
        struct case_doc *d = case_dup(from);
        to->subitems = d->subitems;
        to->nsubitems = d->nsubitems;
        to->has_table = d->has_table;
        d->subitems = NULL;
        d->nsubitems = 0;
        case_free(d);
        break;
    }
    case F_REC: set_str(&to->recommendation, from->recommendation); break;
    }
}

void ed_merge_page(const struct web_request *req, struct web_response *res, int64_t case_id,
                   const struct case_doc *mine, const char *note)
{
    struct ed_view *v = xcalloc(1, sizeof *v);
    struct store_version *hist = NULL;
    size_t nhist = 0;
    struct err e = {0};
    if (!ed_load_case(req, res, v, case_id)) {
        free(v);
        return;
    }
    store_versions(req->store, case_id, req->reader, &hist, &nhist, &e);
    const struct case_doc *theirs = v->stored;
    web_work_begin(res, "Sagen er ændret imens", "moeder");
    res->status = 409;
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Sagen er ændret, mens du skrev</h1>\n");
    if (note) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, note);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<div class=\"alert\" role=\"alert\"><p>Intet er gemt endnu. ");
    if (nhist) {
        buf_puts(b, "En anden (");
        html_text(b, hist[nhist - 1].actor ? hist[nhist - 1].actor : "?");
        buf_puts(b, ") gemte version ");
        buf_printf(b, "%d", v->version);
        buf_puts(b, " kl. ");
        html_text(b, hist[nhist - 1].imported_at ? hist[nhist - 1].imported_at : "?");
        buf_puts(b, ".");
    }
    buf_puts(b, " Vælg for hvert felt, der er forskelligt, om du tager den gemte version "
                "(deres) eller beholder din, og gem igen.</p></div>\n");
    store_versions_free(hist, nhist);
    char action[64];
    snprintf(action, sizeof action, "/arbejde/sag/%lld/flet", (long long)case_id);
    web_form_open(b, req, action, false);
    buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n", v->version);
    struct buf json = BUF_INIT;
    fmt_write(&fmt_write_json, mine, FMT_NOLAYOUT, &json);
    buf_puts(b, "<input type=\"hidden\" name=\"min\" value=\"");
    html_attr(b, buf_cstr(&json));
    buf_puts(b, "\">\n");
    buf_free(&json);
    size_t ndiff = 0;
    for (size_t f = 0; f < NFIELDS; f++) {
        bool d = differs(theirs, mine, (enum field)f);
        ndiff += d;
        buf_printf(b, "<fieldset class=\"merge%s\"><legend>", d ? " differs" : "");
        html_text(b, fields[f].label);
        buf_puts(b, d ? " <strong class=\"tag\">forskellig</strong>" : " (ens)");
        buf_puts(b, "</legend>\n");
        if (d) {
            buf_puts(b, "<div class=\"merge-cols\"><div class=\"merge-col\"><h2>Deres (gemt)"
                        "</h2>");
            show(b, theirs, (enum field)f);
            buf_puts(b, "</div><div class=\"merge-col\"><h2>Din</h2>");
            show(b, mine, (enum field)f);
            buf_puts(b, "</div></div>\n");
            buf_printf(b, "<div class=\"field check\"><input type=\"radio\" id=\"valg-%s-deres\" "
                          "name=\"valg.%s\" value=\"deres\"> <label for=\"valg-%s-deres\">Tag "
                          "deres</label></div>\n",
                       fields[f].key, fields[f].key, fields[f].key);
            buf_printf(b, "<div class=\"field check\"><input type=\"radio\" id=\"valg-%s-min\" "
                          "name=\"valg.%s\" value=\"min\" checked> <label for=\"valg-%s-min\">"
                          "Behold min</label></div>\n",
                       fields[f].key, fields[f].key, fields[f].key);
        } else {
            show(b, theirs, (enum field)f);
        }
        buf_puts(b, "</fieldset>\n");
    }
    if (!ndiff)
        buf_puts(b, "<p>Din version er den samme som den gemte.</p>\n");
    web_form_close(b, "Gem den flettede sag");
    web_page_end(res);
    ed_view_fini(v);
    free(v);
}

void page_work_case_merge_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    const char *json = web_field(req, "min"), *ver = web_field(req, "version");
    struct case_doc *mine = NULL;
    struct err e = {0};
    struct warnings w = {0};
    if (!json || !ver ||
        fmt_read(&fmt_read_json, json, strlen(json), FMT_NOLAYOUT | FMT_NOEXTRACT, &mine, &e,
                 &w) < 0) {
        warnings_fini(&w);
        web_error_page(res, 400, "Formularen mangler din version af sagen. Åbn sagen igen.");
        return;
    }
    warnings_fini(&w);
    struct ed_view *v = xcalloc(1, sizeof *v);
    if (!ed_load_case(req, res, v, id)) {
        free(v);
        case_free(mine);
        return;
    }
    /* The base is the version shown on the merge page; theirs (the fields chosen from it) is
     * the stored one, which the store checks is still that version. */
    struct case_doc *merged = case_dup(v->stored);
    for (size_t f = 0; f < NFIELDS; f++) {
        char key[48];
        snprintf(key, sizeof key, "valg.%s", fields[f].key);
        const char *c = web_field(req, key);
        if (!c || strcmp(c, "deres") != 0)
            take(merged, mine, (enum field)f);
    }
    layout_fini(&merged->layout);
    struct store_save sv = {.case_id = id, .base_version = (int)strtol(ver, NULL, 10),
                            .model = merged};
    struct store_actor a;
    web_actor(req, &a);
    int rc = store_case_save(req->store, &sv, &a, NULL, NULL, &e);
    if (rc == 0) {
        char loc[64];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld?gemt=1", (long long)id);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_CONFLICT) {
        ed_merge_page(req, res, id, merged, "Sagen blev ændret igen, mens du flettede: "
                                            "sammenlign med den nyeste version.");
    } else if (rc == ERR_DENIED) {
        web_error_page(res, 403, "Sagen kan ikke gemmes: det kræver rollen sekretær for "
                                 "organet (eller sagsbehandler for din egen kladde).");
    } else if (rc == ERR_USAGE) {
        web_error_page(res, 400, "Den flettede sag kan ikke gemmes, som den er (fx uden "
                                 "titel). Intet er gemt.");
    } else {
        web_fail(res, rc, false, NULL, &e);
    }
    case_free(merged);
    case_free(mine);
    ed_view_fini(v);
    free(v);
}
