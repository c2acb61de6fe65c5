/* page_work_meeting: a meeting in the staff area (issue 8): create (/arbejde/moede/ny), the
 * meeting's page with its agenda and time plan (/arbejde/moede/ID), edit and move (.../ret),
 * its workflow steps (.../handling: frigiv, aflys with a reason, ...), the agenda's order
 * (.../flyt), postponing a case to a later meeting (.../udsaet) and the proforma preview
 * (.../proforma), which changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/timetable.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/date.h"
#include "auth.h"
#include "form.h"
#include "web.h"

static const char *label_of(const struct wf_machine *m, const char *state)
{
    int k = state ? wf_state_parse(m, state) : -1;
    return k >= 0 ? wf_state_label(m, k) : (state ? state : "Indlæst");
}

/* "10:30" or the Danish "10.30" as "10:30"; false for anything else. */
static bool norm_time(const char *in, char out[6])
{
    int t = tt_parse(in);
    if (t < 0)
        return false;
    snprintf(out, 6, "%02d:%02d", (t / 60) % 100, t % 60);
    return true;
}

static void meeting_url(struct buf *b, int64_t id, const char *tail)
{
    buf_printf(b, "/arbejde/moede/%lld%s", (long long)id, tail ? tail : "");
}

/* ---- the form of a meeting: body, date, start, end, place ---- */

struct mform {
    const char *body, *date, *start, *end, *place;
    char start_n[6], end_n[6];
    int version;
    struct web_errors er;
    const char *alert; /* a refusal of the whole save (stale version, locked meeting) */
    char *owned[5];    /* defaults read from the body's settings */
};

static void mform_fini(struct mform *f)
{
    for (size_t i = 0; i < 5; i++)
        free(f->owned[i]);
}

/* "dddd-dd-dd": the shape of an ISO date (whether the day exists is util/date's). */
static bool iso_shape(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (!s[i] || ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9')))
            return false;
    return s[10] == '\0';
}

/* Checks every field at its field, as the store would refuse them, before anything is
 * saved. */
static void mform_parse(const struct web_request *req, struct mform *f, bool is_new)
{
    f->body = web_field(req, "organ");
    f->date = web_field(req, "dato");
    f->start = web_field(req, "start");
    f->end = web_field(req, "slut");
    f->place = web_field(req, "sted");
    const char *v = web_field(req, "version");
    f->version = v ? atoi(v) : 0;
    int y, m, d;
    if (is_new && (!f->body || !*f->body))
        web_errors_add(&f->er, "organ", "Udvalg", "Vælg det udvalg, mødet hører til.");
    if (!f->date || !*f->date)
        web_errors_add(&f->er, "dato", "Dato", "Skriv mødets dato, fx 2026-12-20.");
    else if (!iso_shape(f->date))
        web_errors_add(&f->er, "dato", "Dato", "Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-12-20.");
    else if (date_parse_iso(f->date, &y, &m, &d) != 0)
        web_errors_add(&f->er, "dato", "Dato", "Datoen %s findes ikke i kalenderen.", f->date);
    bool start_ok = !f->start || !*f->start || norm_time(f->start, f->start_n);
    bool end_ok = !f->end || !*f->end || norm_time(f->end, f->end_n);
    if (!start_ok)
        web_errors_add(&f->er, "start", "Start",
                       "Klokkeslættet findes ikke: skriv fx 09:00 (fra 00:00 til 23:59).");
    if (!end_ok)
        web_errors_add(&f->er, "slut", "Slut",
                       "Klokkeslættet findes ikke: skriv fx 12:00 (fra 00:00 til 23:59).");
    if (start_ok && end_ok && f->start_n[0] && f->end_n[0] &&
        strcmp(f->end_n, f->start_n) <= 0)
        web_errors_add(&f->er, "slut", "Slut", "Mødet skal slutte efter det begynder (kl. %s).",
                       f->start_n);
    if (f->end_n[0] && !f->start_n[0] && end_ok)
        web_errors_add(&f->er, "start", "Start", "Skriv også, hvornår mødet begynder.");
    if (f->place && (strlen(f->place) > 200 || strpbrk(f->place, "\r\n\t")))
        web_errors_add(&f->er, "sted", "Sted", "Skriv stedet på én linje (højst 200 tegn).");
}

/* The bodies the person is sekretær of, as choices (text keeps the strings). */
static size_t sekr_bodies(const struct web_request *req, struct store_account *acc,
                          struct web_choice *v, size_t max)
{
    size_t n = 0;
    struct err e = {0};
    if (!req->store || store_account_get_id(req->store, req->session->account_id, acc, &e) < 0)
        return 0;
    for (size_t i = 0; i < acc->ngrants && n + 1 < max; i++)
        if (acc->grants[i].role == ROLE_SEKRETAER) {
            v[n].value = acc->grants[i].body;
            v[n].label = acc->grants[i].body_name ? acc->grants[i].body_name : acc->grants[i].body;
            n++;
        }
    v[n].value = v[n].label = NULL;
    return n;
}

static void mform_render(const struct web_request *req, struct web_response *res,
                         struct mform *f, int64_t id, const struct web_choice *bodies)
{
    web_work_begin(res, id ? "Ret mødet" : "Nyt møde", "moeder");
    struct buf *b = &res->body, action = BUF_INIT;
    buf_puts(b, id ? "<h1>Ret eller flyt mødet</h1>\n" : "<h1>Nyt møde</h1>\n");
    if (!id)
        buf_puts(b, "<p class=\"lead\">Start, slut og sted foreslås fra udvalgets "
                    "indstillinger. Udvalgets faste punkter kommer på dagsordenen.</p>\n");
    if (f->alert) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">");
        html_text(b, f->alert);
        buf_puts(b, "</p>\n");
    }
    web_errors_summary(b, &f->er);
    if (id)
        meeting_url(&action, id, "/ret");
    else
        buf_puts(&action, "/arbejde/moede/ny");
    web_form_open(b, req, buf_cstr(&action), false);
    buf_free(&action);
    if (id) {
        buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n", f->version);
    } else {
        web_input(b, &(struct web_input){.name = "organ", .label = "Udvalg",
                                         .type = WEB_INPUT_SELECT, .value = f->body,
                                         .choices = bodies, .required = true}, &f->er);
    }
    web_input(b, &(struct web_input){.name = "dato", .label = "Dato", .type = WEB_INPUT_DATE,
                                     .value = f->date, .required = true,
                                     .help = "ÅÅÅÅ-MM-DD, fx 2026-12-20."}, &f->er);
    web_input(b, &(struct web_input){.name = "start", .label = "Start", .type = WEB_INPUT_TIME,
                                     .value = f->start, .help = "Fx 09:00."}, &f->er);
    web_input(b, &(struct web_input){.name = "slut", .label = "Slut", .type = WEB_INPUT_TIME,
                                     .value = f->end, .help = "Fx 12:00."}, &f->er);
    web_input(b, &(struct web_input){.name = "sted", .label = "Sted", .type = WEB_INPUT_TEXT,
                                     .value = f->place,
                                     .help = "Fx Rådhuset, mødelokale 1."}, &f->er);
    web_form_close(b, id ? "Gem mødet" : "Opret mødet");
    web_page_end(res);
}

