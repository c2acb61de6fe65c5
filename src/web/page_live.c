/* page_live: the live meeting (issue 9): /arbejde/moede/ID/live (the sekretær's controls, a
 * read-only view for the body's other people, ?visning=projektor in large type), its state as
 * JSON for live.js (.../live.json), "Næste punkt" (POST .../live), and the attendance
 * (/arbejde/moede/ID/fremmoede). The state lives in the store, so a reload or a second device
 * shows the same; the countdown is computed from the server's clock (util/clock.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/live.h"
#include "../model/meeting.h"
#include "../model/timetable.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/clock.h"
#include "auth.h"
#include "form.h"
#include "web.h"
#include "web_live_static.h"

void web_static_live_js(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/javascript; charset=utf-8";
    web_header_add(res, "Cache-Control", "public, max-age=3600");
    buf_put(&res->body, live_js, sizeof live_js - 1);
}

void web_static_live_css(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/css; charset=utf-8";
    web_header_add(res, "Cache-Control", "public, max-age=3600");
    buf_put(&res->body, live_css, sizeof live_css - 1);
}

/* ---- the actual times in the minutes (body setting minutes.actual_times) ---- */

void web_live_actual_times(const struct web_request *req, const char *body_code, struct case_doc *c)
{
    bool any = false;
    for (size_t i = 0; c && i < c->nsubitems; i++)
        any |= c->subitems[i].actual_start || c->subitems[i].actual_end;
    if (!any)
        return;
    char *v = NULL;
    struct err e = {0};
    bool show =
        body_code && req->store &&
        store_body_setting_get(req->store, body_code, "minutes.actual_times", &v, &e) == 0 && v &&
        strcmp(v, "1") == 0;
    free(v);
    if (show)
        return;
    for (size_t i = 0; i < c->nsubitems; i++) {
        free(c->subitems[i].actual_start);
        free(c->subitems[i].actual_end);
        c->subitems[i].actual_start = c->subitems[i].actual_end = NULL;
    }
}

void web_live_actual_cell(struct buf *b, const struct subitem *si)
{
    if (!si->actual_start)
        return;
    char a[6], z[6];
    snprintf(a, sizeof a, "%s", si->actual_start);
    snprintf(z, sizeof z, "%s", si->actual_end ? si->actual_end : "");
    for (char *p = a; *p; p++)
        *p = *p == ':' ? '.' : *p;
    for (char *p = z; *p; p++)
        *p = *p == ':' ? '.' : *p;
    buf_puts(b, " <span class=\"actual\">faktisk ");
    html_text(b, a);
    buf_puts(b, "–");
    html_text(b, z);
    buf_puts(b, "</span>");
}

/* ---- load: the timetable, its stamps and what follows from them at the server's now ---- */

struct lview {
    struct store_live l;
    struct live_row *rows;
    long cur, next;
    time_t now;
    int state; /* wf_meeting index, -1 when unknown */
    int roles;
    size_t stamps; /* how many stamps there are: live.js reloads when it changes */
};

static void lview_fini(struct lview *v)
{
    free(v->rows);
    store_live_fini(&v->l);
}

static int lview_load(const struct web_request *req, struct lview *v, struct err *e)
{
    int64_t id = web_parse_id(req->seg[2]);
    int rc =
        id && req->store ? store_live_get(req->store, id, req->reader, &v->l, e) : ERR_NOTFOUND;
    if (rc < 0)
        return rc;
    v->rows = xcalloc(v->l.nrows + 1, sizeof *v->rows);
    for (size_t i = 0; i < v->l.nrows; i++) {
        const struct store_live_row *r = &v->l.rows[i];
        v->rows[i].planned_start = live_instant(v->l.meeting.date, r->planned_start);
        v->rows[i].planned_end = live_instant(v->l.meeting.date, r->planned_end);
        v->rows[i].started = (time_t)r->started_at;
        v->rows[i].ended = (time_t)r->ended_at;
        v->stamps += (r->started_at != 0) + (r->ended_at != 0);
    }
    v->cur = live_current(v->rows, v->l.nrows);
    v->next = live_next(v->rows, v->l.nrows);
    v->now = clock_now();
    v->state = v->l.meeting.state ? wf_state_parse(&wf_meeting, v->l.meeting.state) : -1;
    v->roles = reader_roles(req->reader, v->l.meeting.body_id);
    return 0;
}

/* "10.32" from an instant (the Danish way the minutes write times). */
static void dot_time(time_t t, char out[6])
{
    live_local_hhmm(t, out);
    out[2] = '.';
}

static void row_label(struct buf *b, const struct store_live_row *r)
{
    if (r->subitem)
        buf_printf(b, "%u.%u ", r->item, r->subitem);
    else
        buf_printf(b, "%u ", r->item);
    html_text(b, r->title);
}

