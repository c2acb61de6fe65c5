/* page_publication: publishing the minutes in the staff area (issue 9, publication). A case's
 * levels (/arbejde/sag/ID/offentliggoerelse: the case and each bilag, a closed case's public
 * decision; a case save through store_case_save), and a meeting's publication
 * (/arbejde/moede/ID/offentliggoerelse: every problem the publish guard finds, publishing at a
 * later time or cancelling that; publishing now and afpublicer are the meeting's workflow
 * buttons). See docs/workflow.md, "Publication (issue 9)". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../format/html.h"
#include "../store/store.h"
#include "../util/clock.h"
#include "auth.h"
#include "form.h"
#include "web.h"

static const struct web_choice levels[] = {
    {"", "Efter Åben/Lukket (åben: fuld; lukket: titel, og den offentlige beslutning)"},
    {"fuld", "Fuld: hele sagen"},
    {"beslutning", "Beslutning: titel og beslutning"},
    {"titel", "Titel: kun titlen"},
    {"ingen", "Ingen: ikke offentlig"},
    {NULL, NULL},
};

static const struct web_choice bilag_levels[] = {
    {"", "Efter Åben/Lukket"},
    {"fuld", "Fuld: titel, numre og fil"},
    {"titel", "Titel: kun titlen"},
    {"ingen", "Ingen: ikke offentlig"},
    {NULL, NULL},
};

/* ---- a case's levels ---- */

struct cview {
    int64_t id;
    struct store_case_ref ref;
    struct case_doc *c;
};

static int cview_load(const struct web_request *req, struct cview *v, struct err *e)
{
    v->id = web_parse_id(req->seg[2]);
    int rc = store_case_ref_get(req->store, v->id, req->reader, &v->ref, e);
    if (rc == 0)
        rc = store_case_get(req->store, v->id, req->reader, &v->c, e);
    return rc;
}

static void cview_fini(struct cview *v)
{
    store_case_ref_fini(&v->ref);
    case_free(v->c);
}

static void render_case(const struct web_request *req, struct web_response *res,
                        const struct cview *v, struct web_errors *er, const char *notice)
{
    const struct case_doc *c = v->c;
    web_work_begin(res, "Offentliggørelse", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Offentliggørelse: ");
    html_text(b, c->title);
    buf_puts(b, "</h1>\n");
    if (notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        buf_puts(b, "</p>\n");
    }
    web_errors_summary(b, er);
    buf_printf(b, "<p class=\"lead\">Sagen er %s. Her vælges, hvad offentligheden ser af den og "
                  "af hvert bilag, når referatet er offentliggjort.</p>\n",
               c->public ? "åben" : "lukket");
    char action[64];
    snprintf(action, sizeof action, "/arbejde/sag/%lld/offentliggoerelse", (long long)v->id);
    web_form_open(b, req, action, false);
    char version[16];
    snprintf(version, sizeof version, "%d", v->ref.version);
    buf_puts(b, "<input type=\"hidden\" name=\"version\" value=\"");
    html_attr(b, version);
    buf_puts(b, "\">\n");
    const char *lv = web_field(req, "niveau");
    struct web_input in = {.name = "niveau", .label = "Sagens niveau", .type = WEB_INPUT_SELECT,
                           .value = lv ? lv : case_publication_name(c->publication),
                           .choices = levels,
                           .help = "En lukket sag offentliggøres aldrig i sin helhed."};
    web_input(b, &in, er);
    if (!c->public) {
        const char *pd = web_field(req, "offentlig_beslutning");
        struct web_input d = {.name = "offentlig_beslutning", .label = "Offentlig beslutning",
                              .type = WEB_INPUT_TEXTAREA,
                              .value = pd ? pd : c->public_decision, .rows = 4,
                              .help = "Skrevet til offentligheden: hvad der blev besluttet, "
                                      "uden det fortrolige. Kommunalbestyrelsen og dens "
                                      "udvalg skal have den, før referatet kan "
                                      "offentliggøres."};
        web_input(b, &d, er);
    }
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        char name[32], label[160];
        snprintf(name, sizeof name, "bilag-%u", a->number);
        snprintf(label, sizeof label, "Bilag %u: %s%s", a->number, a->title ? a->title : "",
                 a->public ? "" : " (lukket)");
        const char *bv = web_field(req, name);
        struct web_input bi = {.name = name, .label = label, .type = WEB_INPUT_SELECT,
                               .value = bv ? bv : case_publication_name(a->publication),
                               .choices = bilag_levels};
        web_input(b, &bi, er);
    }
    web_form_close(b, "Gem offentliggørelse");
    buf_printf(b, "<p><a href=\"/arbejde/sag/%lld\">Tilbage til sagen</a></p>\n",
               (long long)v->id);
    web_page_end(res);
}