/* A store refusal of the form as a whole, or at the field its message names. */
static void mform_refused(struct mform *f, int rc, const struct err *e)
{
    if (rc == ERR_USAGE || rc == ERR_SYNTAX) {
        static const struct {
            const char *prefix, *field, *label;
        } at[] = {{"dato", "dato", "Dato"}, {"start", "start", "Start"},
                  {"slut", "slut", "Slut"}, {"organ", "organ", "Udvalg"}};
        for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
            if (strncmp(e->msg, at[i].prefix, strlen(at[i].prefix)) == 0) {
                web_errors_add(&f->er, at[i].field, at[i].label, "%s", e->msg);
                return;
            }
        web_errors_add(&f->er, "dato", "Dato", "%s", e->msg);
    } else if (rc == ERR_CONFLICT) {
        f->alert = "Mødet er blevet ændret af en anden, siden du åbnede det. Intet er gemt: "
                   "åbn mødet igen, og ret det på ny.";
    } else if (rc == ERR_DENIED) {
        f->alert = "Mødet kan ikke ændres: det er afholdt eller aflyst, eller du er ikke "
                   "sekretær for udvalget. Intet er gemt.";
    }
}

void page_work_meeting_new(const struct web_request *req, struct web_response *res)
{
    struct store_account acc = {0};
    struct web_choice bodies[33];
    struct mform f = {0};
    size_t n = sekr_bodies(req, &acc, bodies, 33);
    const char *organ = web_arg(req, "organ");
    f.body = organ ? organ : n ? bodies[0].value : NULL;
    /* The body's defaults. */
    struct err e = {0};
    if (req->store && f.body &&
        store_body_setting_get(req->store, f.body, "meeting.start", &f.owned[0], &e) == 0 &&
        store_body_setting_get(req->store, f.body, "meeting.end", &f.owned[1], &e) == 0 &&
        store_body_setting_get(req->store, f.body, "meeting.place", &f.owned[2], &e) == 0) {
        f.start = f.owned[0];
        f.end = f.owned[1];
        f.place = f.owned[2];
    }
    if (n == 0) {
        web_work_begin(res, "Nyt møde", "moeder");
        buf_puts(&res->body, "<h1>Nyt møde</h1>\n<p>Kun et udvalgs sekretær kan oprette dets "
                             "møder, og du er ikke sekretær for noget udvalg.</p>\n");
        web_page_end(res);
    } else {
        mform_render(req, res, &f, 0, bodies);
    }
    mform_fini(&f);
    store_account_fini(&acc);
}

