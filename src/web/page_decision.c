/* page_decision: the minute-taker's decision page /arbejde/sag/ID/beslutning (issue 9): one
 * entry per sub-item prefilled from the agenda, the body's standard phrases one click away,
 * the follow-ups the extraction suggests (confirmed, edited or rejected by the sekretær, or
 * added by hand), "Opret kladde på næste møde" for a case treated again, and the
 * minute-taker's private notes. One form: every button is a submit (the page works without
 * script); "Gem beslutninger" saves the case's model through store_case_save. The script
 * (/static/decision.js) asks /arbejde/sag/ID/beslutning/forslag for an entry's suggestions
 * while its text is typed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/decision.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"
#include "web_static_decision.h"

enum { MAX_ENTRIES = 64, MAX_FOLLOWUPS = 32 };

/* The editor's policy (WEB_CSP_SCRIPT) and the one request the script makes: its suggestions,
 * from this origin. */
#define CSP_DECISION                                                                               \
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "                    \
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

/* What the page is about, as loaded for the request. */
struct page {
    int64_t id;
    struct store_case_ref ref;
    struct case_doc *model; /* the case as saved */
    struct store_meeting meeting;
    bool has_meeting;
    int roles;
    bool editable;   /* the sekretær, on a meeting i_gang or afholdt */
    const char *why; /* why not editable, for the sekretær */
    /* The decision being written: the saved one of this meeting, a prefilled one, or the
     * form's (owned). */
    struct decision work;
    size_t keep; /* index of the saved decision it replaces, SIZE_MAX: none (a new one) */
    struct store_decision_rejection *rejected;
    size_t nrejected;
    char **phrases;
    size_t nphrases;
    int64_t draft; /* the draft already made for this case, or 0 */
};

static char *dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static char *trimmed(const char *s)
{
    if (blank(s))
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    /* The form sends CRLF; the model holds LF. */
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
            buf_putc(&b, s[i]);
    return buf_detach(&b);
}

static void entry_clear(struct entry *e)
{
    free(e->title);
    free(e->text);
    decision_followups_free(e->followups, e->nfollowups);
    for (size_t i = 0; i < e->ndates; i++) {
        free(e->dates[i].text);
        free(e->dates[i].start);
        free(e->dates[i].end);
    }
    free(e->dates);
    *e = (struct entry){0};
}

static void work_clear(struct decision *d)
{
    free(d->body);
    free(d->date);
    free(d->text);
    for (size_t i = 0; i < d->nentries; i++)
        entry_clear(&d->entries[i]);
    free(d->entries);
    decision_followups_free(d->followups, d->nfollowups); /* issue 10, flat follow-ups */
    *d = (struct decision){0};
}

static void work_copy(struct decision *d, const struct decision *s)
{
    d->body = dup(s->body);
    d->date = dup(s->date);
    d->text = dup(s->text);
    for (size_t i = 0; i < s->nentries; i++) {
        struct entry *e = decision_add_entry(d);
        e->title = dup(s->entries[i].title);
        e->subitem = s->entries[i].subitem;
        e->text = dup(s->entries[i].text);
        for (size_t k = 0; k < s->entries[i].nfollowups; k++)
            decision_followup_copy(entry_add_followup(e), &s->entries[i].followups[k]);
    }
    for (size_t k = 0; k < s->nfollowups; k++) /* issue 10, flat follow-ups */
        decision_followup_copy(decision_add_followup(d), &s->followups[k]);
}