/* The status of row i in words (never colour alone): done (and how it went), current, waiting. */
static void row_status(struct buf *b, const struct lview *v, size_t i, bool *over)
{
    const struct live_row *r = &v->rows[i];
    long left;
    char text[64];
    *over = false;
    if (r->started && !r->ended) {
        buf_puts(b, "I gang");
        if (live_remaining(r, v->now, &left)) {
            live_remaining_text(left, text, sizeof text);
            *over = left < 0;
            buf_puts(b, ": ");
            html_text(b, text);
        }
    } else if (r->ended) {
        buf_puts(b, "Færdig");
        if (live_remaining(r, v->now, &left) && left < 0) {
            live_remaining_text(left, text, sizeof text);
            *over = true;
            buf_puts(b, ", ");
            html_text(b, text);
        }
    } else {
        buf_puts(b, "Venter");
    }
}

static void meeting_url(struct buf *b, int64_t id, const char *tail)
{
    buf_printf(b, "/arbejde/moede/%lld%s", (long long)id, tail);
}

static void render_now(struct buf *b, const struct lview *v)
{
    buf_puts(b, "<section class=\"live-now\" aria-labelledby=\"live-nu\">\n"
                "<h2 id=\"live-nu\">Nu</h2>\n");
    if (v->cur < 0) {
        if (v->state == WF_MEETING_I_GANG)
            buf_puts(b, "<p>Intet punkt er i gang.</p>\n");
        else if (v->state >= 0 && v->state < WF_MEETING_I_GANG)
            buf_puts(b, "<p>Mødet er ikke startet endnu. Visningen følger mødet, når "
                        "sekretæren starter det.</p>\n");
        else
            buf_puts(b, "<p>Mødet er afsluttet. Tiderne herunder er de faktiske.</p>\n");
    } else {
        const struct store_live_row *r = &v->l.rows[v->cur];
        const struct live_row *lr = &v->rows[v->cur];
        buf_puts(b, "<p class=\"live-title\">");
        row_label(b, r);
        buf_puts(b, "</p>\n");
        long left;
        char text[64], hm[6];
        if (live_remaining(lr, v->now, &left)) {
            live_remaining_text(left, text, sizeof text);
            tt_format(r->planned_end, hm);
            buf_printf(b,
                       "<p class=\"live-count%s\"><span id=\"live-count\" "
                       "data-remaining=\"%ld\">",
                       left < 0 ? " live-over" : "", left);
            html_text(b, text);
            buf_puts(b, "</span> <span class=\"meta\">(planlagt slut kl. ");
            html_text(b, hm);
            buf_puts(b, ")</span></p>\n");
        } else {
            buf_puts(b, "<p class=\"live-count\">Punktet har ingen planlagt varighed.</p>\n");
        }
        live_start_text(lr, text, sizeof text);
        dot_time(lr->started, hm);
        buf_puts(b, "<p class=\"meta\">Startede kl. ");
        html_text(b, hm);
        if (text[0]) {
            buf_puts(b, " (");
            html_text(b, text);
            buf_puts(b, ")");
        }
        buf_puts(b, "</p>\n");
    }
    /* The next guest to call in: the first guest of the row after the current one. */
    long gi = v->cur >= 0 ? v->cur + 1 : v->next;
    if (gi >= 0 && (size_t)gi < v->l.nrows && v->l.rows[gi].guest_name &&
        v->state <= WF_MEETING_I_GANG) {
        const struct store_live_row *g = &v->l.rows[gi];
        buf_puts(b, "<p class=\"live-guest\">Næste gæst: <strong>");
        html_text(b, g->guest_name);
        buf_puts(b, "</strong>");
        if (g->guest_role) {
            buf_puts(b, ", ");
            html_text(b, g->guest_role);
        }
        buf_puts(b, " (til ");
        row_label(b, g);
        buf_puts(b, ")</p>\n");
    }
    buf_puts(b, "</section>\n");
}