void page_work_case_publication(const struct web_request *req, struct web_response *res)
{
    struct cview v = {0};
    struct err e = {0};
    int rc = cview_load(req, &v, &e);
    if (rc < 0)
        web_fail(res, rc, false, "Der er ingen sag med det nummer.", &e);
    else
        render_case(req, res, &v, NULL, web_arg(req, "gemt") ? "Gemt." : NULL);
    cview_fini(&v);
}

void page_work_case_publication_post(const struct web_request *req, struct web_response *res)
{
    struct cview v = {0};
    struct err e = {0};
    struct web_errors er = {0};
    int rc = cview_load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er ingen sag med det nummer.", &e);
        cview_fini(&v);
        return;
    }
    struct case_doc *c = v.c;
    if (!case_publication_parse(web_field(req, "niveau"), &c->publication))
        web_errors_add(&er, "niveau", "Sagens niveau",
                       "vælg fuld, beslutning, titel, ingen eller efter Åben/Lukket");
    const char *pd = web_field(req, "offentlig_beslutning");
    if (!c->public) {
        free(c->public_decision);
        c->public_decision = pd && *pd ? xstrdup(pd) : NULL;
    }
    for (size_t i = 0; i < c->nattachments; i++) {
        char name[32], label[32];
        snprintf(name, sizeof name, "bilag-%u", c->attachments[i].number);
        snprintf(label, sizeof label, "Bilag %u", c->attachments[i].number);
        enum case_publication p;
        if (!case_publication_parse(web_field(req, name), &p) || p == PUB_DECISION)
            web_errors_add(&er, name, label, "vælg fuld, titel, ingen eller efter Åben/Lukket");
        else
            c->attachments[i].publication = p;
    }
    if (er.n) {
        render_case(req, res, &v, &er, NULL);
        res->status = 400;
        cview_fini(&v);
        return;
    }
    const char *version = web_field(req, "version");
    struct store_save sv = {.case_id = v.id, .base_version = version ? atoi(version) : 0,
                            .model = c};
    struct store_actor a;
    web_actor(req, &a);
    rc = store_case_save(req->store, &sv, &a, NULL, NULL, &e);
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld/offentliggoerelse?gemt=1", (long long)v.id);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_DB || rc == ERR_NOTFOUND) {
        web_fail(res, rc, false, NULL, &e);
    } else {
        /* The store's messages name no closed text. */
        web_errors_add(&er, rc == ERR_CONFLICT ? "version" : "niveau", "Sagen", "%s", e.msg);
        render_case(req, res, &v, &er, NULL);
        res->status = rc == ERR_USAGE ? 400 : 409;
    }
    cview_fini(&v);
}

/* ---- a meeting's publication ---- */

struct mview {
    int64_t id;
    struct store_meeting m;
    bool have;
    struct store_meeting_publication p;
    struct store_publish_problem *problems;
    size_t nproblems;
};