static void page_fini(struct page *p)
{
    store_case_ref_fini(&p->ref);
    case_free(p->model);
    if (p->has_meeting)
        store_meeting_fini(&p->meeting);
    work_clear(&p->work);
    store_decision_rejections_free(p->rejected, p->nrejected);
    decision_phrases_free(p->phrases, p->nphrases);
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Loads the case, its meeting and what the page offers; answers the failure itself. */
static bool load(const struct web_request *req, struct web_response *res, struct page *p)
{
    struct err e = {0};
    int64_t mid = 0;
    *p = (struct page){.id = web_parse_id(req->seg[2]), .keep = SIZE_MAX};
    int rc = store_case_ref_get(req->store, p->id, req->reader, &p->ref, &e);
    if (rc == 0)
        rc = store_case_get(req->store, p->id, req->reader, &p->model, &e);
    if (rc == 0)
        rc = store_case_roles(req->store, p->id, req->reader, &p->roles, &e);
    if (rc == 0)
        rc = store_case_meeting(req->store, p->id, req->reader, &mid, &e);
    if (rc == 0 && mid) {
        rc = store_meeting_get(req->store, mid, req->reader, &p->meeting, &e);
        p->has_meeting = rc == 0;
    }
    if (rc == 0)
        rc = store_decision_rejections(req->store, p->id, req->reader, &p->rejected, &p->nrejected,
                                       &e);
    if (rc == 0)
        rc = store_decision_draft_get(req->store, p->id, req->reader, &p->draft, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Sagen findes ikke.", &e);
        return false;
    }
    char *phrases = NULL;
    if (p->ref.body &&
        store_body_setting_get(req->store, p->ref.body, "decision.phrases", &phrases, &e) == 0)
        p->nphrases = decision_phrases(phrases, &p->phrases);
    free(phrases);
    const char *st = p->has_meeting ? p->meeting.state : NULL;
    if (!(p->roles & ROLE_SEKRETAER))
        p->why = "Kun organets sekretær skriver beslutningerne.";
    else if (!p->ref.state)
        p->why = "Sagen er indlæst fra et offentliggjort referat og ændres ved en ny import.";
    else if (!st)
        p->why = "Sagen er ikke på et mødes dagsorden endnu.";
    else if (strcmp(st, "i_gang") != 0 && strcmp(st, "afholdt") != 0)
        p->why = "Beslutningerne skrives, mens mødet er i gang, og når det er afholdt.";
    p->editable = !p->why;
    /* The decision of this meeting: the saved one, else one prefilled from the agenda. */
    const char *body =
        p->has_meeting ? (p->meeting.body_name ? p->meeting.body_name : p->meeting.body) : NULL;
    const char *date = p->has_meeting ? p->meeting.date : NULL;
    for (size_t i = 0; i < p->model->ndecisions; i++)
        if (same(p->model->decisions[i].date, date) && same(p->model->decisions[i].body, body))
            p->keep = i;
    if (p->keep != SIZE_MAX) {
        work_copy(&p->work, &p->model->decisions[p->keep]);
        /* A sub-item added to the agenda since the decisions were saved gets its entry. */
        for (size_t i = 0; i < p->model->nsubitems; i++) {
            bool has = false;
            for (size_t k = 0; k < p->work.nentries && !has; k++)
                has = p->work.entries[k].subitem == i + 1;
            if (has)
                continue;
            struct entry *en = decision_add_entry(&p->work);
            en->title = dup(p->model->subitems[i].title);
            en->subitem = i + 1;
            en->text = decision_guest_text(&p->model->subitems[i]);
        }
    } else if (p->has_meeting) {
        struct case_doc *t = case_dup(p->model);
        struct decision *d = decision_prefill(t, body, date);
        work_copy(&p->work, d);
        case_free(t);
    }
    return true;
}

static bool rejected(const struct page *p, size_t subitem, const struct followup *f)
{
    for (size_t i = 0; i < p->nrejected; i++)
        if (p->rejected[i].subitem == subitem && same(p->rejected[i].owner, f->owner) &&
            same(p->rejected[i].text, f->text))
            return true;
    return false;
}

/* The suggestions of entry i: the extraction's follow-ups of its text, less those rejected
 * and those already confirmed (same owner and sentence). The order is the extraction's, so
 * a button's index means the same suggestion in the page and in the POST it sends. */
static size_t suggestions(const struct page *p, size_t i, struct followup **out)
{
    const struct entry *en = &p->work.entries[i];
    struct followup *f = NULL;
    size_t n = decision_suggest(p->model, en->subitem, en->text, p->work.date, &f), k = 0;
    for (size_t j = 0; j < n; j++) {
        bool known = rejected(p, en->subitem, &f[j]);
        for (size_t c = 0; c < en->nfollowups && !known; c++)
            known =
                same(en->followups[c].owner, f[j].owner) && same(en->followups[c].text, f[j].text);
        if (known)
            decision_followup_fini(&f[j]);
        else
            f[k++] = f[j];
    }
    *out = f;
    return k;
}

static void field_name(char *out, size_t cap, size_t i, const char *what)
{
    snprintf(out, cap, "b[%zu].%s", i + 1, what);
}

static void followup_name(char *out, size_t cap, size_t i, size_t k, const char *what)
{
    snprintf(out, cap, "b[%zu].opf[%zu].%s", i + 1, k + 1, what);
}

/* ---- the form back into the page's decision ---- */

/* Reads the form's entries into p->work; field errors into er. */
static void parse(const struct web_request *req, struct page *p, struct web_errors *er)
{
    const char *body = p->work.body, *date = p->work.date;
    struct decision d = {
        .body = dup(body), .date = dup(date), .text = trimmed(web_field(req, "indledning"))};
    const char *count = web_field(req, "antal");
    size_t n = count ? strtoul(count, NULL, 10) : 0;
    if (n > MAX_ENTRIES)
        n = MAX_ENTRIES;
    char name[64];
    for (size_t i = 0; i < n; i++) {
        struct entry *e = decision_add_entry(&d);
        field_name(name, sizeof name, i, "titel");
        e->title = trimmed(web_field(req, name));
        field_name(name, sizeof name, i, "tekst");
        e->text = trimmed(web_field(req, name));
        field_name(name, sizeof name, i, "punkt");
        const char *sub = web_field(req, name);
        char *end = NULL;
        unsigned long v = sub ? strtoul(sub, &end, 10) : 0;
        if (sub && (end == sub || *end || v > p->model->nsubitems))
            web_errors_add(er, name, "Punkt",
                           "Punktet findes ikke på sagens dagsorden: vælg et "
                           "punkt fra 1 til %zu.",
                           p->model->nsubitems);
        else
            e->subitem = v;
        /* An entry is never without its bullet: the sub-item's title, or the case's. */
        if (!e->title)
            e->title = dup(e->subitem && e->subitem <= p->model->nsubitems
                               ? p->model->subitems[e->subitem - 1].title
                               : p->model->title);
        field_name(name, sizeof name, i, "opf");
        const char *nf = web_field(req, name);
        size_t m = nf ? strtoul(nf, NULL, 10) : 0;
        if (m > MAX_FOLLOWUPS)
            m = MAX_FOLLOWUPS;
        for (size_t k = 0; k <= m; k++) {
            /* k == m: the row for one more follow-up by hand ("ny"). */
            char on[64], rn[64], tn[64], dn[64], xn[64];
            if (k < m) {
                followup_name(on, sizeof on, i, k, "ansvarlig");
                followup_name(rn, sizeof rn, i, k, "rolle");
                followup_name(tn, sizeof tn, i, k, "tekst");
                followup_name(dn, sizeof dn, i, k, "frist");
                followup_name(xn, sizeof xn, i, k, "fjern");
            } else {
                snprintf(on, sizeof on, "b[%zu].ny.ansvarlig", i + 1);
                snprintf(rn, sizeof rn, "b[%zu].ny.rolle", i + 1);
                snprintf(tn, sizeof tn, "b[%zu].ny.tekst", i + 1);
                snprintf(dn, sizeof dn, "b[%zu].ny.frist", i + 1);
                xn[0] = '\0';
            }
            const char *fjern = *xn ? web_field(req, xn) : NULL;
            if (fjern && *fjern && strcmp(fjern, "0") != 0)
                continue;
            char *owner = trimmed(web_field(req, on)), *role = trimmed(web_field(req, rn));
            char *text = trimmed(web_field(req, tn)), *due = trimmed(web_field(req, dn));
            if (!owner && !role && !text && !due)
                continue; /* a blank row */
            if (!owner)
                web_errors_add(er, on, "Ansvarlig",
                               "Skriv, hvem der følger op (en person "
                               "eller en enhed).");
            if (due && !web_is_date(due))
                web_errors_add(er, dn, "Frist", "Forventede en dato som 2024-01-09.");
            else if (due && date && strcmp(due, date) < 0)
                web_errors_add(er, dn, "Frist",
                               "Fristen ligger før mødet (%s): vælg en dato "
                               "fra mødets dato og frem.",
                               date);
            struct followup *f = entry_add_followup(e);
            *f = (struct followup){owner, role, text, due};
        }
    }
    work_clear(&p->work);
    p->work = d;
}

/* ---- rendering ---- */

static void notice_box(struct buf *b, const char *notice, const char *alert)
{
    if (notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, notice);
        buf_puts(b, "</p>\n");
    }
    if (alert) {
        buf_puts(b, "<div class=\"alert\" role=\"alert\"><p>");
        html_text(b, alert);
        buf_puts(b, "</p></div>\n");
    }
}