void page_work_meeting_new_post(const struct web_request *req, struct web_response *res)
{
    struct store_account acc = {0};
    struct web_choice bodies[33];
    struct mform f = {0};
    sekr_bodies(req, &acc, bodies, 33);
    mform_parse(req, &f, true);
    if (f.er.n == 0) {
        struct store_meeting_save ms = {.body = f.body, .date = f.date,
                                        .start = f.start_n[0] ? f.start_n : NULL,
                                        .end = f.end_n[0] ? f.end_n : NULL,
                                        .place = f.place && *f.place ? f.place : NULL};
        struct store_actor a;
        struct err e = {0};
        int64_t id = 0;
        web_actor(req, &a);
        int rc = store_meeting_save(req->store, &ms, &a, &id, NULL, &e);
        if (rc == 0) {
            struct buf loc = BUF_INIT;
            meeting_url(&loc, id, "?gemt=1");
            web_redirect(res, 303, buf_cstr(&loc));
            buf_free(&loc);
            goto done;
        }
        if (rc == ERR_DENIED || rc == ERR_NOTFOUND)
            web_errors_add(&f.er, "organ", "Udvalg", "Du kan kun oprette møder for et udvalg, "
                           "du er sekretær for.");
        else if (rc == ERR_DB) {
            web_fail(res, rc, false, NULL, &e);
            goto done;
        } else
            mform_refused(&f, rc, &e);
    }
    mform_render(req, res, &f, 0, bodies);
    res->status = 400;
done:
    mform_fini(&f);
    store_account_fini(&acc);
}

static bool load_meeting(const struct web_request *req, struct web_response *res,
                         struct store_meeting *m)
{
    struct err e = {0};
    int64_t id = web_parse_id(req->seg[2]);
    int rc = id && req->store ? store_meeting_get(req->store, id, req->reader, m, &e)
                              : ERR_NOTFOUND;
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        return false;
    }
    return true;
}

void page_work_meeting_edit(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    if (!load_meeting(req, res, &m))
        return;
    struct mform f = {.date = m.date, .start = m.start, .end = m.end, .place = m.place,
                      .version = m.version};
    int st = wf_state_parse(&wf_meeting, m.state);
    if (!m.authored || (st != WF_MEETING_PLANLAGT && st != WF_MEETING_DAGSORDEN_FRIGIVET))
        f.alert = "Mødet kan ikke længere ændres: kun et planlagt møde eller et, hvis dagsorden "
                  "er frigivet, kan rettes eller flyttes.";
    mform_render(req, res, &f, m.id, NULL);
    store_meeting_fini(&m);
}

void page_work_meeting_edit_post(const struct web_request *req, struct web_response *res)
{
    struct store_meeting m = {0};
    if (!load_meeting(req, res, &m))
        return;
    struct mform f = {0};
    mform_parse(req, &f, false);
    if (f.er.n == 0) {
        struct store_meeting_save ms = {.id = m.id, .base_version = f.version, .date = f.date,
                                        .start = f.start_n[0] ? f.start_n : NULL,
                                        .end = f.end_n[0] ? f.end_n : NULL,
                                        .place = f.place && *f.place ? f.place : NULL};
        struct store_actor a;
        struct err e = {0};
        web_actor(req, &a);
        int rc = store_meeting_save(req->store, &ms, &a, NULL, NULL, &e);
        if (rc == 0) {
            struct buf loc = BUF_INIT;
            meeting_url(&loc, m.id, "?gemt=1");
            web_redirect(res, 303, buf_cstr(&loc));
            buf_free(&loc);
            store_meeting_fini(&m);
            return;
        }
        if (rc == ERR_DB) {
            web_fail(res, rc, false, NULL, &e);
            store_meeting_fini(&m);
            return;
        }
        mform_refused(&f, rc, &e);
        mform_render(req, res, &f, m.id, NULL);
        res->status = rc == ERR_CONFLICT || rc == ERR_DENIED ? 409 : 400;
        store_meeting_fini(&m);
        return;
    }
    mform_render(req, res, &f, m.id, NULL);
    res->status = 400;
    store_meeting_fini(&m);
}

/* ---- the meeting's page ---- */

struct mview {
    struct store_meeting m;
    struct store_agenda_item *items;
    size_t nitems;
    struct case_doc **docs;
    struct store_meeting *later; /* later meetings a case can be postponed to */
    size_t nlater;
    int roles;
};