static int mview_load(const struct web_request *req, struct mview *v, struct err *e)
{
    v->id = web_parse_id(req->seg[2]);
    int rc = store_meeting_get(req->store, v->id, req->reader, &v->m, e);
    v->have = rc == 0;
    if (rc == 0)
        rc = store_meeting_publication_get(req->store, v->id, req->reader, &v->p, e);
    if (rc == 0)
        rc = store_meeting_publish_check(req->store, v->id, req->reader, &v->problems,
                                         &v->nproblems, e);
    return rc;
}

static void mview_fini(struct mview *v)
{
    if (v->have)
        store_meeting_fini(&v->m);
    store_meeting_publication_fini(&v->p);
    store_publish_problems_free(v->problems, v->nproblems);
}

static void render_meeting(const struct web_request *req, struct web_response *res,
                           const struct mview *v, struct web_errors *er, const char *notice)
{
    web_work_begin(res, "Offentliggørelse af referatet", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Offentliggørelse: ");
    html_text(b, v->m.body_name ? v->m.body_name : v->m.body);
    buf_puts(b, ", møde ");
    web_date_long(b, v->m.date);
    buf_puts(b, "</h1>\n");
    if (notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        buf_puts(b, "</p>\n");
    }
    web_errors_summary(b, er);
    buf_puts(b, "<p>Mødets tilstand: <strong>");
    html_text(b, v->m.state);
    buf_puts(b, "</strong>.");
    if (v->p.minutes_published_at) {
        buf_puts(b, " Referatet blev offentliggjort ");
        html_text(b, v->p.minutes_published_at);
        buf_puts(b, " (UTC).");
    }
    buf_puts(b, "</p>\n");
    if (v->p.publish_at) {
        buf_puts(b, "<p>Referatet offentliggøres ");
        html_text(b, v->p.publish_at);
        buf_puts(b, " (UTC).</p>\n");
    }
    if (v->p.publish_error) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">Den planlagte offentliggørelse blev "
                    "afvist: ");
        html_text(b, v->p.publish_error);
        buf_puts(b, " Ret sagerne, og planlæg igen.</p>\n");
    }
    buf_puts(b, "<h2 id=\"problemer\">Kontrol før offentliggørelse</h2>\n");
    if (!v->nproblems) {
        buf_puts(b, "<p>Kontrollen finder intet: referatet kan offentliggøres.</p>\n");
    } else {
        buf_printf(b, "<p>%zu %s skal rettes, før referatet kan offentliggøres. Intet "
                      "offentliggøres halvt.</p>\n<ul class=\"list\" "
                      "aria-labelledby=\"problemer\">\n",
                   v->nproblems, v->nproblems == 1 ? "problem" : "problemer");
        for (size_t i = 0; i < v->nproblems; i++) {
            const struct store_publish_problem *x = &v->problems[i];
            buf_printf(b, "<li>Punkt %d (<a href=\"/arbejde/sag/%lld\">sag %lld</a>, ",
                       x->position, (long long)x->case_id, (long long)x->case_id);
            html_text(b, x->title);
            buf_puts(b, "): ");
            html_text(b, x->rule);
            buf_puts(b, " i ");
            html_text(b, x->field);
            buf_printf(b, ", linje %u, kolonne %u</li>\n", x->line, x->col);
        }
        buf_puts(b, "</ul>\n");
    }
    if (v->m.state && strcmp(v->m.state, "referat_godkendt") == 0 &&
        reader_roles(req->reader, v->m.body_id) & ROLE_SEKRETAER) {
        char action[80], version[16];
        snprintf(action, sizeof action, "/arbejde/moede/%lld/offentliggoerelse",
                 (long long)v->id);
        snprintf(version, sizeof version, "%d", v->m.version);
        buf_puts(b, "<h2>Offentliggør senere</h2>\n");
        web_form_open(b, req, action, false);
        buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"handling\" value=\"planlaeg\">\n", version);
        struct web_input d = {.name = "dato", .label = "Dato", .type = WEB_INPUT_DATE,
                              .value = web_field(req, "dato"), .required = true};
        struct web_input t = {.name = "tid", .label = "Klokkeslæt", .type = WEB_INPUT_TIME,
                              .value = web_field(req, "tid"), .required = true,
                              .help = "Serverens lokale tid."};
        web_input(b, &d, er);
        web_input(b, &t, er);
        web_form_close(b, "Planlæg offentliggørelsen");
        if (v->p.publish_at) {
            web_form_open(b, req, action, false);
            buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%s\">"
                          "<input type=\"hidden\" name=\"handling\" value=\"annuller\">\n",
                       version);
            web_form_close(b, "Annullér den planlagte offentliggørelse");
        }
    }
    buf_printf(b, "<p>Offentliggør nu og afpublicér med mødets knapper: <a "
                  "href=\"/arbejde/moede/%lld\">Til mødet</a></p>\n", (long long)v->id);
    web_page_end(res);
}

