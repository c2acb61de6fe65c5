/* page_minutes: the minutes of a meeting (issue 9, minutes), /arbejde/moede/ID/referat: its
 * state and version, the round out for approval (sent when and by whom, the frozen version of
 * each case, each member's answer with its time, objections and answers), the earlier rounds
 * and reopenings, the buttons the person may take, and a tillæg form per case once the
 * minutes are approved. ?version=N shows approved version N as it was approved. The steps are
 * the store's (store_meeting_transition and store_minutes_*); this page only asks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

enum { MAX_TEXT = 20000 };

/* What a refused POST brings back to the page: a message, and the form's typed text. */
struct again {
    int status;
    const char *alert; /* Danish, shown at the top */
    const char *form;  /* "indsigelse", "svar-ID", "tillaeg-ID", "handling" */
    const char *text, *reason;
    struct web_errors er;
};

static const char *const outcome_da[][2] = {
    {"godkendt", "Godkendt af alle medlemmer"},
    {"lukket", "Lukket af sekretæren efter fristen"},
    {"returneret", "Returneret af sekretæren"},
};

static const char *outcome_label(const char *o)
{
    for (size_t i = 0; o && i < sizeof outcome_da / sizeof outcome_da[0]; i++)
        if (strcmp(outcome_da[i][0], o) == 0)
            return outcome_da[i][1];
    return "Til godkendelse";
}

/* "2024-01-10T14:00:00Z" as "10-01-2024 14:00 UTC". */
static void when(struct buf *b, const char *iso)
{
    if (!iso || strlen(iso) < 16) {
        html_text(b, iso ? iso : "");
        return;
    }
    buf_printf(b, "<time datetime=\"");
    html_attr(b, iso);
    buf_printf(b, "\">%.2s-%.2s-%.4s %.5s UTC</time>", iso + 8, iso + 5, iso, iso + 11);
}

/* A case as the writers render it (html_case), inside this page: its <main> as a <div> and its
 * heading a level down, since the page has its own. The text is escaped, so these tags are
 * the writer's own. */
static void case_inside(struct buf *b, const struct case_doc *c)
{
    struct buf t = BUF_INIT;
    html_case(&t, c, 0);
    const char *p = buf_cstr(&t);
    static const char *const from[] = {"<main", "</main>", "<h1>", "</h1>"};
    static const char *const to[] = {"<div", "</div>", "<h3>", "</h3>"};
    while (*p) {
        size_t k = 0;
        for (; k < 4; k++)
            if (strncmp(p, from[k], strlen(from[k])) == 0)
                break;
        if (k < 4) {
            buf_puts(b, to[k]);
            p += strlen(from[k]);
        } else {
            buf_putc(b, *p++);
        }
    }
    buf_free(&t);
}

static bool is_member(const struct store_minutes_round *r, int64_t account, bool *approved)
{
    for (size_t i = 0; r && i < r->nmembers; i++)
        if (r->members[i].account_id == account) {
            *approved = r->members[i].approved_at != NULL;
            return true;
        }
    return false;
}

static void frozen_cases(struct buf *b, const struct store_minutes_round *r)
{
    buf_puts(b, "<ol class=\"list\">\n");
    for (size_t i = 0; i < r->ncases; i++) {
        buf_printf(b, "<li><a href=\"/arbejde/sag/%lld\">", (long long)r->cases[i].case_id);
        html_text(b, r->cases[i].title);
        buf_printf(b, "</a> <span class=\"meta\">version %d</span></li>\n", r->cases[i].version);
    }
    buf_puts(b, "</ol>\n");
}