static void followup_line(struct buf *b, const struct followup *f)
{
    html_text(b, f->owner);
    if (f->role) {
        buf_puts(b, " (");
        html_text(b, f->role);
        buf_puts(b, ")");
    }
    if (f->due) {
        buf_puts(b, ", frist ");
        web_date_long(b, f->due);
    }
    if (f->text) {
        buf_puts(b, ": <q>");
        html_text(b, f->text);
        buf_puts(b, "</q>");
    }
}

/* The suggestions of entry i as list items (the script renders the same from the JSON). */
static void render_suggestions(struct buf *b, const struct page *p, size_t i)
{
    struct followup *f = NULL;
    size_t n = suggestions(p, i, &f);
    buf_printf(b, "<div class=\"suggestions\" aria-live=\"polite\" data-entry=\"%zu\">", i + 1);
    if (n) {
        buf_puts(b, "<p>Forslag til opfølgning, læst ud af teksten:</p><ul class=\"list\">");
        for (size_t k = 0; k < n; k++) {
            buf_puts(b, "<li class=\"suggestion\">");
            followup_line(b, &f[k]);
            buf_printf(b,
                       " <button type=\"submit\" name=\"handling\" value=\"bekraeft:%zu:%zu\">"
                       "Bekræft</button> <button type=\"submit\" name=\"handling\" "
                       "value=\"afvis:%zu:%zu\">Afvis</button></li>",
                       i + 1, k + 1, i + 1, k + 1);
        }
        buf_puts(b, "</ul>");
    }
    buf_puts(b, "</div>\n");
    decision_followups_free(f, n);
}