static void mview_fini(struct mview *v)
{
    for (size_t i = 0; v->docs && i < v->nitems; i++)
        case_free(v->docs[i]);
    free(v->docs);
    store_agenda_free(v->items, v->nitems);
    store_meetings_free(v->later, v->nlater);
    store_meeting_fini(&v->m);
}

static int mview_load(const struct web_request *req, struct mview *v, struct err *e)
{
    int64_t id = web_parse_id(req->seg[2]);
    int rc = store_meeting_get(req->store, id, req->reader, &v->m, e);
    if (rc == 0)
        rc = store_agenda(req->store, id, req->reader, &v->items, &v->nitems, e);
    if (rc < 0)
        return rc;
    v->roles = reader_roles(req->reader, v->m.body_id);
    v->docs = xcalloc(v->nitems + 1, sizeof *v->docs);
    for (size_t i = 0; i < v->nitems; i++)
        if (v->items[i].ref.visible &&
            store_case_get(req->store, v->items[i].ref.id, req->reader, &v->docs[i], e) < 0)
            v->docs[i] = NULL;
    struct store_meeting *all = NULL;
    size_t n = 0;
    struct store_page pg = {0, 100};
    if (store_meetings(req->store, v->m.body, 0, req->reader, &pg, &all, &n, NULL, e) == 0) {
        v->later = xcalloc(n + 1, sizeof *v->later);
        for (size_t i = 0; i < n; i++) {
            int st = wf_state_parse(&wf_meeting, all[i].state);
            if (all[i].authored && all[i].date && v->m.date && strcmp(all[i].date, v->m.date) > 0 &&
                (st == WF_MEETING_PLANLAGT || st == WF_MEETING_DAGSORDEN_FRIGIVET)) {
                v->later[v->nlater++] = all[i];
                memset(&all[i], 0, sizeof all[i]);
            }
        }
        store_meetings_free(all, n);
    }
    return 0;
}

static void tags(struct buf *b, const struct store_agenda_item *it)
{
    if (!it->ref.public)
        buf_puts(b, " <span class=\"tag closed\">Lukket</span>");
    if (it->supplement)
        buf_puts(b, " <span class=\"tag supplement\">Tillægsdagsorden</span>");
    if (it->late)
        buf_puts(b, " <span class=\"tag late\">Efter fristen</span>");
}

/* The time plan: every case's sub-items in agenda order from the meeting's start. */
static void timetable(struct buf *b, const struct mview *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nitems; i++)
        n += v->docs[i] ? v->docs[i]->nsubitems : 0;
    if (!n) {
        buf_puts(b, "<p>Ingen af sagerne har punkter i tidsplanen endnu.</p>\n");
        return;
    }
    struct tt_slot *slots = xcalloc(n, sizeof *slots);
    size_t k = 0;
    for (size_t i = 0; i < v->nitems; i++)
        for (size_t j = 0; v->docs[i] && j < v->docs[i]->nsubitems; j++, k++) {
            const struct subitem *s = &v->docs[i]->subitems[j];
            slots[k].given_start = s->time ? tt_parse(s->time) : TT_NONE;
            slots[k].duration = s->duration > 0 ? (unsigned)s->duration : 0;
        }
    struct timetable t = {v->m.start ? tt_parse(v->m.start) : TT_NONE,
                          v->m.end ? tt_parse(v->m.end) : TT_NONE, slots, n};
    tt_compute(&t);
    buf_puts(b, "<div class=\"scroll\"><table>\n<caption class=\"vh\">Tidsplan</caption>\n"
                "<thead><tr><th scope=\"col\" class=\"time\">Tid</th><th scope=\"col\">Punkt"
                "</th><th scope=\"col\">Bemærkning</th></tr></thead>\n<tbody>\n");
    k = 0;
    for (size_t i = 0; i < v->nitems; i++)
        for (size_t j = 0; v->docs[i] && j < v->docs[i]->nsubitems; j++, k++) {
            char from[6], to[6];
            tt_format(slots[k].start, from);
            tt_format(slots[k].end, to);
            buf_puts(b, "<tr><td class=\"time\">");
            html_text(b, from);
            if (to[0]) {
                buf_puts(b, "–");
                html_text(b, to);
            }
            buf_printf(b, "</td><td>%u.%zu ", v->items[i].number, j + 1);
            const char *title = v->docs[i]->subitems[j].title;
            html_text(b, title && *title ? title : "(uden titel)");
            buf_puts(b, "</td><td>");
            bool first = true;
            for (unsigned bit = 1; bit <= TT_UNKNOWN; bit <<= 1)
                if (slots[k].problems & bit) {
                    buf_puts(b, first ? "" : "; ");
                    html_text(b, tt_problem_label(bit));
                    first = false;
                }
            buf_puts(b, "</td></tr>\n");
        }
    buf_puts(b, "</tbody>\n</table></div>\n");
    free(slots);
}