static void members(struct buf *b, const struct store_minutes_round *r)
{
    if (!r->nmembers) {
        buf_puts(b, "<p>Udvalget havde ingen medlemmer (rollen medlem), da referatet blev "
                    "sendt.</p>\n");
        return;
    }
    buf_puts(b, "<table class=\"minutes-members\">\n<thead><tr><th scope=\"col\">Medlem</th>"
                "<th scope=\"col\">Svar</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->nmembers; i++) {
        buf_puts(b, "<tr><td>");
        html_text(b, r->members[i].name);
        buf_puts(b, "</td><td>");
        if (r->members[i].approved_at) {
            buf_puts(b, "Godkendt ");
            when(b, r->members[i].approved_at);
        } else {
            buf_puts(b, r->outcome ? "Svarede ikke" : "Har ikke svaret endnu");
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n");
}

static void objections(struct buf *b, const struct web_request *req, int64_t mid,
                       const struct store_minutes_round *r, bool open, bool sekr, struct again *ag)
{
    if (!r->nobjections)
        return;
    buf_puts(b, "<h3>Indsigelser</h3>\n");
    for (size_t i = 0; i < r->nobjections; i++) {
        const struct store_minutes_objection *o = &r->objections[i];
        buf_printf(b,
                   "<div class=\"comment\" id=\"indsigelse-%lld\"><p class=\"meta\">"
                   "Indsigelse fra ",
                   (long long)o->id);
        html_text(b, o->author);
        buf_puts(b, " · ");
        when(b, o->created_at);
        buf_puts(b, "</p>\n");
        html_paragraphs(b, o->text, NULL);
        if (o->answer) {
            buf_puts(b, "<p class=\"meta\">Svar fra ");
            html_text(b, o->answered_by);
            buf_puts(b, " · ");
            when(b, o->answered_at);
            buf_puts(b, "</p>\n");
            html_paragraphs(b, o->answer, NULL);
        } else {
            buf_puts(b, "<p><strong>Ikke besvaret</strong>: referatet kan ikke godkendes, "
                        "før sekretæren har svaret.</p>\n");
            if (open && sekr) {
                char action[96], name[32];
                snprintf(action, sizeof action, "/arbejde/moede/%lld/referat/svar", (long long)mid);
                snprintf(name, sizeof name, "svar-%lld", (long long)o->id);
                bool mine = ag && ag->form && strcmp(ag->form, name) == 0;
                web_form_open(b, req, action, false);
                buf_printf(b, "<input type=\"hidden\" name=\"indsigelse\" value=\"%lld\">\n",
                           (long long)o->id);
                web_input(b,
                          &(struct web_input){.name = "svar",
                                              .label = "Svar på indsigelsen",
                                              .type = WEB_INPUT_TEXTAREA,
                                              .value = mine ? ag->text : NULL,
                                              .rows = 3,
                                              .required = true},
                          mine ? &ag->er : NULL);
                web_form_close(b, "Gem svaret");
            }
        }
        buf_puts(b, "</div>\n");
    }
}

static void round_section(struct buf *b, const struct web_request *req, int64_t mid,
                          const struct store_minutes_round *r, bool sekr, struct again *ag)
{
    bool open = r->outcome == NULL;
    buf_printf(b, "<p>Version %d, sendt ", r->version);
    when(b, r->sent_at);
    if (r->sent_by) {
        buf_puts(b, " af ");
        html_text(b, r->sent_by);
    }
    buf_puts(b, ". ");
    if (open) {
        buf_puts(b, "Sekretæren kan lukke runden fra ");
        when(b, r->deadline);
        buf_puts(b, ".");
    } else {
        html_text(b, outcome_label(r->outcome));
        buf_puts(b, " ");
        when(b, r->closed_at);
        if (r->reason) {
            buf_puts(b, ": ");
            html_text(b, r->reason);
        }
        buf_puts(b, ".");
    }
    buf_puts(b, "</p>\n<h3>Sagerne, som de blev sendt</h3>\n");
    frozen_cases(b, r);
    if (open) /* what the members approve: each case at its frozen version */
        for (size_t i = 0; i < r->ncases; i++) {
            struct case_doc *c = NULL;
            struct err e = {0};
            if (store_case_get_version(req->store, r->cases[i].case_id, r->cases[i].version,
                                       req->reader, &c, &e) < 0)
                continue;
            buf_printf(b, "<details class=\"frozen\"><summary>Læs punkt %d: ", r->cases[i].pos);
            html_text(b, c->title);
            buf_puts(b, "</summary>\n");
            case_inside(b, c);
            buf_puts(b, "</details>\n");
            case_free(c);
        }
    buf_puts(b, "<h3>Medlemmernes svar</h3>\n");
    members(b, r);
    objections(b, req, mid, r, open, sekr, ag);
}

/* The minutes' own steps (send, return, close, reopen) that the person may take now. */
static void steps(struct buf *b, const struct web_request *req, int64_t mid,
                  const struct store_minutes *m, int roles, struct again *ag)
{
    static const char *const mine[] = {"send_referat_til_godkendelse", "returner_referat",
                                       "luk_godkendelse", "genaabn"};
    const struct wf_row *rows[16];
    struct wf_actor who = {roles, false};
    int from = wf_state_parse(&wf_meeting, m->state);
    size_t n = wf_actions(&wf_meeting, from, &who, rows, 16);
    for (size_t i = 0; i < n && i < 16; i++) {
        const char *name = wf_action_name(&wf_meeting, rows[i]->action);
        bool ours = false;
        for (size_t k = 0; k < sizeof mine / sizeof mine[0]; k++)
            ours |= strcmp(mine[k], name) == 0;
        if (!ours)
            continue;
        char action[96];
        snprintf(action, sizeof action, "/arbejde/moede/%lld/referat/handling", (long long)mid);
        web_form_open(b, req, action, false);
        buf_puts(b, "<input type=\"hidden\" name=\"handling\" value=\"");
        html_attr(b, name);
        buf_printf(b, "\">\n<input type=\"hidden\" name=\"version\" value=\"%d\">\n",
                   m->meeting_version);
        if (rows[i]->flags & WF_REASON) {
            bool again = ag && ag->form && strcmp(ag->form, name) == 0;
            char field[64];
            snprintf(field, sizeof field, "grund-%s", name);
            web_input(b,
                      &(struct web_input){.name = field,
                                          .label = "Begrundelse",
                                          .type = WEB_INPUT_TEXTAREA,
                                          .value = again ? ag->reason : NULL,
                                          .rows = 2,
                                          .required = true},
                      again ? &ag->er : NULL);
        }
        web_form_close(b, wf_action_label(&wf_meeting, rows[i]->action));
    }
}

void web_minutes_additions(struct buf *b, const struct case_doc *c)
{
    if (!c->nadditions)
        return;
    buf_puts(b, "<h2 id=\"tillaeg\">Tillæg</h2>\n");
    for (size_t k = 0; k < c->nadditions; k++) {
        buf_printf(b, "<section class=\"addition\" id=\"tillaeg-%zu\">\n<h3>Tillæg den ", k + 1);
        web_date_long(b, c->additions[k].date);
        buf_puts(b, "</h3>\n<p>Begrundelse: ");
        html_text(b, c->additions[k].reason);
        buf_puts(b, "</p>\n");
        html_paragraphs(b, c->additions[k].text, NULL);
        buf_puts(b, "</section>\n");
    }
}

/* A tillæg form per case of the approved minutes, and the tillæg it has. */
static void additions(struct buf *b, const struct web_request *req, int64_t mid, bool sekr,
                      bool locked, struct again *ag)
{
    static const struct store_page all = {0, 200};
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    if (store_meeting_cases(req->store, mid, req->reader, &all, &v, &n, &total, &e) < 0)
        return;
    buf_puts(b, "<h2>Tillæg</h2>\n");
    if (!locked)
        buf_puts(b, "<p>Et godkendt referat kan kun rettes ved et dateret tillæg med en "
                    "begrundelse. Indtil referatet er godkendt, rettes sagerne direkte.</p>\n");
    for (size_t i = 0; i < n; i++) {
        struct case_doc *c = NULL;
        if (store_case_get(req->store, v[i].id, req->reader, &c, &e) < 0)
            continue;
        buf_printf(b, "<section class=\"minutes-case\"><h3><a href=\"/arbejde/sag/%lld\">",
                   (long long)v[i].id);
        html_text(b, c->title);
        buf_puts(b, "</a></h3>\n");
        for (size_t k = 0; k < c->nadditions; k++) {
            buf_puts(b, "<div class=\"addition\"><p class=\"meta\">Tillæg den ");
            html_date(b, c->additions[k].date);
            buf_puts(b, "</p><p>Begrundelse: ");
            html_text(b, c->additions[k].reason);
            buf_puts(b, "</p>\n");
            html_paragraphs(b, c->additions[k].text, NULL);
            buf_puts(b, "</div>\n");
        }
        if (sekr && locked) {
            char action[96], name[40];
            snprintf(action, sizeof action, "/arbejde/moede/%lld/referat/tillaeg", (long long)mid);
            snprintf(name, sizeof name, "tillaeg-%lld", (long long)v[i].id);
            bool again = ag && ag->form && strcmp(ag->form, name) == 0;
            web_form_open(b, req, action, false);
            buf_printf(b,
                       "<input type=\"hidden\" name=\"sag\" value=\"%lld\">\n"
                       "<input type=\"hidden\" name=\"version\" value=\"%d\">\n",
                       (long long)v[i].id, v[i].version);
            web_input(b,
                      &(struct web_input){.name = "begrundelse",
                                          .label = "Begrundelse",
                                          .type = WEB_INPUT_TEXT,
                                          .value = again ? ag->reason : NULL,
                                          .help = "Hvorfor referatet rettes (ét afsnit).",
                                          .required = true},
                      again ? &ag->er : NULL);
            web_input(b,
                      &(struct web_input){.name = "tekst",
                                          .label = "Tillæggets tekst",
                                          .type = WEB_INPUT_TEXTAREA,
                                          .value = again ? ag->text : NULL,
                                          .rows = 4,
                                          .required = true},
                      again ? &ag->er : NULL);
            web_form_close(b, "Tilføj tillæg");
        }
        buf_puts(b, "</section>\n");
        case_free(c);
    }
    store_case_refs_free(v, n);
}

/* Approved version N as it was approved: each case at its frozen version. */
static void approved_version(struct buf *b, const struct web_request *req,
                             const struct store_minutes_round *r)
{
    buf_printf(b, "<h2>Godkendt version %d</h2>\n<p>", r->version);
    html_text(b, outcome_label(r->outcome));
    buf_puts(b, " ");
    when(b, r->closed_at);
    buf_puts(b, ". Sådan så sagerne ud, da referatet blev godkendt; senere tillæg og "
                "ændringer er ikke med.</p>\n");
    for (size_t i = 0; i < r->ncases; i++) {
        struct case_doc *c = NULL;
        struct err e = {0};
        if (store_case_get_version(req->store, r->cases[i].case_id, r->cases[i].version,
                                   req->reader, &c, &e) < 0)
            continue;
        buf_puts(b, "<div class=\"frozen\">\n");
        case_inside(b, c);
        buf_puts(b, "</div>\n");
        case_free(c);
    }
    members(b, r);
}

static void render(const struct web_request *req, struct web_response *res, struct again *ag)
{
    int64_t mid = web_parse_id(req->seg[2]);
    struct store_minutes m = {0};
    struct store_meeting mt = {0};
    struct err e = {0};
    int rc = store_meeting_get(req->store, mid, req->reader, &mt, &e);
    if (rc == 0)
        rc = store_minutes_get(req->store, mid, req->reader, &m, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        store_meeting_fini(&mt);
        return;
    }
    int roles = reader_roles(req->reader, m.body_id);
    bool sekr = roles & ROLE_SEKRETAER;
    int64_t account = req->session ? req->session->account_id : 0;
    int from = wf_state_parse(&wf_meeting, m.state);
    bool locked = wf_state_locked(&wf_meeting, from);
    const char *vq = web_arg(req, "version");
    int want = vq ? atoi(vq) : 0;
    const struct store_minutes_round *shown = want ? store_minutes_approved(&m, want) : NULL;
    if (vq && !shown) {
        web_error_page(res, 404, "Der er ingen godkendt version af referatet med det nummer.");
        store_minutes_fini(&m);
        store_meeting_fini(&mt);
        return;
    }
    web_work_begin(res, "Referat", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Referat: ");
    html_text(b, mt.body_name);
    buf_puts(b, " ");
    web_date_long(b, mt.date);
    buf_printf(b,
               "</h1>\n<p class=\"meta\"><a href=\"/arbejde/moede/%lld\">Mødet</a> · "
               "Tilstand: ",
               (long long)mid);
    html_text(b, m.state ? wf_state_label(&wf_meeting, from) : "Importeret");
    buf_printf(b, " · Referatets version %d</p>\n", m.version);
    if (web_arg(req, "gemt"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Gemt.</p>\n");
    if (ag && ag->alert) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\">Intet er ændret: ");
        html_text(b, ag->alert);
        buf_puts(b, "</p>\n");
    }
    if (ag)
        web_errors_summary(b, &ag->er);
    if (shown) {
        approved_version(b, req, shown);
        web_page_end(res);
        store_minutes_fini(&m);
        store_meeting_fini(&mt);
        return;
    }
    const struct store_minutes_round *open = store_minutes_open(&m);
    if (!m.state) {
        buf_puts(b, "<p>Mødet kendes fra et importeret referat: det har ingen "
                    "godkendelsesrunde i referat.</p>\n");
        web_page_end(res);
        store_minutes_fini(&m);
        store_meeting_fini(&mt);
        return;
    }
    if (open) {
        buf_puts(b, "<h2>Til godkendelse</h2>\n");
        round_section(b, req, mid, open, sekr, ag);
        bool approved = false;
        if (is_member(open, account, &approved)) {
            char action[96];
            if (!approved) {
                snprintf(action, sizeof action, "/arbejde/moede/%lld/referat/godkend",
                         (long long)mid);
                web_form_open(b, req, action, false);
                buf_printf(b, "<input type=\"hidden\" name=\"runde\" value=\"%lld\">\n",
                           (long long)open->id);
                web_form_close(b, "Godkend referatet");
            } else {
                buf_puts(b, "<p>Du har godkendt referatet.</p>\n");
            }
            snprintf(action, sizeof action, "/arbejde/moede/%lld/referat/indsigelse",
                     (long long)mid);
            bool again = ag && ag->form && strcmp(ag->form, "indsigelse") == 0;
            web_form_open(b, req, action, false);
            buf_printf(b, "<input type=\"hidden\" name=\"runde\" value=\"%lld\">\n",
                       (long long)open->id);
            web_input(b,
                      &(struct web_input){.name = "tekst",
                                          .label = "Indsigelse",
                                          .help = "Hvad er forkert i referatet? Sekretæren "
                                                  "svarer, før referatet kan godkendes.",
                                          .type = WEB_INPUT_TEXTAREA,
                                          .value = again ? ag->text : NULL,
                                          .rows = 3,
                                          .required = true},
                      again ? &ag->er : NULL);
            web_form_close(b, "Gør indsigelse");
        }
    } else if (from == WF_MEETING_AFHOLDT) {
        buf_puts(b, "<p>Referatet er et udkast: sagernes beslutninger kan stadig skrives og "
                    "rettes.</p>\n");
    } else if (from < WF_MEETING_AFHOLDT || from == WF_MEETING_AFLYST) {
        buf_puts(b, "<p>Mødet er ikke afholdt endnu.</p>\n");
    }
    steps(b, req, mid, &m, roles, ag);
    /* Approved versions stay readable. */
    bool any = false;
    for (int v = 1; v <= m.version; v++) {
        const struct store_minutes_round *r = store_minutes_approved(&m, v);
        if (!r)
            continue;
        if (!any)
            buf_puts(b, "<h2>Godkendte versioner</h2>\n<ul class=\"list\">\n");
        any = true;
        buf_printf(b, "<li><a href=\"/arbejde/moede/%lld/referat?version=%d\">Version %d</a>: ",
                   (long long)mid, v, v);
        html_text(b, outcome_label(r->outcome));
        buf_puts(b, " ");
        when(b, r->closed_at);
        buf_puts(b, "</li>\n");
    }
    if (any)
        buf_puts(b, "</ul>\n");
    if (m.nreopens) {
        buf_puts(b, "<h2>Genåbninger</h2>\n<ul class=\"list\">\n");
        for (size_t i = 0; i < m.nreopens; i++) {
            buf_printf(b, "<li>Version %d åbnet ", m.reopens[i].version);
            when(b, m.reopens[i].at);
            if (m.reopens[i].by) {
                buf_puts(b, " af ");
                html_text(b, m.reopens[i].by);
            }
            buf_puts(b, ": ");
            html_text(b, m.reopens[i].reason);
            buf_puts(b, "</li>\n");
        }
        buf_puts(b, "</ul>\n");
    }
    if (from >= WF_MEETING_AFHOLDT && from != WF_MEETING_AFLYST)
        additions(b, req, mid, sekr, locked, ag);
    /* Earlier rounds, newest first, after what can be done now. */
    bool earlier = false;
    for (size_t i = m.nrounds; i-- > 0;) {
        if (&m.rounds[i] == open)
            continue;
        if (!earlier)
            buf_puts(b, "<h2>Tidligere runder</h2>\n");
        earlier = true;
        buf_puts(b, "<section class=\"minutes-round\">\n");
        round_section(b, req, mid, &m.rounds[i], sekr, ag);
        buf_puts(b, "</section>\n");
    }
    web_page_end(res);
    store_minutes_fini(&m);
    store_meeting_fini(&mt);
}

void page_work_minutes(const struct web_request *req, struct web_response *res)
{
    render(req, res, NULL);
}

static void done(const struct web_request *req, struct web_response *res)
{
    char loc[96];
    snprintf(loc, sizeof loc, "/arbejde/moede/%lld/referat?gemt=1",
             (long long)web_parse_id(req->seg[2]));
    web_redirect(res, 303, loc);
}

static void refuse(const struct web_request *req, struct web_response *res, struct again *ag,
                   int rc, const char *alert)
{
    if (rc == ERR_NOTFOUND || rc == ERR_DB) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", NULL);
        return;
    }
    ag->alert = alert;
    ag->status = rc == ERR_USAGE || rc == ERR_SYNTAX ? 400 : rc == ERR_DENIED ? 403 : 409;
    render(req, res, ag);
    if (res->status == 200)
        res->status = ag->status;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

static const char MEMBERS_ONLY[] = "kun udvalgets medlemmer (rollen medlem, da referatet blev "
                                   "sendt) kan godkende referatet eller gøre indsigelse.";
static const char STALE_ROUND[] = "referatet på siden er ikke længere det, der er til "
                                  "godkendelse (eller du har allerede godkendt det). Se siden "
                                  "igen.";

void page_work_minutes_approve_post(const struct web_request *req, struct web_response *res)
{
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    struct again ag = {0};
    int64_t round = web_parse_id(web_field(req, "runde"));
    if (!round) {
        refuse(req, res, &ag, ERR_USAGE,
               "formularen mangler den runde, du godkender. Se siden "
               "igen.");
        return;
    }
    int rc = store_minutes_approve(req->store, web_parse_id(req->seg[2]), round, &a, NULL, &e);
    if (rc == 0)
        done(req, res);
    else
        refuse(req, res, &ag, rc, rc == ERR_DENIED ? MEMBERS_ONLY : STALE_ROUND);
}

void page_work_minutes_object_post(const struct web_request *req, struct web_response *res)
{
    struct again ag = {.form = "indsigelse", .text = web_field(req, "tekst")};
    if (blank(ag.text) || strlen(ag.text) > MAX_TEXT) {
        web_errors_add(&ag.er, "tekst", "Indsigelse",
                       blank(ag.text) ? "Skriv din indsigelse." : "Højst 20000 tegn.");
        refuse(req, res, &ag, ERR_USAGE, NULL);
        return;
    }
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc = store_minutes_object(req->store, web_parse_id(req->seg[2]),
                                  web_parse_id(web_field(req, "runde")), ag.text, &a, NULL, &e);
    if (rc == 0)
        done(req, res);
    else if (rc == ERR_USAGE) {
        web_errors_add(&ag.er, "tekst", "Indsigelse",
                       "Teksten kan ikke stå i referatet, som den "
                       "er: en linje læses som en overskrift.");
        refuse(req, res, &ag, rc, NULL);
    } else
        refuse(req, res, &ag, rc, rc == ERR_DENIED ? MEMBERS_ONLY : STALE_ROUND);
}

void page_work_minutes_answer_post(const struct web_request *req, struct web_response *res)
{
    const char *oid = web_field(req, "indsigelse");
    char form[40];
    snprintf(form, sizeof form, "svar-%lld", (long long)web_parse_id(oid));
    struct again ag = {.form = form, .text = web_field(req, "svar")};
    if (blank(ag.text) || strlen(ag.text) > MAX_TEXT) {
        web_errors_add(&ag.er, "svar", "Svar på indsigelsen",
                       blank(ag.text) ? "Skriv et svar." : "Højst 20000 tegn.");
        refuse(req, res, &ag, ERR_USAGE, NULL);
        return;
    }
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc = store_minutes_answer(req->store, web_parse_id(req->seg[2]), web_parse_id(oid), ag.text,
                                  &a, NULL, &e);
    if (rc == 0)
        done(req, res);
    else
        refuse(req, res, &ag, rc,
               rc == ERR_DENIED  ? "kun udvalgets sekretær svarer på indsigelser."
               : rc == ERR_USAGE ? "svaret kan ikke stå i referatet, som det er."
                                 : "indsigelsen er allerede besvaret, eller runden er "
                                   "afsluttet. Se siden igen.");
}

void page_work_minutes_action_post(const struct web_request *req, struct web_response *res)
{
    const char *action = web_field(req, "handling"), *version = web_field(req, "version");
    char field[64];
    snprintf(field, sizeof field, "grund-%s", action ? action : "");
    struct again ag = {.form = action, .reason = web_field(req, field)};
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int64_t mid = web_parse_id(req->seg[2]);
    /* Only the minutes' own steps here; the others are the meeting page's. */
    static const char *const mine[] = {"send_referat_til_godkendelse", "returner_referat",
                                       "luk_godkendelse", "genaabn"};
    bool ours = false;
    for (size_t k = 0; action && k < sizeof mine / sizeof mine[0]; k++)
        ours |= strcmp(mine[k], action) == 0;
    if (!ours) {
        refuse(req, res, &ag, ERR_USAGE, "vælg en af referatets handlinger.");
        return;
    }
    int rc = store_meeting_transition(req->store, mid, version ? atoi(version) : 0,
                                      action ? action : "", ag.reason, &a, &e);
    if (rc == 0) {
        done(req, res);
        return;
    }
    /* The workflow's messages are Danish ("handling 'x' ..."); the round's are explained here. */
    const char *alert = e.msg;
    if (rc == ERR_SYNTAX && strstr(e.msg, "begrundelse")) {
        web_errors_add(&ag.er, field, "Begrundelse", "Skriv en begrundelse.");
        alert = NULL;
    } else if (rc == ERR_CONFLICT && strncmp(e.msg, "meeting ", 8) == 0) {
        alert = "mødet er blevet ændret, siden du åbnede siden. Se det igen, og prøv på ny.";
    } else if (rc == ERR_CONFLICT && (strstr(e.msg, "frist") || strstr(e.msg, "indsigelse"))) {
        alert = e.msg; /* the round's own messages are Danish: the deadline, objections */
    } else if (strncmp(e.msg, "handling", 8) != 0) {
        alert = "handlingen kunne ikke udføres.";
    }
    refuse(req, res, &ag, rc, alert);
}

void page_work_minutes_addition_post(const struct web_request *req, struct web_response *res)
{
    int64_t cid = web_parse_id(web_field(req, "sag"));
    char form[40];
    snprintf(form, sizeof form, "tillaeg-%lld", (long long)cid);
    struct again ag = {
        .form = form, .text = web_field(req, "tekst"), .reason = web_field(req, "begrundelse")};
    if (blank(ag.reason))
        web_errors_add(&ag.er, "begrundelse", "Begrundelse", "Skriv, hvorfor referatet rettes.");
    if (blank(ag.text))
        web_errors_add(&ag.er, "tekst", "Tillæggets tekst", "Skriv tillæggets tekst.");
    if (strlen(ag.text ? ag.text : "") > MAX_TEXT || strlen(ag.reason ? ag.reason : "") > 2000)
        web_errors_add(&ag.er, "tekst", "Tillæggets tekst", "Teksten er for lang.");
    if (ag.er.n) {
        refuse(req, res, &ag, ERR_USAGE, NULL);
        return;
    }
    /* The case must be on this meeting's agenda (the route checked the roles on the meeting). */
    static const struct store_page all = {0, 200};
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    int64_t mid = web_parse_id(req->seg[2]);
    bool on = false;
    if (store_meeting_cases(req->store, mid, req->reader, &all, &v, &n, &total, &e) == 0)
        for (size_t i = 0; i < n; i++)
            on |= v[i].id == cid;
    store_case_refs_free(v, n);
    if (!on) {
        refuse(req, res, &ag, ERR_USAGE, "sagen står ikke på dette mødes dagsorden.");
        return;
    }
    struct store_actor a;
    web_actor(req, &a);
    const char *version = web_field(req, "version");
    int rc = store_minutes_addition(req->store, cid, version ? atoi(version) : 0, ag.reason,
                                    ag.text, &a, NULL, &e);
    if (rc == 0) {
        done(req, res);
        return;
    }
    const char *alert = NULL;
    if (rc == ERR_USAGE) {
        bool reason = strncmp(e.msg, "reason", 6) == 0;
        web_errors_add(&ag.er, reason ? "begrundelse" : "tekst",
                       reason ? "Begrundelse" : "Tillæggets tekst",
                       reason ? "Begrundelsen skal være ét afsnit uden overskrifter."
                              : "En linje i teksten læses som en overskrift i referatet.");
    } else if (rc == ERR_DENIED) {
        alert = "kun udvalgets sekretær tilføjer tillæg.";
    } else if (rc == ERR_CONFLICT && strstr(e.msg, "not approved")) {
        alert = "referatet er ikke godkendt: ret sagen direkte.";
    } else {
        alert = "sagen er ændret, siden du åbnede siden (måske er tillægget allerede "
                "tilføjet). Se siden igen.";
    }
    refuse(req, res, &ag, rc, alert);
}