static void render_entry_form(struct buf *b, const struct page *p, size_t i, struct web_errors *er)
{
    const struct entry *en = &p->work.entries[i];
    char name[64], help[160];
    buf_printf(b, "<fieldset class=\"decision\" id=\"beslutning-%zu\"><legend>", i + 1);
    if (en->subitem)
        buf_printf(b, "Punkt %zu: ", en->subitem);
    html_text(b, en->title ? en->title : p->model->title);
    buf_puts(b, "</legend>\n");
    field_name(name, sizeof name, i, "punkt");
    buf_puts(b, "<input type=\"hidden\" name=\"");
    html_attr(b, name);
    buf_printf(b, "\" value=\"%zu\">\n", en->subitem);
    field_name(name, sizeof name, i, "titel");
    web_input(b, &(struct web_input){.name = name, .label = "Overskrift", .value = en->title}, er);
    field_name(name, sizeof name, i, "tekst");
    web_input(b,
              &(struct web_input){.name = name,
                                  .label = "Beslutning",
                                  .type = WEB_INPUT_TEXTAREA,
                                  .rows = 5,
                                  .value = en->text,
                                  .help = "Opfølgninger læses ud af teksten som forslag "
                                          "(\"Ledelsessekretariatet følger op.\")."},
              er);
    if (p->nphrases) {
        buf_puts(b, "<p class=\"phrases\">Indsæt: ");
        for (size_t k = 0; k < p->nphrases; k++) {
            buf_printf(b, "<button type=\"submit\" name=\"handling\" value=\"frase:%zu:%zu\">",
                       i + 1, k + 1);
            html_text(b, p->phrases[k]);
            buf_puts(b, "</button> ");
        }
        buf_puts(b, "</p>\n");
    }
    render_suggestions(b, p, i);
    field_name(name, sizeof name, i, "opf");
    buf_puts(b, "<input type=\"hidden\" name=\"");
    html_attr(b, name);
    buf_printf(b, "\" value=\"%zu\">\n", en->nfollowups);
    for (size_t k = 0; k < en->nfollowups; k++) {
        const struct followup *f = &en->followups[k];
        buf_printf(b, "<fieldset class=\"followup\"><legend>Opfølgning %zu</legend>\n", k + 1);
        followup_name(name, sizeof name, i, k, "ansvarlig");
        web_input(b,
                  &(struct web_input){
                      .name = name, .label = "Ansvarlig", .value = f->owner, .required = true},
                  er);
        followup_name(name, sizeof name, i, k, "rolle");
        web_input(b, &(struct web_input){.name = name, .label = "Rolle", .value = f->role}, er);
        followup_name(name, sizeof name, i, k, "tekst");
        web_input(b, &(struct web_input){.name = name, .label = "Opgave", .value = f->text}, er);
        followup_name(name, sizeof name, i, k, "frist");
        snprintf(help, sizeof help, "Tidligst mødets dato%s%s.", p->work.date ? ", " : "",
                 p->work.date ? p->work.date : "");
        web_input(b,
                  &(struct web_input){.name = name,
                                      .label = "Frist",
                                      .value = f->due,
                                      .type = WEB_INPUT_DATE,
                                      .help = help},
                  er);
        followup_name(name, sizeof name, i, k, "fjern");
        web_input(b,
                  &(struct web_input){
                      .name = name, .label = "Fjern opfølgningen", .type = WEB_INPUT_CHECKBOX},
                  er);
        buf_puts(b, "</fieldset>\n");
    }
    buf_puts(b, "<fieldset class=\"followup\"><legend>Ny opfølgning</legend>\n");
    const char *what[4][2] = {
        {"ansvarlig", "Ansvarlig"}, {"rolle", "Rolle"}, {"tekst", "Opgave"}, {"frist", "Frist"}};
    for (size_t k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "b[%zu].ny.%s", i + 1, what[k][0]);
        web_input(b,
                  &(struct web_input){.name = name,
                                      .label = what[k][1],
                                      .type = k == 3 ? WEB_INPUT_DATE : WEB_INPUT_TEXT},
                  er);
    }
    buf_printf(b,
               "<button type=\"submit\" name=\"handling\" value=\"tilfoej:%zu\">Tilføj "
               "opfølgning</button>\n</fieldset>\n",
               i + 1);
    buf_puts(b, "</fieldset>\n");
}