/* The meeting page's small forms (a step, a move, udsæt), side by side. */
static void small_form(struct buf *b, const struct web_request *req, int64_t mid,
                       const char *tail)
{
    struct buf action = BUF_INIT;
    meeting_url(&action, mid, tail);
    buf_puts(b, "<div class=\"inline\">");
    web_form_open(b, req, buf_cstr(&action), false);
    buf_free(&action);
}

static void small_form_close(struct buf *b, const char *label)
{
    web_form_close(b, label);
    buf_puts(b, "</div>\n");
}

static void render_meeting(const struct web_request *req, struct web_response *res,
                           struct mview *v, const char *alert, bool saved)
{
    const struct store_meeting *m = &v->m;
    const char *bname = m->body_name ? m->body_name : m->body;
    bool sekr = (v->roles & ROLE_SEKRETAER) != 0;
    int st = wf_state_parse(&wf_meeting, m->state);
    bool planned = m->authored && st == WF_MEETING_PLANLAGT;
    struct buf title = BUF_INIT;
    buf_printf(&title, "%s, møde %s", bname, m->date ? m->date : "");
    web_work_begin(res, buf_cstr(&title), "moeder");
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>");
    html_text(b, bname);
    buf_puts(b, ": ");
    if (m->number)
        buf_printf(b, "møde %u, ", m->number);
    web_date_long(b, m->date);
    buf_puts(b, "</h1>\n");
    if (saved)
        buf_puts(b, "<p class=\"notice\" role=\"status\">Ændringen er gemt.</p>\n");
    if (alert) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">");
        html_text(b, alert);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<dl class=\"facts\"><dt>Status</dt><dd>");
    html_text(b, label_of(&wf_meeting, m->state));
    buf_puts(b, "</dd><dt>Tid</dt><dd>");
    if (m->start) {
        buf_puts(b, "kl. ");
        html_text(b, m->start);
        if (m->end) {
            buf_puts(b, "–");
            html_text(b, m->end);
        }
    } else {
        buf_puts(b, "ikke fastsat");
    }
    buf_puts(b, "</dd><dt>Sted</dt><dd>");
    html_text(b, m->place ? m->place : "ikke fastsat");
    buf_puts(b, "</dd>");
    if (m->cancel_reason) {
        buf_puts(b, "<dt>Aflyst, fordi</dt><dd>");
        html_text(b, m->cancel_reason);
        buf_puts(b, "</dd>");
    }
    buf_puts(b, "</dl>\n<ul class=\"actions\">");
    if (sekr && m->authored &&
        (st == WF_MEETING_PLANLAGT || st == WF_MEETING_DAGSORDEN_FRIGIVET)) {
        buf_puts(b, "<li><a href=\"");
        meeting_url(b, m->id, "/ret");
        buf_puts(b, "\">Ret eller flyt mødet</a></li>");
    }
    buf_puts(b, "<li><a href=\"");
    meeting_url(b, m->id, "/proforma");
    buf_puts(b, "\">Prøvetryk (proforma)</a></li><li><a href=\"");
    meeting_url(b, m->id, "/historik");
    buf_printf(b, "\">Historik</a></li><li><a href=\"/moede/%lld\">Mødet på portalen</a></li>",
               (long long)m->id);
    /* invitations (issue 8) */
    buf_puts(b, "<li><a href=\"");
    meeting_url(b, m->id, "/invitationer");
    buf_puts(b, "\">Gæsternes invitationer</a></li>");
    buf_printf(b, "<li><a href=\"/arbejde/moede/%lld/offentliggoerelse\">Offentliggørelse af "
                  "referatet</a></li>", (long long)m->id); /* issue 9, publication */
    buf_printf(b, "<li><a href=\"/arbejde/moede/%lld/referat\">Referat og godkendelse</a></li>",
               (long long)m->id); /* ---- issue 9, minutes ---- */
    /* ---- issue 9, live: the live view (from the released agenda on) and the attendance */
    if (m->authored && st >= WF_MEETING_DAGSORDEN_FRIGIVET && st != WF_MEETING_AFLYST) {
        buf_puts(b, "<li><a href=\"");
        meeting_url(b, m->id, "/live");
        buf_puts(b, "\">Live-visning af mødet</a></li>");
    }
    if (sekr && m->authored && st != WF_MEETING_AFLYST) {
        buf_puts(b, "<li><a href=\"");
        meeting_url(b, m->id, "/fremmoede");
        buf_puts(b, "\">Fremmøde</a></li>");
    }
    /* ---- end issue 9, live ---- */
    if (sekr) {
        buf_puts(b, "<li><a href=\"/arbejde/organ/");
        web_url(b, m->body);
        buf_puts(b, "/indstillinger\">Udvalgets indstillinger</a></li>");
    }
    buf_puts(b, "</ul>\n");

    /* The workflow's steps this person may take. */
    const struct wf_row *rows[16];
    struct wf_actor who = {.roles = v->roles};
    size_t nrows = m->authored && st >= 0 ? wf_actions(&wf_meeting, st, &who, rows, 16) : 0;
    if (nrows) {
        buf_puts(b, "<h2 id=\"handlinger\">Handlinger</h2>\n");
        for (size_t i = 0; i < nrows && i < 16; i++) {
            const char *name = wf_action_name(&wf_meeting, rows[i]->action);
            small_form(b, req, m->id, "/handling");
            buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">"
                          "<input type=\"hidden\" name=\"handling\" value=\"%s\">",
                       m->version, name);
            if (rows[i]->flags & WF_REASON) {
                char field[64];
                snprintf(field, sizeof field, "grund-%s", name);
                web_input(b, &(struct web_input){.name = field, .label = "Begrundelse",
                                                 .type = WEB_INPUT_TEXT, .required = true,
                                                 .help = strcmp(name, "aflys") == 0
                                                             ? "Vises på portalen."
                                                             : NULL}, NULL);
            }
            small_form_close(b, wf_action_label(&wf_meeting, rows[i]->action));
        }
    }

    buf_puts(b, "<h2 id=\"dagsorden\">Dagsorden</h2>\n");
    if (st >= WF_MEETING_DAGSORDEN_FRIGIVET && st != WF_MEETING_AFLYST)
        buf_puts(b, "<p class=\"meta\">Dagsordenen er frigivet og låst. Sager, der kommer på nu, "
                    "står på tillægsdagsordenen.</p>\n");
    if (!v->nitems)
        buf_puts(b, "<p>Der er ingen sager på dagsordenen endnu.</p>\n");
    else
        buf_puts(b, "<ol class=\"list agenda\" aria-labelledby=\"dagsorden\">\n");
    for (size_t i = 0; i < v->nitems; i++) {
        const struct store_agenda_item *it = &v->items[i];
        buf_printf(b, "<li id=\"punkt-%u\">", it->number);
        web_case_link(b, it->ref.id, it->ref.title, true);
        tags(b, it);
        buf_puts(b, "<br><span class=\"meta\">");
        html_text(b, label_of(&wf_case, it->ref.state));
        if (v->docs[i] && v->docs[i]->nsubitems)
            buf_printf(b, " · %zu %s", v->docs[i]->nsubitems,
                       v->docs[i]->nsubitems == 1 ? "punkt" : "punkter");
        if (it->postponed_to) {
            buf_printf(b, " · Udsat til <a href=\"/arbejde/moede/%lld\">mødet ",
                       (long long)it->postponed_to);
            web_date_long(b, it->postponed_date);
            buf_puts(b, "</a>");
        }
        buf_puts(b, "</span>");
        if (sekr && planned && v->nitems > 1) {
            for (int dir = 0; dir < 2; dir++) {
                if ((dir == 0 && i == 0) || (dir == 1 && i + 1 == v->nitems))
                    continue;
                small_form(b, req, m->id, "/flyt");
                buf_printf(b, "<input type=\"hidden\" name=\"sag\" value=\"%lld\">"
                              "<input type=\"hidden\" name=\"retning\" value=\"%s\">"
                              "<button type=\"submit\">Flyt <span class=\"vh\">punkt %u "
                              "</span>%s</button>",
                           (long long)it->ref.id, dir ? "ned" : "op", it->number,
                           dir ? "ned" : "op");
                small_form_close(b, NULL);
            }
        }
        if (sekr && m->authored && !it->postponed_to && v->nlater &&
            st != WF_MEETING_AFLYST && st < WF_MEETING_REFERAT_GODKENDT) {
            small_form(b, req, m->id, "/udsaet");
            buf_printf(b, "<input type=\"hidden\" name=\"sag\" value=\"%lld\">",
                       (long long)it->ref.id);
            char field[32];
            snprintf(field, sizeof field, "til-%lld", (long long)it->ref.id);
            struct web_choice *ch = xcalloc(v->nlater + 1, sizeof *ch);
            struct buf text = BUF_INIT;
            size_t *at = xcalloc(v->nlater + 1, sizeof *at);
            for (size_t k = 0; k < v->nlater; k++) {
                at[k] = text.len;
                buf_printf(&text, "%lld", (long long)v->later[k].id);
                buf_putc(&text, '\0');
            }
            for (size_t k = 0; k < v->nlater; k++) {
                ch[k].value = text.ptr + at[k];
                ch[k].label = v->later[k].date;
            }
            char label[64];
            snprintf(label, sizeof label, "Udsæt punkt %u til mødet", it->number);
            web_input(b, &(struct web_input){.name = field, .label = label,
                                             .type = WEB_INPUT_SELECT, .choices = ch}, NULL);
            small_form_close(b, "Udsæt");
            free(ch);
            free(at);
            buf_free(&text);
        }
        buf_puts(b, "</li>\n");
    }
    if (v->nitems)
        buf_puts(b, "</ol>\n");
    web_agenda_followups(b, req, &v->m, false); /* issue 10: the standing item */
    web_followups_forwarded(req, b, m->id); /* issue 10, followups: the agenda's note */
    buf_puts(b, "<h2 id=\"tidsplan\">Tidsplan</h2>\n");
    timetable(b, v);
    web_page_end(res);
}