static void render_table(struct buf *b, const struct lview *v)
{
    if (!v->l.nrows) {
        buf_puts(b, "<p>Der er ingen sager på dagsordenen.</p>\n");
        return;
    }
    buf_puts(b, "<div class=\"scroll\"><table class=\"live-table\">\n<caption>Tidsplan</caption>\n"
                "<thead><tr><th scope=\"col\">Punkt</th><th scope=\"col\">Planlagt</th>"
                "<th scope=\"col\">Faktisk</th><th scope=\"col\">Status</th></tr></thead>\n"
                "<tbody>\n");
    for (size_t i = 0; i < v->l.nrows; i++) {
        const struct store_live_row *r = &v->l.rows[i];
        const struct live_row *lr = &v->rows[i];
        bool over = false, cur = (long)i == v->cur;
        struct buf status = BUF_INIT;
        row_status(&status, v, i, &over);
        buf_printf(b, "<tr id=\"raekke-%zu\"%s%s><th scope=\"row\">", i + 1,
                   cur ? " class=\"live-current\" aria-current=\"true\"" : "",
                   !cur && over ? " class=\"live-late\"" : "");
        row_label(b, r);
        if (!r->public)
            buf_puts(b, " <span class=\"tag closed\">Lukket</span>");
        buf_puts(b, "</th><td>");
        char a[6], z[6];
        tt_format(r->planned_start, a);
        tt_format(r->planned_end, z);
        html_text(b, a[0] ? a : "–");
        if (z[0]) {
            buf_puts(b, "–");
            html_text(b, z);
        }
        buf_puts(b, "</td><td>");
        if (lr->started) {
            dot_time(lr->started, a);
            buf_puts(b, "faktisk ");
            html_text(b, a);
            buf_puts(b, "–");
            if (lr->ended) {
                dot_time(lr->ended, z);
                html_text(b, z);
            }
        }
        /* live.js ticks the current row's status with the countdown. */
        buf_printf(b, "</td><td%s%s>", over ? " class=\"live-over\"" : "",
                   cur ? " id=\"live-status\"" : "");
        buf_put(b, status.ptr ? status.ptr : "", status.len);
        buf_puts(b, "</td></tr>\n");
        buf_free(&status);
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* The page's policy: the server's default plus our own script (live.js, no inline script)
 * and its polls of live.json (connect-src 'self'). The frame may have set a policy already
 * (a logo on another site): then that one is widened the same way, as there must be one. */
#define LIVE_CSP_ADD "; script-src 'self'; connect-src 'self'"
static void live_policy(struct web_response *res)
{
    for (size_t i = 0; i < res->nheaders; i++)
        if (strcmp(res->headers[i].name, "Content-Security-Policy") == 0) {
            struct buf v = BUF_INIT;
            buf_puts(&v, res->headers[i].value);
            if (!strstr(res->headers[i].value, "script-src"))
                buf_puts(&v, "; script-src 'self'");
            buf_puts(&v, "; connect-src 'self'");
            free(res->headers[i].value);
            res->headers[i].value = buf_detach(&v);
            return;
        }
    web_header_add(res, "Content-Security-Policy",
                   "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                   "base-uri 'none'; frame-ancestors 'none'" LIVE_CSP_ADD);
}

static void render_live(const struct web_request *req, struct web_response *res,
                        const struct lview *v, const char *alert)
{
    const struct store_meeting *m = &v->l.meeting;
    bool projector = web_arg(req, "visning") && strcmp(web_arg(req, "visning"), "projektor") == 0;
    bool sekr = (v->roles & ROLE_SEKRETAER) && !projector;
    const char *bname = m->body_name ? m->body_name : m->body;
    struct buf title = BUF_INIT;
    buf_printf(&title, "%s, møde %s: live", bname ? bname : "", m->date ? m->date : "");
    res->staff = true;
    if (projector)
        web_page_begin(res, buf_cstr(&title), NULL, "arbejde");
    else
        web_work_begin(res, buf_cstr(&title), "moeder");
    buf_free(&title);
    live_policy(res);
    struct buf *b = &res->body;
    buf_puts(b, "<link rel=\"stylesheet\" href=\"/static/live.css\">\n");
    buf_printf(b, "<div id=\"live\" class=\"live%s\" data-json=\"", projector ? " projector" : "");
    meeting_url(b, m->id, "/live.json");
    buf_printf(b, "\" data-current=\"%ld\" data-stamps=\"%zu\" data-state=\"", v->cur + 1,
               v->stamps);
    html_attr(b, m->state ? m->state : "");
    buf_puts(b, "\">\n<h1>");
    html_text(b, bname ? bname : "");
    buf_puts(b, ": ");
    if (m->number)
        buf_printf(b, "møde %u, ", m->number);
    web_date_long(b, m->date);
    buf_puts(b, "</h1>\n");
    if (alert) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">");
        html_text(b, alert);
        buf_puts(b, "</p>\n");
    }
    char clock[6];
    live_local_hhmm(v->now, clock);
    buf_puts(b, "<p class=\"meta\">");
    int st = v->state;
    html_text(b, st >= 0 ? wf_state_label(&wf_meeting, st) : "Ukendt status");
    buf_puts(b, " · serverens ur: kl. ");
    html_text(b, clock);
    buf_puts(b, " · <a href=\"");
    meeting_url(b, m->id, "/live");
    if (projector)
        buf_puts(b, "?visning=projektor");
    buf_puts(b, "\">Opdatér</a></p>\n");
    render_now(b, v);
    if (sekr && st == WF_MEETING_I_GANG) {
        struct buf action = BUF_INIT;
        meeting_url(&action, m->id, "/live");
        buf_puts(b, "<div class=\"live-controls\">");
        /* After the last row there is nothing to stamp but the meeting's end. */
        if (v->cur >= 0 || v->next >= 0) {
            web_form_open(b, req, buf_cstr(&action), false);
            buf_printf(b, "<input type=\"hidden\" name=\"fra\" value=\"%ld\">", v->cur + 1);
            web_form_close(b, v->cur < 0 ? "Start næste punkt" : "Næste punkt");
        }
        /* Takes back the latest Næste punkt (a click too early); the ledger keeps both. */
        if (v->stamps > 1) {
            web_form_open(b, req, buf_cstr(&action), false);
            buf_printf(b,
                       "<input type=\"hidden\" name=\"fra\" value=\"%ld\">"
                       "<input type=\"hidden\" name=\"handling\" value=\"fortryd\">",
                       v->cur + 1);
            web_form_close(b, "Fortryd seneste stempel");
        }
        buf_free(&action);
        meeting_url(&action, m->id, "/handling");
        web_form_open(b, req, buf_cstr(&action), false);
        buf_printf(b,
                   "<input type=\"hidden\" name=\"version\" value=\"%d\">"
                   "<input type=\"hidden\" name=\"handling\" value=\"afslut\">",
                   m->version);
        web_form_close(b, "Afslut mødet");
        buf_free(&action);
        buf_puts(b, "</div>\n");
    }
    render_table(b, v);
    if (!projector) {
        buf_puts(b, "<ul class=\"actions\"><li><a href=\"");
        meeting_url(b, m->id, "/live?visning=projektor");
        buf_puts(b, "\">Visning til projektor</a></li><li><a href=\"");
        meeting_url(b, m->id, "");
        buf_puts(b, "\">Mødets side</a></li>");
        if (v->roles & ROLE_SEKRETAER) {
            buf_puts(b, "<li><a href=\"");
            meeting_url(b, m->id, "/fremmoede");
            buf_puts(b, "\">Fremmøde</a></li>");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_puts(b, "</div>\n<script src=\"/static/live.js\" defer></script>\n");
    web_page_end(res);
}

void page_work_live(const struct web_request *req, struct web_response *res)
{
    struct lview v = {0};
    struct err e = {0};
    int rc = lview_load(req, &v, &e);
    if (rc < 0)
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
    else
        render_live(req, res, &v, NULL);
    lview_fini(&v);
}

void page_work_live_json(const struct web_request *req, struct web_response *res)
{
    struct lview v = {0};
    struct err e = {0};
    int rc = lview_load(req, &v, &e);
    res->staff = true;
    if (rc < 0) {
        web_fail(res, rc, true, "Der er intet møde med det nummer.", &e);
        lview_fini(&v);
        return;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < v.l.nrows; i++) {
        const struct store_live_row *r = &v.l.rows[i];
        const struct live_row *lr = &v.rows[i];
        char a[6] = "", z[6] = "", s0[6] = "", s1[6] = "";
        tt_format(r->planned_start, a);
        tt_format(r->planned_end, z);
        if (lr->started)
            live_local_hhmm(lr->started, s0);
        if (lr->ended)
            live_local_hhmm(lr->ended, s1);
        struct buf status = BUF_INIT;
        bool over;
        row_status(&status, &v, i, &over);
        json_array_append_new(
            rows,
            json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:b}", "row", (json_int_t)i + 1,
                      "case", (json_int_t)r->case_id, "item", (json_int_t)r->item, "subitem",
                      (json_int_t)r->subitem, "title", web_json_str(r->title), "planned_start",
                      web_json_str(a[0] ? a : NULL), "planned_end", web_json_str(z[0] ? z : NULL),
                      "actual_start", web_json_str(s0[0] ? s0 : NULL), "actual_end",
                      web_json_str(s1[0] ? s1 : NULL), "status", status.ptr ? status.ptr : "",
                      "over", over));
        buf_free(&status);
    }
    json_t *o = json_pack("{s:I,s:s?,s:I,s:o,s:I,s:o}", "meeting", (json_int_t)v.l.meeting.id,
                          "state", v.l.meeting.state, "now", (json_int_t)v.now, "current",
                          v.cur >= 0 ? json_integer(v.cur + 1) : json_null(), "stamps",
                          (json_int_t)v.stamps, "rows", rows);
    long left;
    if (o && v.cur >= 0 && live_remaining(&v.rows[v.cur], v.now, &left)) {
        char text[64];
        live_remaining_text(left, text, sizeof text);
        json_object_set_new(o, "remaining", json_integer(left));
        json_object_set_new(o, "remaining_text", json_string(text));
    } else if (o) {
        json_object_set_new(o, "remaining", json_null());
    }
    long gi = v.cur >= 0 ? v.cur + 1 : v.next;
    if (o && gi >= 0 && (size_t)gi < v.l.nrows && v.l.rows[gi].guest_name)
        json_object_set_new(
            o, "next_guest",
            json_pack("{s:o,s:o,s:I}", "name", web_json_str(v.l.rows[gi].guest_name), "role",
                      web_json_str(v.l.rows[gi].guest_role), "row", (json_int_t)gi + 1));
    else if (o)
        json_object_set_new(o, "next_guest", json_null());
    web_json(res, 200, o);
    web_header_add(res, "Cache-Control", "no-store");
    lview_fini(&v);
}

void page_work_live_post(const struct web_request *req, struct web_response *res)
{
    const char *fra = web_field(req, "fra");
    char *end = NULL;
    long from = fra && *fra ? strtol(fra, &end, 10) : -1;
    struct err e = {0};
    int rc;
    const char *msg = NULL;
    if (!fra || !*fra || *end || from < 0 || from > 100000) {
        rc = ERR_USAGE;
        msg = "Siden sendte ikke, hvilket punkt du så som det aktuelle. Opdatér siden, og "
              "prøv igen.";
    } else {
        struct store_actor a;
        web_actor(req, &a);
        const char *h = web_field(req, "handling");
        bool undo = h && strcmp(h, "fortryd") == 0;
        if (h && !undo && strcmp(h, "naeste") != 0) {
            rc = ERR_USAGE;
            msg = "Ukendt handling: vælg Næste punkt eller Fortryd seneste stempel.";
        } else {
            rc = undo ? store_live_undo(req->store, web_parse_id(req->seg[2]), from - 1, &a, &e)
                      : store_live_next(req->store, web_parse_id(req->seg[2]), from - 1, &a, &e);
        }
    }
    if (rc == 0) {
        struct buf loc = BUF_INIT;
        meeting_url(&loc, web_parse_id(req->seg[2]), "/live");
        web_redirect(res, 303, buf_cstr(&loc));
        buf_free(&loc);
        return;
    }
    if (rc == ERR_DB || rc == ERR_NOTFOUND) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        return;
    }
    /* The store's refusals, in the interface's words. */
    if (!msg && strstr(e.msg, "not i_gang"))
        msg = "Mødet er ikke i gang: kun et møde, der er startet, kan stemples.";
    else if (!msg && strstr(e.msg, "before the latest stamp"))
        msg = "Serverens ur viser et tidspunkt før det seneste stempel. Intet er stemplet: "
              "kontrollér serverens ur.";
    else if (!msg && strstr(e.msg, "another device"))
        msg = "Tidsplanen er stemplet fra en anden enhed, siden du åbnede siden. Intet er "
              "stemplet: se det aktuelle punkt herunder, og tryk igen, hvis det stadig skal "
              "videre.";
    else if (!msg && strstr(e.msg, "nothing to take back"))
        msg = "Der er intet at fortryde: kun mødets start er stemplet.";
    else if (!msg && strstr(e.msg, "every row"))
        msg = "Alle punkter er afsluttet: afslut mødet.";
    else if (!msg && rc == ERR_DENIED)
        msg = "Kun udvalgets sekretær kan stemple tidsplanen.";
    struct lview v = {0};
    struct err le = {0};
    if (lview_load(req, &v, &le) < 0) {
        web_fail(res, ERR_DB, false, NULL, &le);
    } else {
        render_live(req, res, &v, msg ? msg : e.msg);
        res->status = rc == ERR_USAGE ? 400 : rc == ERR_DENIED ? 403 : 409;
    }
    lview_fini(&v);
}