void page_work_meeting_publication(const struct web_request *req, struct web_response *res)
{
    struct mview v = {0};
    struct err e = {0};
    int rc = mview_load(req, &v, &e);
    if (rc < 0)
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
    else
        render_meeting(req, res, &v, NULL, web_arg(req, "gemt") ? "Gemt." : NULL);
    mview_fini(&v);
}

/* The local date and time the form gives as UTC "YYYY-MM-DDTHH:MM:SSZ"; false when they are
 * not a time that exists. */
static bool local_to_utc(const char *date, const char *time_hm, char out[21])
{
    struct tm tm = {0};
    int y, mo, d, h, mi;
    if (!date || !time_hm || !web_is_date(date) || strlen(time_hm) != 5 ||
        sscanf(date, "%d-%d-%d", &y, &mo, &d) != 3 || sscanf(time_hm, "%d:%d", &h, &mi) != 2 ||
        h < 0 || h > 23 || mi < 0 || mi > 59)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    clock_format(t, out);
    return true;
}

void page_work_meeting_publication_post(const struct web_request *req, struct web_response *res)
{
    const char *action = web_field(req, "handling"), *version = web_field(req, "version");
    struct web_errors er = {0};
    struct err e = {0};
    struct store_actor a;
    web_actor(req, &a);
    int64_t id = web_parse_id(req->seg[2]);
    int rc = ERR_USAGE;
    char at[21];
    if (action && strcmp(action, "planlaeg") == 0) {
        if (!local_to_utc(web_field(req, "dato"), web_field(req, "tid"), at)) {
            web_errors_add(&er, "dato", "Dato", "skriv en dato og et klokkeslæt, der findes "
                                                "(ÅÅÅÅ-MM-DD og TT:MM)");
        } else if ((rc = store_meeting_publish_at(req->store, id, version ? atoi(version) : 0,
                                                  at, &a, &e)) < 0) {
            web_errors_add(&er, rc == ERR_USAGE ? "dato" : "version", "Offentliggørelse",
                           "%s", e.msg);
        }
    } else if (action && strcmp(action, "annuller") == 0) {
        if ((rc = store_meeting_publish_at(req->store, id, version ? atoi(version) : 0, NULL,
                                           &a, &e)) < 0)
            web_errors_add(&er, "version", "Offentliggørelse", "%s", e.msg);
    } else {
        web_errors_add(&er, "handling", "Handling", "vælg planlæg eller annullér");
    }
    if (rc == 0 && !er.n) {
        char loc[80];
        snprintf(loc, sizeof loc, "/arbejde/moede/%lld/offentliggoerelse?gemt=1", (long long)id);
        web_redirect(res, 303, loc);
        return;
    }
    if (rc == ERR_DB || rc == ERR_NOTFOUND || rc == ERR_DENIED) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    struct mview v = {0};
    struct err le = {0};
    if (mview_load(req, &v, &le) < 0) {
        web_fail(res, ERR_DB, false, NULL, &le);
    } else {
        render_meeting(req, res, &v, &er, NULL);
        res->status = rc == ERR_CONFLICT ? 409 : 400;
    }
    mview_fini(&v);
}