static void render_entry_read(struct buf *b, const struct page *p, size_t i)
{
    const struct entry *en = &p->work.entries[i];
    buf_puts(b, "<section class=\"decision\"><h3>");
    if (en->subitem)
        buf_printf(b, "Punkt %zu: ", en->subitem);
    html_text(b, en->title ? en->title : p->model->title);
    buf_puts(b, "</h3>\n");
    if (en->text)
        html_paragraphs(b, en->text, NULL);
    else
        buf_puts(b, "<p class=\"meta\">Ingen beslutning skrevet.</p>\n");
    if (en->nfollowups) {
        buf_puts(b, "<p>Opfølgning:</p><ul class=\"list\">");
        for (size_t k = 0; k < en->nfollowups; k++) {
            buf_puts(b, "<li>");
            followup_line(b, &en->followups[k]);
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    buf_puts(b, "</section>\n");
}

static bool treated_again(const struct page *p)
{
    if (decision_treated_again(p->work.text))
        return true;
    for (size_t i = 0; i < p->work.nentries; i++)
        if (decision_treated_again(p->work.entries[i].text))
            return true;
    return false;
}

static void render_notes(const struct web_request *req, struct buf *b, const struct page *p,
                         struct web_errors *er)
{
    struct store_case_note *v = NULL;
    size_t n = 0;
    struct err e = {0};
    buf_puts(b, "<section class=\"notes\"><h2>Private noter</h2>\n<p class=\"meta\">Kun "
                "organets sekretærer ser noterne. De kommer aldrig med i referatet, eksporter, "
                "søgning, portalen, feeds, API eller e-mails.</p>\n");
    if (store_case_notes(req->store, p->id, req->reader, &v, &n, &e) == 0 && n) {
        buf_puts(b, "<ul class=\"list\">");
        for (size_t i = 0; i < n; i++) {
            buf_puts(b, "<li><span class=\"meta\">");
            html_text(b, v[i].created_at);
            buf_puts(b, " · ");
            html_text(b, v[i].author);
            if (v[i].subitem)
                buf_printf(b, " · punkt %zu", v[i].subitem);
            buf_puts(b, "</span>");
            html_paragraphs(b, v[i].text, NULL);
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    store_case_notes_free(v, n);
    if (p->editable) {
        struct web_choice choices[MAX_ENTRIES + 2];
        char labels[MAX_ENTRIES + 1][24], values[MAX_ENTRIES + 1][8];
        size_t nc = 0;
        choices[nc++] = (struct web_choice){"0", "Hele sagen"};
        for (size_t i = 0; i < p->model->nsubitems && nc <= MAX_ENTRIES; i++, nc++) {
            snprintf(values[nc], sizeof values[nc], "%zu", i + 1);
            snprintf(labels[nc], sizeof labels[nc], "Punkt %zu", i + 1);
            choices[nc] = (struct web_choice){values[nc], labels[nc]};
        }
        choices[nc] = (struct web_choice){NULL, NULL};
        web_input(b,
                  &(struct web_input){.name = "note.punkt",
                                      .label = "Noten gælder",
                                      .type = WEB_INPUT_SELECT,
                                      .choices = choices,
                                      .value = web_field(req, "note.punkt")},
                  er);
        web_input(
            b,
            &(struct web_input){
                .name = "note.tekst", .label = "Ny note", .type = WEB_INPUT_TEXTAREA, .rows = 3},
            er);
        buf_puts(b, "<button type=\"submit\" name=\"handling\" value=\"note\">Gem noten"
                    "</button>\n");
    }
    buf_puts(b, "</section>\n");
}

static void render(const struct web_request *req, struct web_response *res, struct page *p,
                   int status, const char *notice, const char *alert, struct web_errors *er)
{
    struct web_errors none = {0};
    if (!er)
        er = &none;
    /* Our own script (no inline script): the policy says so itself. */
    if (p->editable)
        web_header_add(res, "Content-Security-Policy", CSP_DECISION);
    web_work_begin(res, "Beslutninger", "moeder");
    res->status = status;
    struct buf *b = &res->body;
    if (p->editable)
        buf_puts(b, "<script src=\"/static/decision.js\" defer></script>\n");
    buf_puts(b, "<h1>Beslutninger: ");
    html_text(b, p->ref.title);
    buf_puts(b, "</h1>\n<p class=\"meta\">");
    if (p->has_meeting) {
        buf_printf(b, "<a href=\"/arbejde/moede/%lld\">", (long long)p->meeting.id);
        html_text(b, p->meeting.body_name ? p->meeting.body_name : p->meeting.body);
        buf_puts(b, ", ");
        web_date_long(b, p->meeting.date);
        buf_puts(b, "</a> · ");
    }
    buf_printf(b, "<a href=\"/arbejde/sag/%lld\">Sagen</a> · version %d</p>\n", (long long)p->id,
               p->ref.version);
    notice_box(b, notice, alert);
    web_errors_summary(b, er);
    if (!p->editable && p->why && (p->roles & ROLE_SEKRETAER))
        notice_box(b, p->why, NULL);
    if (!p->editable) {
        if (p->keep == SIZE_MAX)
            buf_puts(b, "<p>Der er ingen beslutninger fra mødet endnu.</p>\n");
        else if (p->work.text)
            html_paragraphs(b, p->work.text, NULL);
        if (p->keep != SIZE_MAX)
            for (size_t i = 0; i < p->work.nentries; i++)
                render_entry_read(b, p, i);
        if (p->roles & ROLE_SEKRETAER)
            render_notes(req, b, p, er);
        web_page_end(res);
        return;
    }
    char action[64];
    snprintf(action, sizeof action, "/arbejde/sag/%lld/beslutning", (long long)p->id);
    web_form_open(b, req, action, false);
    buf_printf(b,
               "<input type=\"hidden\" name=\"version\" value=\"%d\">\n"
               "<input type=\"hidden\" name=\"antal\" value=\"%zu\">\n",
               p->ref.version, p->work.nentries);
    if (p->keep == SIZE_MAX)
        buf_puts(b, "<p class=\"meta\">Udfyldt fra dagsordenen (punkternes titler og gæster). "
                    "Intet er gemt, før du trykker Gem beslutninger.</p>\n");
    web_input(b,
              &(struct web_input){.name = "indledning",
                                  .label = "Indledning",
                                  .type = WEB_INPUT_TEXTAREA,
                                  .rows = 2,
                                  .value = p->work.text,
                                  .help = "Teksten før punkternes beslutninger, eller tom."},
              er);
    for (size_t i = 0; i < p->work.nentries; i++)
        render_entry_form(b, p, i, er);
    if (treated_again(p)) {
        buf_puts(b, "<section class=\"again\"><h2>Behandles igen</h2>\n");
        if (p->draft)
            buf_printf(b,
                       "<p>Kladden til næste møde er oprettet: <a href=\"/arbejde/sag/%lld\">"
                       "sag %lld</a>.</p>\n",
                       (long long)p->draft, (long long)p->draft);
        else
            buf_puts(b, "<p>Beslutningen siger, at sagen behandles igen. Referatet ændres "
                        "ikke.</p>\n<button type=\"submit\" name=\"handling\" value=\"kladde\">"
                        "Opret kladde på næste møde</button>\n");
        buf_puts(b, "</section>\n");
    }
    buf_puts(b, "<p><button type=\"submit\" name=\"handling\" value=\"gem\">Gem beslutninger"
                "</button></p>\n");
    render_notes(req, b, p, er);
    buf_puts(b, "</form>\n");
    web_page_end(res);
}

void page_work_decision(const struct web_request *req, struct web_response *res)
{
    struct page p;
    if (!load(req, res, &p)) {
        page_fini(&p);
        return;
    }
    const char *notice = NULL;
    if (web_arg(req, "gemt"))
        notice = "Beslutningerne er gemt.";
    else if (web_arg(req, "kladde"))
        notice = "Kladden til næste møde er oprettet.";
    render(req, res, &p, 200, notice, NULL, NULL);
    page_fini(&p);
}

/* "frase:2:1" -> 2 and 1 (both 1-based and within their counts), else false. */
static bool two(const char *v, const char *prefix, size_t *a, size_t *b)
{
    size_t l = strlen(prefix);
    if (strncmp(v, prefix, l) != 0)
        return false;
    char *end = NULL;
    unsigned long x = strtoul(v + l, &end, 10);
    if (end == v + l || (b && *end != ':') || (!b && *end))
        return false;
    *a = x;
    if (b) {
        const char *q = end + 1;
        unsigned long y = strtoul(q, &end, 10);
        if (end == q || *end)
            return false;
        *b = y;
    }
    return true;
}

/* The case's model with the page's decision in place of this meeting's (or added). */
static struct case_doc *model_with(const struct page *p)
{
    struct case_doc *m = case_dup(p->model);
    struct decision *d;
    if (p->keep != SIZE_MAX) {
        d = &m->decisions[p->keep];
        work_clear(d);
    } else {
        d = case_add_decision(m);
    }
    work_copy(d, &p->work);
    /* Dates are read from each entry's text, as the readers of the exports read them. */
    for (size_t i = 0; i < d->nentries; i++) {
        struct dateref *v = NULL;
        size_t n = decision_entry_dates(d->entries[i].text, d->date, &v);
        d->entries[i].dates = v;
        d->entries[i].ndates = n;
    }
    return m;
}

static void save(const struct web_request *req, struct web_response *res, struct page *p, int base)
{
    struct case_doc *m = model_with(p);
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    struct store_save sv = {.case_id = p->id, .base_version = base, .model = m};
    int rc = store_case_save(req->store, &sv, &a, NULL, NULL, &e);
    case_free(m);
    if (rc == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld/beslutning?gemt=1", (long long)p->id);
        web_redirect(res, 303, loc);
        return;
    }
    char msg[sizeof e.msg + 192];
    if (rc == ERR_CONFLICT)
        snprintf(msg, sizeof msg,
                 "Sagen er ændret, siden du åbnede den: %s Intet er gemt. Formularen viser din "
                 "tekst oven på den nyeste version: se den efter, og gem igen.",
                 e.msg);
    else
        snprintf(msg, sizeof msg, "Beslutningerne kan ikke gemmes: %s Intet er gemt.", e.msg);
    if (rc == ERR_CONFLICT || rc == ERR_USAGE || rc == ERR_DENIED)
        render(req, res, p,
               rc == ERR_CONFLICT ? 409
               : rc == ERR_DENIED ? 403
                                  : 400,
               NULL, msg, NULL);
    else
        web_fail(res, rc, false, NULL, &e);
}

void page_work_decision_post(const struct web_request *req, struct web_response *res)
{
    struct page p;
    if (!load(req, res, &p)) {
        page_fini(&p);
        return;
    }
    if (!p.editable) {
        render(req, res, &p, p.roles & ROLE_SEKRETAER ? 409 : 403, NULL,
               p.why ? p.why : "Beslutningerne kan ikke skrives her.", NULL);
        page_fini(&p);
        return;
    }
    const char *ver = web_field(req, "version"), *h = web_field(req, "handling");
    char *end = NULL;
    long base = ver ? strtol(ver, &end, 10) : -1;
    if (!ver || end == ver || *end || base < 0) {
        render(req, res, &p, 400, NULL, "Formularen mangler sagens version: åbn siden igen.", NULL);
        page_fini(&p);
        return;
    }
    if (!h)
        h = "gem";
    struct web_errors er = {0};
    parse(req, &p, &er);
    size_t i = 0, k = 0;
    struct err e = {0};
    struct store_actor a;
    web_actor(req, &a);
    const char *notice = NULL;
    char msg[sizeof e.msg + 192];
    if (strcmp(h, "gem") == 0) {
        if (er.n)
            render(req, res, &p, 400, NULL, NULL, &er);
        else
            save(req, res, &p, (int)base);
    } else if (two(h, "frase:", &i, &k) && i >= 1 && i <= p.work.nentries && k >= 1 &&
               k <= p.nphrases) {
        struct entry *en = &p.work.entries[i - 1];
        char *t = decision_append_phrase(en->text, p.phrases[k - 1]);
        free(en->text);
        en->text = t;
        render(req, res, &p, 200, "Formuleringen er indsat. Intet er gemt endnu.", NULL, &er);
    } else if ((two(h, "bekraeft:", &i, &k) || two(h, "afvis:", &i, &k)) && i >= 1 &&
               i <= p.work.nentries) {
        struct followup *f = NULL;
        size_t n = suggestions(&p, i - 1, &f);
        struct entry *en = &p.work.entries[i - 1];
        if (k < 1 || k > n) {
            render(req, res, &p, 409, NULL,
                   "Forslaget findes ikke længere (teksten er ændret). "
                   "Intet er ændret.",
                   &er);
        } else if (h[0] == 'b') {
            decision_followup_copy(entry_add_followup(en), &f[k - 1]);
            render(req, res, &p, 200,
                   "Forslaget er bekræftet som opfølgning: ret det efter "
                   "behov, og gem beslutningerne.",
                   NULL, &er);
        } else if (store_decision_reject(req->store, p.id, en->subitem, f[k - 1].owner,
                                         f[k - 1].text, &a, &e) == 0) {
            struct store_decision_rejection *v = NULL;
            size_t nv = 0;
            if (store_decision_rejections(req->store, p.id, req->reader, &v, &nv, &e) == 0) {
                store_decision_rejections_free(p.rejected, p.nrejected);
                p.rejected = v;
                p.nrejected = nv;
            }
            render(req, res, &p, 200, "Forslaget er afvist og foreslås ikke igen for den tekst.",
                   NULL, &er);
        } else {
            snprintf(msg, sizeof msg, "Forslaget kan ikke afvises: %s", e.msg);
            render(req, res, &p, 400, NULL, msg, &er);
        }
        decision_followups_free(f, n);
    } else if (two(h, "tilfoej:", &i, NULL) && i >= 1 && i <= p.work.nentries) {
        /* parse() took the "ny" row in as a follow-up already: the page shows it as one. */
        render(req, res, &p, er.n ? 400 : 200,
               er.n ? NULL
                    : "Opfølgningen er tilføjet. Husk "
                      "at gemme beslutningerne.",
               NULL, &er);
    } else if (strcmp(h, "note") == 0) {
        const char *text = web_field(req, "note.tekst"), *sub = web_field(req, "note.punkt");
        size_t si = sub ? strtoul(sub, NULL, 10) : 0;
        int rc = blank(text) ? ERR_USAGE : 0;
        if (rc == 0)
            rc = store_case_note_add(req->store, p.id, si, text, &a, NULL, &e);
        if (rc == 0) {
            notice = "Noten er gemt. Kun organets sekretærer ser den.";
            render(req, res, &p, 200, notice, NULL, &er);
        } else {
            struct web_errors ne = er;
            web_errors_add(&ne,
                           rc == ERR_USAGE && sub && strstr(e.msg, "subitem") ? "note.punkt"
                                                                              : "note.tekst",
                           "Note", "%s",
                           blank(text) ? "Skriv noten, før du gemmer den."
                                       : "Noten kan ikke gemmes: punktet findes "
                                         "ikke, eller teksten er for lang.");
            render(req, res, &p, rc == ERR_DENIED ? 403 : 400, NULL, NULL, &ne);
        }
    } else if (strcmp(h, "kladde") == 0) {
        int64_t draft = 0, meeting = 0;
        int rc = treated_again(&p)
                     ? store_decision_draft(req->store, p.id, &a, &draft, &meeting, &e)
                     : ERR_USAGE;
        if (rc == 0) {
            char loc[96];
            snprintf(loc, sizeof loc, "/arbejde/sag/%lld/beslutning?kladde=%lld", (long long)p.id,
                     (long long)draft);
            web_redirect(res, 303, loc);
        } else {
            snprintf(msg, sizeof msg, "%s Intet er oprettet.",
                     rc == ERR_USAGE      ? "Beslutningen siger ikke, at sagen behandles igen."
                     : rc == ERR_CONFLICT ? "Kladden til næste møde er allerede oprettet."
                                          : "Kladden kan ikke oprettes.");
            render(req, res, &p,
                   rc == ERR_CONFLICT ? 409
                   : rc == ERR_DENIED ? 403
                                      : 400,
                   NULL, msg, &er);
        }
    } else {
        render(req, res, &p, 400, NULL,
               "Ukendt handling: brug knapperne på siden. Intet er "
               "ændret.",
               &er);
    }
    page_fini(&p);
}

/* POST /arbejde/sag/ID/beslutning/forslag: the suggestions of entry `punkt` (the form's entry
 * number) for the form as it is now, as JSON, for the script. */
void page_work_decision_suggest(const struct web_request *req, struct web_response *res)
{
    struct page p;
    res->nocache = true;
    if (!load(req, res, &p)) {
        page_fini(&p);
        return;
    }
    struct web_errors er = {0};
    parse(req, &p, &er);
    const char *entry = web_field(req, "indgang");
    char *end = NULL;
    unsigned long i = entry ? strtoul(entry, &end, 10) : 0;
    if (!entry || end == entry || *end || i < 1 || i > p.work.nentries) {
        web_json_error(res, 400, "indgang: forventede et beslutningsnummer fra formularen");
        page_fini(&p);
        return;
    }
    struct followup *f = NULL;
    size_t n = suggestions(&p, i - 1, &f);
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++) {
        char confirm[64], reject[64];
        snprintf(confirm, sizeof confirm, "bekraeft:%lu:%zu", i, k + 1);
        snprintf(reject, sizeof reject, "afvis:%lu:%zu", i, k + 1);
        json_array_append_new(
            list, json_pack("{s:o,s:o,s:o,s:o,s:s,s:s}", "owner", web_json_str(f[k].owner), "role",
                            web_json_str(f[k].role), "due", web_json_str(f[k].due), "text",
                            web_json_str(f[k].text), "confirm", confirm, "reject", reject));
    }
    decision_followups_free(f, n);
    web_json(res, 200,
             json_pack("{s:I,s:o,s:b}", "entry", (json_int_t)i, "suggestions", list,
                       "treated_again", decision_treated_again(p.work.entries[i - 1].text)));
    page_fini(&p);
}

/* GET /static/decision.js */
void web_static_decision_js(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/javascript; charset=utf-8";
    web_header_add(res, "Cache-Control", "public, max-age=3600");
    buf_put(&res->body, decision_js, sizeof decision_js - 1);
}