/* ---- attendance ---- */

/* Who the form lists: the attendance as saved, then the body's members not on it. */
struct aview {
    struct lview lv;
    struct attendee *saved;
    size_t nsaved;
    struct store_account_ref *members;
    size_t nmembers;
    struct attendee *shown; /* borrowed strings: saved's and members' */
    size_t nshown;
};

static void aview_fini(struct aview *v)
{
    free(v->shown);
    store_attendees_free(v->saved, v->nsaved);
    store_account_refs_free(v->members, v->nmembers);
    lview_fini(&v->lv);
}

static int aview_load(const struct web_request *req, struct aview *v, struct err *e)
{
    int64_t id = web_parse_id(req->seg[2]);
    int rc = lview_load(req, &v->lv, e);
    if (rc == 0)
        rc = store_attendance_get(req->store, id, req->reader, &v->saved, &v->nsaved, e);
    if (rc == 0)
        rc = store_attendance_members(req->store, id, req->reader, &v->members, &v->nmembers, e);
    if (rc < 0)
        return rc;
    v->shown = xcalloc(v->nsaved + v->nmembers + 1, sizeof *v->shown);
    for (size_t i = 0; i < v->nsaved; i++)
        v->shown[v->nshown++] = v->saved[i];
    for (size_t i = 0; i < v->nmembers; i++) {
        bool there = false;
        for (size_t k = 0; k < v->nsaved && !there; k++)
            there = v->saved[k].name && v->members[i].name &&
                    strcmp(v->saved[k].name, v->members[i].name) == 0;
        if (!there)
            v->shown[v->nshown++] = (struct attendee){.name = v->members[i].name};
    }
    return 0;
}