void page_work_meeting(const struct web_request *req, struct web_response *res)
{
    struct mview v = {0};
    struct err e = {0};
    int rc = req->store ? mview_load(req, &v, &e) : ERR_DB;
    if (rc < 0)
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
    else
        render_meeting(req, res, &v, NULL, web_arg(req, "gemt") != NULL);
    mview_fini(&v);
}

/* After a POST: back to the meeting, or its page again with the refusal and a 4xx. */
static void after(const struct web_request *req, struct web_response *res, int rc,
                  const struct err *e, const char *msg_da)
{
    if (rc == 0) {
        struct buf loc = BUF_INIT;
        meeting_url(&loc, web_parse_id(req->seg[2]), "?gemt=1");
        web_redirect(res, 303, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    if (rc == ERR_DB || rc == ERR_NOTFOUND) {
        web_fail(res, rc, false, "Der er intet møde eller ingen sag med det nummer.", e);
        return;
    }
    struct mview v = {0};
    struct err le = {0};
    if (mview_load(req, &v, &le) < 0) {
        web_fail(res, ERR_DB, false, NULL, &le);
    } else {
        /* The store's and the workflow's messages name no closed content: the release guard
         * names a case by its public title. */
        char msg[600];
        snprintf(msg, sizeof msg, "Intet er ændret: %s", msg_da ? msg_da : e->msg);
        render_meeting(req, res, &v, msg, false);
        res->status = rc == ERR_USAGE || rc == ERR_SYNTAX ? 400 : 409;
    }
    mview_fini(&v);
}

void page_work_meeting_action_post(const struct web_request *req, struct web_response *res)
{
    const char *action = web_field(req, "handling"), *version = web_field(req, "version");
    char field[64];
    snprintf(field, sizeof field, "grund-%s", action ? action : "");
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc = store_meeting_transition(req->store, web_parse_id(req->seg[2]),
                                      version ? atoi(version) : 0, action ? action : "",
                                      web_field(req, field), &a, &e);
    /* The workflow's and the release guard's messages are Danish already; a stale version is
     * the store's. */
    const char *msg = rc == ERR_CONFLICT && strncmp(e.msg, "meeting ", 8) == 0
                          ? "mødet er blevet ændret, siden du åbnede siden. Se det igen, og "
                            "prøv på ny."
                          : NULL;
    after(req, res, rc, &e, msg);
}

void page_work_meeting_move_post(const struct web_request *req, struct web_response *res)
{
    const char *dir = web_field(req, "retning");
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc;
    if (!dir || (strcmp(dir, "op") != 0 && strcmp(dir, "ned") != 0)) {
        after(req, res, ERR_USAGE, &e, "vælg, om punktet skal flyttes op eller ned.");
        return;
    } else {
        rc = store_agenda_move(req->store, web_parse_id(req->seg[2]),
                               web_parse_id(web_field(req, "sag")), strcmp(dir, "op") == 0 ? -1 : 1,
                               &a, &e);
    }
    after(req, res, rc, &e,
          rc == ERR_DENIED  ? "dagsordenens rækkefølge kan kun ændres af udvalgets sekretær, "
                              "før dagsordenen er frigivet."
          : rc == ERR_USAGE ? "punktet står allerede først eller sidst på dagsordenen."
                            : NULL);
}

void page_work_meeting_postpone_post(const struct web_request *req, struct web_response *res)
{
    const char *sag = web_field(req, "sag");
    char field[64];
    snprintf(field, sizeof field, "til-%s", sag ? sag : "");
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int64_t to = web_parse_id(web_field(req, field));
    int rc;
    if (!to) {
        err_set(&e, ERR_USAGE, 0, 0, "vælg det møde, sagen udsættes til");
        rc = ERR_USAGE;
    } else {
        rc = store_agenda_postpone(req->store, web_parse_id(req->seg[2]), web_parse_id(sag), to,
                                   &a, &e);
    }
    after(req, res, rc, &e,
          rc == ERR_USAGE      ? "vælg et senere møde i samme udvalg."
          : rc == ERR_CONFLICT ? "sagen står allerede på det møde."
          : rc == ERR_DENIED   ? "det valgte møde tager ikke imod nye sager, eller du er ikke "
                                 "udvalgets sekretær."
                               : NULL);
}

/* ---- the proforma preview: the agenda as the portal would show it, changing nothing ---- */

static bool would_publish(const struct store_agenda_item *it)
{
    const char *s = it->ref.state;
    return !s || strcmp(s, "paa_dagsorden") == 0 || strcmp(s, "behandlet") == 0 ||
           strcmp(s, "udsat") == 0;
}

static void proforma_case(struct buf *b, const struct store_agenda_item *it,
                          const struct case_doc *pub)
{
    buf_printf(b, "<section class=\"proforma-case\" aria-labelledby=\"pf-%u\"><h2 id=\"pf-%u\">"
                  "%u. ", it->number, it->number, it->number);
    html_text(b, pub->title ? pub->title : "(uden titel)");
    buf_puts(b, "</h2>\n");
    if (it->supplement)
        buf_puts(b, "<p class=\"tag supplement\">Tillægsdagsorden</p>\n");
    if (!pub->public) {
        buf_puts(b, "<p class=\"status\">Lukket punkt</p>\n");
        html_paragraphs(b, pub->public_text, NULL);
        buf_puts(b, "</section>\n");
        return;
    }
    if (pub->presentation) {
        buf_puts(b, "<h3>Sagsfremstilling</h3>\n");
        html_paragraphs(b, pub->presentation, NULL);
    }
    if (pub->nsubitems) {
        buf_puts(b, "<ul>");
        for (size_t k = 0; k < pub->nsubitems; k++) {
            buf_puts(b, "<li>");
            if (pub->subitems[k].time) {
                html_text(b, pub->subitems[k].time);
                buf_puts(b, " ");
            }
            html_text(b, pub->subitems[k].title ? pub->subitems[k].title : "");
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    if (pub->recommendation) {
        buf_puts(b, "<h3>Indstilling</h3>\n");
        html_paragraphs(b, pub->recommendation, NULL);
    }
    if (pub->nattachments) {
        buf_puts(b, "<h3>Bilag</h3>\n<ul>");
        for (size_t k = 0; k < pub->nattachments; k++) {
            buf_printf(b, "<li>%u. ", pub->attachments[k].number);
            html_text(b, pub->attachments[k].title ? pub->attachments[k].title : "");
            if (!pub->attachments[k].public)
                buf_puts(b, " (lukket bilag)");
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_puts(b, "</section>\n");
}

void page_work_meeting_proforma(const struct web_request *req, struct web_response *res)
{
    struct mview v = {0};
    struct err e = {0};
    int rc = req->store ? mview_load(req, &v, &e) : ERR_DB;
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        mview_fini(&v);
        return;
    }
    const char *bname = v.m.body_name ? v.m.body_name : v.m.body;
    web_work_begin(res, "Prøvetryk af dagsordenen", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Prøvetryk: ");
    html_text(b, bname);
    buf_puts(b, ", ");
    web_date_long(b, v.m.date);
    buf_puts(b, "</h1>\n<p class=\"lead\">Sådan ser dagsordenen ud for borgerne, når den er "
                "frigivet: lukkede punkter med deres offentlige titel. Prøvetrykket ændrer "
                "intet.</p>\n");
    struct err ge = {0};
    if (store_agenda_check(req->store, v.m.id, &ge) < 0) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">");
        html_text(b, ge.msg);
        buf_puts(b, "</p>\n");
    } else {
        buf_puts(b, "<p class=\"notice\" role=\"status\">Dagsordenen kan frigives: ingen "
                    "CPR-numre eller hjælpetekster i det, der offentliggøres.</p>\n");
    }
    size_t left = 0;
    for (size_t i = 0; i < v.nitems; i++) {
        if (!would_publish(&v.items[i]) || !v.docs[i]) {
            left++;
            continue;
        }
        struct case_doc *pub = case_view(v.docs[i], AUDIENCE_PUBLIC);
        proforma_case(b, &v.items[i], pub);
        case_free(pub);
    }
    if (left)
        buf_printf(b, "<p class=\"meta\">%zu %s på mødet er ikke med: de er endnu ikke sat på "
                      "dagsordenen (kladde eller til godkendelse).</p>\n", left,
                   left == 1 ? "sag" : "sager");
    buf_puts(b, "<p><a href=\"");
    meeting_url(b, v.m.id, NULL);
    buf_puts(b, "\">Tilbage til mødet</a></p>\n");
    web_page_end(res);
    mview_fini(&v);
}