/* People on one form: 6 fields each, the add row and 3 more within WEB_MAX_FIELDS. Saved
 * people beyond them are not on the form and are kept as they are by a save. */
enum { ATT_MAX = 31 };

/* The choices of a sub-item on the timetable: "" (from the start / to the end) and 1..N. The
 * choices point into text: one buffer per list (a later append may move it). */
static struct web_choice *row_choices(const struct lview *v, const char *none, struct buf *text)
{
    size_t n = v->l.nrows;
    struct web_choice *ch = xcalloc(n + 2, sizeof *ch);
    size_t *at = xcalloc(2 * n + 1, sizeof *at);
    for (size_t i = 0; i < n; i++) {
        at[2 * i] = text->len;
        buf_printf(text, "%zu", i + 1);
        buf_putc(text, '\0');
        at[2 * i + 1] = text->len;
        row_label(text, &v->l.rows[i]);
        buf_putc(text, '\0');
    }
    ch[0].value = "";
    ch[0].label = none;
    for (size_t i = 0; i < n; i++) {
        ch[i + 1].value = text->ptr + at[2 * i];
        ch[i + 1].label = text->ptr + at[2 * i + 1];
    }
    free(at);
    return ch;
}

static void render_attendance(const struct web_request *req, struct web_response *res,
                              struct aview *v, const struct attendee *rows, size_t n,
                              struct web_errors *er, const char *alert, bool saved)
{
    const struct store_meeting *m = &v->lv.l.meeting;
    const char *bname = m->body_name ? m->body_name : m->body;
    struct buf title = BUF_INIT;
    buf_printf(&title, "Fremmøde: %s, møde %s", bname ? bname : "", m->date ? m->date : "");
    res->staff = true;
    web_work_begin(res, buf_cstr(&title), "moeder");
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Fremmøde: ");
    html_text(b, bname ? bname : "");
    buf_puts(b, ", ");
    web_date_long(b, m->date);
    buf_puts(b, "</h1>\n");
    if (saved)
        buf_puts(b, "<p class=\"notice\" role=\"status\">Fremmødet er gemt.</p>\n");
    if (alert) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">");
        html_text(b, alert);
        buf_puts(b, "</p>\n");
    }
    web_errors_summary(b, er);
    buf_puts(b, "<p class=\"lead\">Udvalgets medlemmer og dem, der allerede står på "
                "fremmødet. Kom eller gik nogen under mødet, vælg punktet i tidsplanen. En "
                "stedfortræder skal have et navn.</p>\n");
    struct buf action = BUF_INIT, text = BUF_INIT, text2 = BUF_INIT;
    meeting_url(&action, m->id, "/fremmoede");
    web_form_open(b, req, buf_cstr(&action), false);
    buf_free(&action);
    static const struct web_choice statuses[] = {
        {"present", "Til stede"},      {"afbud", "Afbud"},
        {"fravaerende", "Fraværende"}, {"stedfortraeder", "Stedfortræder"},
        {"fjern", "Fjern fra listen"}, {NULL, NULL}};
    struct web_choice *arrive = row_choices(&v->lv, "Fra mødets start", &text);
    struct web_choice *leave = row_choices(&v->lv, "Til mødets slut", &text2);
    size_t shown = n < ATT_MAX ? n : ATT_MAX;
    if (n > ATT_MAX) {
        size_t kept = v->nsaved > ATT_MAX ? v->nsaved - ATT_MAX : 0;
        buf_printf(b, "<p class=\"notice\">Formularen viser de første %d personer.", ATT_MAX);
        if (kept)
            buf_printf(b, " De %zu øvrige på fremmødet gemmes uændret.", kept);
        buf_puts(b, "</p>\n");
    }
    buf_printf(b, "<input type=\"hidden\" name=\"antal\" value=\"%zu\">\n", shown + 1);
    for (size_t i = 0; i <= shown; i++) {
        const struct attendee *a = i < shown ? &rows[i] : NULL;
        char f[6][32], num[2][16];
        static const char *const names[] = {"navn",        "status", "stedfortraeder",
                                            "bemaerkning", "kom",    "gik"};
        for (int k = 0; k < 6; k++)
            snprintf(f[k], sizeof f[k], "%s-%zu", names[k], i + 1);
        snprintf(num[0], sizeof num[0], "%u", a ? a->arrived : 0);
        snprintf(num[1], sizeof num[1], "%u", a ? a->left : 0);
        buf_puts(b, "<fieldset class=\"attendee\"><legend>");
        if (a)
            html_text(b, a->name ? a->name : "");
        else
            buf_puts(b, "Tilføj en person");
        buf_puts(b, "</legend>\n");
        if (a) {
            buf_puts(b, "<input type=\"hidden\" name=\"");
            html_attr(b, f[0]);
            buf_puts(b, "\" value=\"");
            html_attr(b, a->name ? a->name : "");
            buf_puts(b, "\">\n");
        } else {
            web_input(b,
                      &(struct web_input){.name = f[0],
                                          .label = "Navn",
                                          .type = WEB_INPUT_TEXT,
                                          .help = "Tom: ingen tilføjes."},
                      er);
        }
        web_input(b,
                  &(struct web_input){.name = f[1],
                                      .label = "Fremmøde",
                                      .type = WEB_INPUT_SELECT,
                                      .value = attendee_status_name(a ? (int)a->status : 0),
                                      .choices = statuses},
                  er);
        web_input(b,
                  &(struct web_input){.name = f[2],
                                      .label = "Stedfortræderens navn",
                                      .type = WEB_INPUT_TEXT,
                                      .value = a ? a->substitute : NULL},
                  er);
        web_input(b,
                  &(struct web_input){.name = f[3],
                                      .label = "Bemærkning",
                                      .type = WEB_INPUT_TEXT,
                                      .value = a ? a->remark : NULL},
                  er);
        web_input(b,
                  &(struct web_input){.name = f[4],
                                      .label = "Kom under punkt",
                                      .type = WEB_INPUT_SELECT,
                                      .value = a && a->arrived ? num[0] : "",
                                      .choices = arrive},
                  er);
        web_input(b,
                  &(struct web_input){.name = f[5],
                                      .label = "Gik under punkt",
                                      .type = WEB_INPUT_SELECT,
                                      .value = a && a->left ? num[1] : "",
                                      .choices = leave},
                  er);
        buf_puts(b, "</fieldset>\n");
    }
    buf_puts(b, "<p><button type=\"submit\" name=\"handling\" value=\"alle\">Alle til stede"
                "</button></p>\n");
    web_form_close(b, "Gem fremmødet");
    free(arrive);
    free(leave);
    buf_free(&text);
    buf_free(&text2);
    buf_puts(b, "<ul class=\"actions\"><li><a href=\"");
    meeting_url(b, m->id, "/live");
    buf_puts(b, "\">Live-visningen</a></li><li><a href=\"");
    meeting_url(b, m->id, "");
    buf_puts(b, "\">Mødets side</a></li></ul>\n");
    web_page_end(res);
}

void page_work_attendance(const struct web_request *req, struct web_response *res)
{
    struct aview v = {0};
    struct err e = {0};
    int rc = aview_load(req, &v, &e);
    if (rc < 0)
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
    else
        render_attendance(req, res, &v, v.shown, v.nshown, &(struct web_errors){0}, NULL,
                          web_arg(req, "gemt") != NULL);
    aview_fini(&v);
}

/* A row number of the timetable from a select ("" = 0); false for anything else. */
static bool row_number(const char *s, size_t nrows, unsigned *out)
{
    *out = 0;
    if (!s || !*s)
        return true;
    char *end;
    long k = strtol(s, &end, 10);
    if (*end || k < 1 || (size_t)k > nrows)
        return false;
    *out = (unsigned)k;
    return true;
}

static bool blank(const char *s)
{
    return !s || !s[strspn(s, " \t")];
}

void page_work_attendance_post(const struct web_request *req, struct web_response *res)
{
    struct aview v = {0};
    struct err e = {0};
    struct web_errors er = {0};
    int rc = aview_load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        aview_fini(&v);
        return;
    }
    const char *count = web_field(req, "antal");
    char *end = NULL;
    long n = count ? strtol(count, &end, 10) : -1;
    if (!count || *end || n < 0 || n > ATT_MAX + 1) {
        render_attendance(req, res, &v, v.shown, v.nshown, &er,
                          "Formularen er ufuldstændig: åbn siden igen. Intet er gemt.", false);
        res->status = 400;
        aview_fini(&v);
        return;
    }
    bool all = web_field(req, "handling") && strcmp(web_field(req, "handling"), "alle") == 0;
    struct attendee *list = xcalloc((size_t)n + 1, sizeof *list);
    size_t k = 0;
    for (long i = 1; i <= n; i++) {
        char f[6][32];
        static const char *const names[] = {"navn",        "status", "stedfortraeder",
                                            "bemaerkning", "kom",    "gik"};
        for (int j = 0; j < 6; j++)
            snprintf(f[j], sizeof f[j], "%s-%ld", names[j], i);
        const char *name = web_field(req, f[0]);
        if (blank(name))
            continue; /* the empty "add a person" row */
        const char *status = web_field(req, f[1]);
        if (!all && status && strcmp(status, "fjern") == 0)
            continue; /* taken off the list (a member of the body is offered again) */
        struct attendee *a = &list[k++];
        a->name = (char *)name;
        const char *remark = web_field(req, f[3]);
        a->remark = blank(remark) ? NULL : (char *)remark;
        if (all)
            continue; /* everyone present, from start to end (remarks kept) */
        int st = attendee_status_parse(status);
        if (st < 0) {
            web_errors_add(&er, f[1], "Fremmøde",
                           "Vælg til stede, afbud, fraværende eller "
                           "stedfortræder for %s.",
                           name);
            st = 0;
        }
        a->status = (enum attendee_status)st;
        const char *sub = web_field(req, f[2]);
        if (a->status == ATTENDEE_STEDFORTRAEDER && blank(sub))
            web_errors_add(&er, f[2], "Stedfortræderens navn",
                           "Skriv navnet på %s' "
                           "stedfortræder.",
                           name);
        a->substitute = a->status == ATTENDEE_STEDFORTRAEDER && !blank(sub) ? (char *)sub : NULL;
        bool took_part = a->status == ATTENDEE_PRESENT || a->status == ATTENDEE_STEDFORTRAEDER;
        if (!row_number(web_field(req, f[4]), v.lv.l.nrows, &a->arrived))
            web_errors_add(&er, f[4], "Kom under punkt", "Vælg et punkt fra tidsplanen (1–%zu).",
                           v.lv.l.nrows);
        if (!row_number(web_field(req, f[5]), v.lv.l.nrows, &a->left))
            web_errors_add(&er, f[5], "Gik under punkt", "Vælg et punkt fra tidsplanen (1–%zu).",
                           v.lv.l.nrows);
        if (!took_part && (a->arrived || a->left)) {
            web_errors_add(&er, f[4], "Kom under punkt",
                           "Kun den, der deltog, kan komme eller "
                           "gå under mødet (%s har %s).",
                           name, attendee_status_label((int)a->status));
            a->arrived = a->left = 0;
        }
        if (a->arrived && a->left && a->left < a->arrived)
            web_errors_add(&er, f[5], "Gik under punkt",
                           "%s kan ikke gå (punkt %u) før at "
                           "komme (punkt %u).",
                           name, a->left, a->arrived);
    }
    if (er.n == 0) {
        /* The saved people the form could not show stay as they are. */
        size_t keep = v.nsaved > ATT_MAX ? v.nsaved - ATT_MAX : 0;
        list = xrealloc(list, (k + keep + 1) * sizeof *list);
        for (size_t i = 0; i < keep; i++)
            list[k + i] = v.saved[ATT_MAX + i];
        struct store_actor a;
        web_actor(req, &a);
        rc = store_attendance_save(req->store, v.lv.l.meeting.id, list, k + keep, &a, &e);
        if (rc == 0) {
            struct buf loc = BUF_INIT;
            meeting_url(&loc, v.lv.l.meeting.id, "/fremmoede?gemt=1");
            web_redirect(res, 303, buf_cstr(&loc));
            buf_free(&loc);
            goto done;
        }
        if (rc == ERR_DB) {
            web_fail(res, rc, false, NULL, &e);
            goto done;
        }
    }
    /* Shown again as typed, with the errors at their fields. */
    char alert[600];
    if (er.n == 0)
        snprintf(alert, sizeof alert, "Intet er gemt: %s",
                 rc == ERR_DENIED ? "fremmødet kan ikke længere ændres (mødet er aflyst, eller "
                                    "referatet er godkendt)."
                                  : e.msg);
    render_attendance(req, res, &v, list, k, &er, er.n ? NULL : alert, false);
    res->status = rc == ERR_DENIED ? 409 : 400;
done:
    free(list);
    aview_fini(&v);
}
