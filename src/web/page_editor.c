/* page_editor: the staff case editor (issue 8): a new case on a meeting
 * (/arbejde/moede/ID/sag/ny) and an edit of one written in referat (/arbejde/sag/ID/rediger).
 * Server-rendered, no script needed: a fixed number of blank rows and "Tilføj" buttons that
 * send the form back with one row more. Every field is checked before anything is saved; one
 * POST is one store_case_save (one transaction, one ledger event). The timetable's computed
 * ends, overlaps, gaps and running past the meeting's end are warnings, not errors. A save
 * from a version that is no longer current shows both versions to merge (page_merge.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/guest_text.h"
#include "../model/library.h"
#include "../model/sdg.h" /* issue 10, sdg */
#include "../model/timetable.h"
#include "../store/store.h"
#include "../util/email.h"
#include "../util/utf8.h"
#include "auth.h"
#include "editor.h"
#include "form.h"
#include "web.h"

/* Blank rows shown beyond what the case has (the form stays under WEB_MAX_FIELDS). */
enum { BLANK_SUBITEMS = 2, BLANK_GUESTS = 1, MAX_TITLE = 500, MAX_TEXT = 100000 };

void ed_view_init(struct ed_view *v)
{
    memset(v, 0, sizeof *v);
}

void ed_view_fini(struct ed_view *v)
{
    for (size_t i = 0; i < v->nown; i++)
        free(v->own[i]);
    free(v->own);
    store_meeting_fini(&v->meeting);
    case_free(v->stored);
    case_free(v->prefill);
    store_body_items_free(v->texts, v->ntexts);
    store_body_items_free(v->templates, v->ntemplates);
    free(v->text_choices);
}

/* Keeps s for the view's life and returns it. */
static const char *keep(struct ed_view *v, char *s)
{
    if (v->nown == v->capown) {
        v->capown = v->capown ? 2 * v->capown : 32;
        v->own = xrealloc(v->own, v->capown * sizeof *v->own);
    }
    v->own[v->nown++] = s;
    return s;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* One line: whitespace runs (newlines included) as one space, trimmed; NULL when blank. */
static char *one_line(const char *s)
{
    struct buf b = BUF_INIT;
    bool space = false;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
            space = b.len > 0;
            continue;
        }
        if (space)
            buf_putc(&b, ' ');
        space = false;
        buf_putc(&b, *s);
    }
    return b.len ? buf_detach(&b) : NULL;
}

/* Paragraphs as the model keeps them: separated by one blank line ("\n\n"), the lines of one
 * paragraph joined by a space, trimmed; NULL when blank. */
static char *paragraphs(const char *s)
{
    struct buf b = BUF_INIT, line = BUF_INIT;
    bool gap = false;
    while (s && *s) {
        size_t n = strcspn(s, "\n");
        buf_truncate(&line, 0);
        buf_put(&line, s, n);
        char *l = one_line(buf_cstr(&line));
        if (!l) {
            gap = b.len > 0;
        } else {
            if (b.len)
                buf_puts(&b, gap ? "\n\n" : " ");
            buf_puts(&b, l);
            gap = false;
            free(l);
        }
        s += n + (s[n] == '\n');
    }
    buf_free(&line);
    return b.len ? buf_detach(&b) : NULL;
}

/* ---- the view from a stored model ---- */

/* ---- issue 10, sdg: a set of goals as the field shows it ("7, 13"), NULL for none ---- */
static const char *goals_text(struct ed_view *v, sdg_set set)
{
    if (!set)
        return NULL;
    char list[SDG_LIST_MAX], out[SDG_LIST_MAX * 2];
    sdg_format(set, list);
    size_t n = 0;
    for (const char *p = list; *p; p++) {
        out[n++] = *p;
        if (*p == ',')
            out[n++] = ' ';
    }
    out[n] = '\0';
    return keep(v, xstrdup(out));
}

/* The field's goals; none when it does not parse (ed_check has said so). */
static sdg_set goals_of(const char *s)
{
    sdg_set set = 0;
    return sdg_parse(s, &set, NULL) == 0 ? set : 0;
}
/* ---- end issue 10, sdg ---- */

void ed_view_from_model(struct ed_view *v, const struct case_doc *c)
{
    v->title = c->title;
    v->access = c->public ? "aaben" : "lukket";
    v->public_title = c->public_title;
    v->public_text = c->public_text;
    struct buf r = BUF_INIT;
    for (size_t i = 0; i < c->nroute; i++) {
        if (i)
            buf_puts(&r, ", ");
        buf_puts(&r, c->route[i]);
    }
    v->route = r.len ? keep(v, buf_detach(&r)) : NULL;
    v->presentation = c->presentation;
    v->intro = c->intro;
    v->recommendation = c->recommendation;
    v->sdg = goals_text(v, c->sdg); /* issue 10, sdg */
    v->too_big = c->nsubitems > ED_MAX_ROWS;
    v->nsub = c->nsubitems < ED_MAX_ROWS ? c->nsubitems : ED_MAX_ROWS;
    for (size_t i = 0; i < v->nsub; i++) {
        const struct subitem *si = &c->subitems[i];
        struct ed_sub *s = &v->sub[i];
        s->title = si->title;
        s->start = si->time;
        s->sdg = goals_text(v, si->sdg); /* issue 10, sdg */
        if (si->duration) {
            char d[16];
            snprintf(d, sizeof d, "%u", si->duration);
            s->minutes = keep(v, xstrdup(d));
        }
        char *t = guest_text_strip(si->text, si->guests, si->nguests);
        s->text = t ? keep(v, t) : NULL;
        v->too_big = v->too_big || si->nguests > ED_MAX_GUESTS;
        s->ng = si->nguests < ED_MAX_GUESTS ? si->nguests : ED_MAX_GUESTS;
        for (size_t k = 0; k < s->ng; k++) {
            s->g[k].name = si->guests[k].name;
            s->g[k].role = si->guests[k].role;
            s->g[k].unit = si->guests[k].unit;
            s->g[k].email = si->guests[k].email;
        }
        s->grows = s->ng + BLANK_GUESTS;
    }
    v->rows = v->nsub + BLANK_SUBITEMS;
}

/* ---- the view from a POST ---- */

static void field_name(char *out, size_t n, size_t row, size_t guest, const char *what)
{
    if (guest)
        snprintf(out, n, "punkt[%zu].gaest[%zu].%s", row, guest, what);
    else
        snprintf(out, n, "punkt[%zu].%s", row, what);
}

static size_t count_arg(const char *s, size_t max)
{
    long n = s ? strtol(s, NULL, 10) : 0;
    return n < 0 ? 0 : (size_t)n > max ? max : (size_t)n;
}

/* What was sent, kept as typed (borrowed from the request). Rows that are blank in every field
 * are dropped; "tilfoej" (an add-row button) adds one. */
void ed_view_from_form(struct ed_view *v, const struct web_request *req)
{
    char name[96];
    v->version = (int)count_arg(web_field(req, "version"), 1000000000);
    v->title = web_field(req, "titel");
    v->access = web_field(req, "adgang");
    v->public_title = web_field(req, "offentlig_titel");
    v->public_text = web_field(req, "offentlig_tekst");
    v->route = web_field(req, "sagsgang");
    v->presentation = web_field(req, "sagsfremstilling");
    v->intro = web_field(req, "indledning");
    v->recommendation = web_field(req, "indstilling");
    v->sdg = web_field(req, "verdensmaal"); /* issue 10, sdg */
    const char *add = web_field(req, "tilfoej");
    const char *ins = web_field(req, "indsaet");
    size_t rows = count_arg(web_field(req, "punkter"), ED_MAX_ROWS);
    for (size_t i = 1; i <= rows; i++) {
        struct ed_sub s = {0};
#define F(what) (field_name(name, sizeof name, i, 0, what), web_field(req, name))
        s.title = F("titel");
        s.text = F("tekst");
        s.start = F("start");
        s.minutes = F("minutter");
        s.sdg = F("verdensmaal"); /* issue 10, sdg */
        size_t grows = count_arg(F("gaester"), ED_MAX_GUESTS);
#undef F
        for (size_t k = 1; k <= grows; k++) {
            struct ed_guest g;
#define G(what) (field_name(name, sizeof name, i, k, what), web_field(req, name))
            g.name = G("navn");
            g.role = G("rolle");
            g.unit = G("enhed");
            g.email = G("email");
#undef G
            if (blank(g.name) && blank(g.role) && blank(g.unit) && blank(g.email))
                continue;
            s.g[s.ng++] = g;
        }
        char want[32];
        snprintf(want, sizeof want, "gaest-%zu", i);
        bool more = add && strcmp(add, want) == 0;
        snprintf(want, sizeof want, "punkt-%zu", i);
        bool insert_here = ins && strcmp(ins, want) == 0;
        if (blank(s.title) && blank(s.text) && blank(s.start) && blank(s.minutes) && !s.ng &&
            !more && !insert_here && blank(s.sdg) /* issue 10, sdg */)
            continue;
        if (insert_here)
            v->insert_row = v->nsub + 1; /* rows dropped above renumber this one */
        s.grows = s.ng + BLANK_GUESTS + (more && s.ng + BLANK_GUESTS < ED_MAX_GUESTS);
        v->sub[v->nsub++] = s;
    }
    v->rows = v->nsub + BLANK_SUBITEMS + (add && strcmp(add, "punkt") == 0);
    if (v->rows > ED_MAX_ROWS)
        v->rows = ED_MAX_ROWS;
    v->adding = add != NULL;
    /* "Flyt punkt N op/ned" swaps two rows; the times are recomputed with "Beregn tiderne". */
    const char *mv = web_field(req, "flyt");
    size_t k = 0;
    char dir[4] = "";
    if (mv && sscanf(mv, "%3[a-z]-%zu", dir, &k) == 2 && k >= 1 && k <= v->nsub) {
        size_t to = strcmp(dir, "op") == 0 ? k - 2 : strcmp(dir, "ned") == 0 ? k : (size_t)-1;
        if (to < v->nsub) {
            struct ed_sub t = v->sub[k - 1];
            v->sub[k - 1] = v->sub[to];
            v->sub[to] = t;
        }
        v->adding = true;
    }
    if (web_field(req, "beregn"))
        v->reflow = v->adding = true;
    v->template_id = (int64_t)count_arg(web_field(req, "skabelon"), 1000000000);
    v->insert = ins;
    if (v->insert)
        v->adding = true;
}

/* ---- the body's library (integration, issue 8) ---- */

/* The meeting's body's standard texts and templates (none without a meeting). */
static void load_library(const struct web_request *req, struct ed_view *v)
{
    struct err e = {0};
    if (!v->have_meeting || !v->meeting.body)
        return;
    if (store_body_items(req->store, v->meeting.body, "text", &v->texts, &v->ntexts, &e) < 0)
        v->ntexts = 0;
    if (store_body_items(req->store, v->meeting.body, "template", &v->templates,
                         &v->ntemplates, &e) < 0)
        v->ntemplates = 0;
}

/* An item of the body's list by id (so an item of another body is never found). */
static const struct store_body_item *find_item(const struct store_body_item *it, size_t n,
                                               int64_t id)
{
    for (size_t i = 0; id > 0 && i < n; i++)
        if (it[i].id == id)
            return &it[i];
    return NULL;
}

/* The template's help for each field, and for its sections of their own (which the editor has
 * no field for) with the section's name, all beside Sagsfremstilling. Shown, never saved. */
static void template_help(struct ed_view *v, const struct store_body_item *tpl)
{
    struct library_section *sec = NULL;
    size_t n = 0;
    struct err e = {0};
    if (library_sections_parse(tpl->sections, &sec, &n, &e) < 0)
        return;
    struct buf other = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!sec[i].help)
            continue;
        const char *f = sec[i].field;
        const char **to = !f ? NULL
                          : strcmp(f, "presentation") == 0 ? &v->help_presentation
                          : strcmp(f, "intro") == 0        ? &v->help_intro
                          : strcmp(f, "recommendation") == 0 ? &v->help_recommendation
                                                             : NULL;
        if (to) {
            *to = keep(v, xstrdup(sec[i].help));
        } else {
            buf_printf(&other, "%sSkabelonens afsnit %s: %s", other.len ? " " : "",
                       sec[i].name, sec[i].help);
        }
    }
    if (other.len)
        v->help_other = keep(v, buf_detach(&other));
    buf_free(&other);
    library_sections_free(sec, n);
}

/* "Indsæt standardtekst": the chosen text at the end of the field whose button was pressed
 * ("sagsfremstilling", "indledning", "indstilling" or "punkt-N"); nothing is saved. */
static void insert_text(const struct web_request *req, struct ed_view *v)
{
    const char **to = NULL, *sel = NULL;
    size_t row = 0;
    char name[96];
    if (strcmp(v->insert, "sagsfremstilling") == 0)
        to = &v->presentation;
    else if (strcmp(v->insert, "indledning") == 0)
        to = &v->intro;
    else if (strcmp(v->insert, "indstilling") == 0)
        to = &v->recommendation;
    else if (sscanf(v->insert, "punkt-%zu", &row) == 1 && v->insert_row >= 1 &&
             v->insert_row <= v->nsub)
        to = &v->sub[v->insert_row - 1].text;
    if (!to) {
        v->notice = "Feltet findes ikke i formularen.";
        return;
    }
    if (row)
        field_name(name, sizeof name, row, 0, "standardtekst");
    else
        snprintf(name, sizeof name, "standardtekst-%s", v->insert);
    sel = web_field(req, name);
    const struct store_body_item *it =
        find_item(v->texts, v->ntexts, (int64_t)count_arg(sel, 1000000000));
    if (!it) {
        v->notice = "Vælg en standardtekst og tryk på knappen igen. Intet er ændret.";
        return;
    }
    char *p = *to && !blank(*to) ? xstrdup(*to) : NULL;
    struct err e = {0};
    if (library_text_insert(&p, (size_t)-1, it->text, &e) < 0) {
        free(p);
        v->notice = "Standardteksten er tom. Intet er ændret.";
        return;
    }
    *to = keep(v, p);
    v->notice = "Standardteksten er indsat. Sagen er ikke gemt endnu.";
}

/* ---- checks and the model ---- */

static bool text_ok(struct web_errors *er, const char *field, const char *label, const char *s,
                    size_t max)
{
    if (s && strlen(s) > max) {
        web_errors_add(er, field, label, "Højst %zu tegn.", max);
        return false;
    }
    return true;
}

bool ed_check(const struct ed_view *v, struct web_errors *er)
{
    size_t before = er->n;
    char name[96];
    if (blank(v->title))
        web_errors_add(er, "titel", "Titel", "Skriv sagens titel.");
    text_ok(er, "titel", "Titel", v->title, MAX_TITLE);
    bool closed = v->access && strcmp(v->access, "lukket") == 0;
    if (!v->access || (!closed && strcmp(v->access, "aaben") != 0))
        web_errors_add(er, "adgang", "Åben eller lukket", "Vælg Åben eller Lukket.");
    if (closed && blank(v->public_title))
        web_errors_add(er, "offentlig_titel", "Offentlig titel",
                       "En lukket sag skal have en titel, offentligheden kan se.");
    if (closed && blank(v->public_text))
        web_errors_add(er, "offentlig_tekst", "Offentlig beskrivelse",
                       "En lukket sag skal have en kort beskrivelse, offentligheden kan se.");
    text_ok(er, "offentlig_titel", "Offentlig titel", v->public_title, MAX_TITLE);
    text_ok(er, "offentlig_tekst", "Offentlig beskrivelse", v->public_text, MAX_TEXT);
    text_ok(er, "sagsgang", "Sagsgang", v->route, MAX_TITLE);
    text_ok(er, "sagsfremstilling", "Sagsfremstilling", v->presentation, MAX_TEXT);
    text_ok(er, "indledning", "Tekst før tidsplanen", v->intro, MAX_TEXT);
    text_ok(er, "indstilling", "Indstilling", v->recommendation, MAX_TEXT);
    /* ---- issue 10, sdg ---- */
    static const char goals_msg[] = "Skriv verdensmålenes numre fra 1 til 17, hvert én gang, "
                                    "adskilt af komma (fx 7, 13), eller lad feltet stå tomt.";
    sdg_set goals;
    if (sdg_parse(v->sdg, &goals, NULL) < 0)
        web_errors_add(er, "verdensmaal", "Verdensmål", goals_msg);
    for (size_t i = 0; i < v->nsub; i++) {
        char label[64];
        snprintf(label, sizeof label, "Punkt %zu, verdensmål", i + 1);
        field_name(name, sizeof name, i + 1, 0, "verdensmaal");
        if (sdg_parse(v->sub[i].sdg, &goals, NULL) < 0)
            web_errors_add(er, name, label, goals_msg);
    }
    /* ---- end issue 10, sdg ---- */
    for (size_t i = 0; i < v->nsub; i++) {
        const struct ed_sub *s = &v->sub[i];
        char label[64];
        snprintf(label, sizeof label, "Punkt %zu", i + 1);
        field_name(name, sizeof name, i + 1, 0, "titel");
        if (blank(s->title))
            web_errors_add(er, name, label, "Skriv punktets titel (eller tøm hele rækken).");
        text_ok(er, name, label, s->title, MAX_TITLE);
        field_name(name, sizeof name, i + 1, 0, "tekst");
        text_ok(er, name, label, s->text, MAX_TEXT);
        field_name(name, sizeof name, i + 1, 0, "start");
        if (!blank(s->start) && tt_parse(s->start) < 0)
            web_errors_add(er, name, label, "Skriv starttiden som 10.30 eller 10:30 "
                                            "(00.00-23.59), eller lad feltet stå tomt.");
        field_name(name, sizeof name, i + 1, 0, "minutter");
        if (!blank(s->minutes)) {
            char *end;
            long m = strtol(s->minutes, &end, 10);
            while (*end == ' ')
                end++;
            if (*end || m < 1 || m > 1440)
                web_errors_add(er, name, label, "Skriv varigheden som et helt antal minutter "
                                                "fra 1 til 1440, eller lad feltet stå tomt.");
        }
        for (size_t k = 0; k < s->ng; k++) {
            const struct ed_guest *g = &s->g[k];
            snprintf(label, sizeof label, "Punkt %zu, gæst %zu", i + 1, k + 1);
            field_name(name, sizeof name, i + 1, k + 1, "navn");
            if (blank(g->name))
                web_errors_add(er, name, label, "Skriv gæstens navn (eller tøm hele rækken).");
            text_ok(er, name, label, g->name, MAX_TITLE);
            field_name(name, sizeof name, i + 1, k + 1, "rolle");
            text_ok(er, name, label, g->role, MAX_TITLE);
            field_name(name, sizeof name, i + 1, k + 1, "enhed");
            text_ok(er, name, label, g->unit, MAX_TITLE);
            field_name(name, sizeof name, i + 1, k + 1, "email");
            char *mail = one_line(g->email);
            if (!mail || !email_ok(mail))
                web_errors_add(er, name, label, "Skriv en e-mail-adresse som "
                                                "navn@lindholm.dk: invitationen sendes dertil.");
            free(mail);
        }
    }
    return er->n == before;
}

/* The route ("FU, ØK, KB") as the model's list. */
static void put_route(struct case_doc *c, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, ",\n");
        char *part = xcalloc(1, n + 1);
        memcpy(part, s, n);
        char *one = one_line(part);
        free(part);
        if (one)
            *case_add_route(c) = one;
        s += n + (s[n] != '\0');
    }
}

struct case_doc *ed_model(const struct ed_view *v, const struct case_doc *old)
{
    struct case_doc *c = case_new();
    c->title = one_line(v->title);
    c->public = !(v->access && strcmp(v->access, "lukket") == 0);
    if (!c->public) {
        c->public_title = one_line(v->public_title);
        c->public_text = paragraphs(v->public_text);
    }
    put_route(c, v->route);
    c->presentation = paragraphs(v->presentation);
    c->intro = paragraphs(v->intro);
    c->recommendation = paragraphs(v->recommendation);
    c->sdg = goals_of(v->sdg); /* issue 10, sdg */
    for (size_t i = 0; i < v->nsub; i++) {
        const struct ed_sub *s = &v->sub[i];
        struct subitem *si = case_add_subitem(c);
        si->title = one_line(s->title);
        si->sdg = goals_of(s->sdg); /* issue 10, sdg */
        int t = blank(s->start) ? TT_NONE : tt_parse(s->start);
        if (t >= 0) {
            char hm[6];
            tt_format(t, hm);
            si->time = xstrdup(hm);
        }
        si->duration = blank(s->minutes) ? 0 : (unsigned)strtoul(s->minutes, NULL, 10);
        for (size_t k = 0; k < s->ng; k++) {
            struct guest *g = subitem_add_guest(si);
            g->name = one_line(s->g[k].name);
            g->role = one_line(s->g[k].role);
            g->unit = one_line(s->g[k].unit);
            g->email = one_line(s->g[k].email);
        }
        char *text = paragraphs(s->text);
        si->text = guest_text_add(text, si->guests, si->nguests);
        free(text);
    }
    c->has_table = c->nsubitems > 0;
    if (old) {
        /* What the editor does not show stays as it was: decisions, bilag, a meeting
         * document's guests, case numbers and sections. */
        struct case_doc *d = case_dup(old);
#define STEAL(f, n)                                                                            \
    do {                                                                                       \
        c->f = d->f;                                                                           \
        c->n = d->n;                                                                           \
        d->f = NULL;                                                                           \
        d->n = 0;                                                                              \
    } while (0)
        STEAL(decisions, ndecisions);
        STEAL(attachments, nattachments);
        STEAL(guests, nguests);
        STEAL(refs, nrefs);
        STEAL(sections, nsections);
#undef STEAL
        c->has_attachments = d->has_attachments;
        c->has_table = c->has_table || d->has_table;
        case_free(d);
    }
    return c;
}

/* ---- rendering ---- */

static void hidden(struct buf *b, const char *name, const char *value)
{
    buf_puts(b, "<input type=\"hidden\" name=\"");
    html_attr(b, name);
    buf_puts(b, "\" value=\"");
    html_attr(b, value);
    buf_puts(b, "\">\n");
}

/* A select of the body's standard texts and its "Indsæt standardtekst" button (when the body
 * has any). name: the select's; value: the button's, the field it inserts into. */
static void std_select(struct buf *b, const struct ed_view *v, const char *name,
                       const char *value, const char *label)
{
    if (!v->ntexts || !v->text_choices)
        return;
    char lbl[96];
    snprintf(lbl, sizeof lbl, "Standardtekst til %s", label);
    buf_puts(b, "<div class=\"insert\">\n");
    web_input(b, &(struct web_input){.name = name, .label = lbl, .type = WEB_INPUT_SELECT,
                                     .choices = v->text_choices}, NULL);
    buf_puts(b, "<button type=\"submit\" name=\"indsaet\" value=\"");
    html_attr(b, value);
    buf_puts(b, "\" class=\"secondary\">Indsæt standardtekst</button>\n</div>\n");
}

/* Help beside a field: the template's (when the case started from one), then the field's own. */
static const char *with_help(struct ed_view *v, const char *tpl, const char *own)
{
    if (!tpl)
        return own;
    struct buf b = BUF_INIT;
    buf_printf(&b, "Skabelonen: %s%s%s", tpl, own ? " " : "", own ? own : "");
    return keep(v, buf_detach(&b));
}

static const struct web_choice access_choices[] = {
    {"aaben", "Åben"}, {"lukket", "Lukket"}, {NULL, NULL}};

/* The slots of the meeting's time plan up to this case: the cases before it on the agenda,
 * then the view's rows (slots + v->nbefore), computed against the meeting's times. */
static void timetable_of(const struct ed_view *v, struct timetable *t, struct tt_slot *slots)
{
    t->start = v->have_meeting && v->meeting.start ? tt_parse(v->meeting.start) : TT_NONE;
    t->end = v->have_meeting && v->meeting.end ? tt_parse(v->meeting.end) : TT_NONE;
    t->slots = slots;
    t->nslots = v->nbefore + v->nsub;
    memcpy(slots, v->before, v->nbefore * sizeof *slots);
    for (size_t i = 0; i < v->nsub; i++) {
        const struct ed_sub *s = &v->sub[i];
        long m = blank(s->minutes) ? 0 : strtol(s->minutes, NULL, 10);
        struct tt_slot *sl = &slots[v->nbefore + i];
        *sl = (struct tt_slot){.given_start = blank(s->start) ? TT_NONE : tt_parse(s->start),
                               .duration = m > 0 && m <= 1440 ? (unsigned)m : 0};
        if (sl->given_start < 0)
            sl->given_start = TT_NONE;
    }
    tt_compute(t);
}

static void slot_line(struct buf *b, const struct tt_slot *sl)
{
    char a[6], z[6];
    tt_format(sl->start, a);
    tt_format(sl->end, z);
    buf_puts(b, "<p class=\"meta slot\">");
    if (sl->start >= 0 && sl->end >= 0)
        buf_printf(b, "Tid: %s&ndash;%s", a, z);
    else if (sl->start >= 0)
        buf_printf(b, "Tid: fra %s (ingen varighed)", a);
    else
        buf_puts(b, "Tid: kan ikke beregnes");
    buf_puts(b, "</p>\n");
    for (unsigned bit = 1; bit <= TT_UNKNOWN; bit <<= 1)
        if (sl->problems & bit) {
            buf_puts(b, "<p class=\"warning\">Advarsel: punktet ");
            html_text(b, tt_problem_label(bit));
            buf_puts(b, ".</p>\n");
        }
}

/* ---- issue 10, sdg: the help of a goals field: the word list's suggestions not yet set ---- */
static void goals_hint(char *out, size_t n, sdg_set suggested, sdg_set set)
{
    size_t len = (size_t)snprintf(out, n, "Fx 7, 13.");
    sdg_set more = suggested & ~set;
    for (unsigned g = 1; g <= SDG_COUNT && len < n; g++)
        if (more & SDG_BIT(g))
            len += (size_t)snprintf(out + len, n - len, "%s%u %s", len > 9 ? ", " : " Forslag "
                                    "ud fra teksten: ", g, sdg_goal(g)->name);
}
/* ---- end issue 10, sdg ---- */

static void subitem_rows(struct buf *b, const struct ed_view *v, struct web_errors *er)
{
    struct tt_slot all[ED_MAX_BEFORE + ED_MAX_ROWS];
    struct timetable t;
    timetable_of(v, &t, all);
    const struct tt_slot *slots = all + v->nbefore;
    char name[96], legend[48], count[16];
    /* For /static/referat.js (live times while typing): where this case's first sub-item
     * begins without a start of its own, and when the meeting ends. */
    char from[6] = "", till[6] = "";
    int first = v->nbefore ? all[v->nbefore - 1].end : t.start;
    if (first >= 0)
        tt_format(first, from);
    if (t.end >= 0)
        tt_format(t.end, till);
    buf_printf(b, "<fieldset class=\"timetable\" data-from=\"%s\" data-end=\"%s\">", from,
               till);
    buf_puts(b, "<legend>Tidsplan (punkter til behandling)</legend>\n"
                "<p class=\"help\">Tomme rækker gemmes ikke. Uden starttid begynder et punkt, "
                "hvor det forrige slutter.</p>\n");
    snprintf(count, sizeof count, "%zu", v->rows);
    hidden(b, "punkter", count);
    for (size_t i = 0; i < v->rows; i++) {
        static const struct ed_sub none;
        const struct ed_sub *s = i < v->nsub ? &v->sub[i] : &none;
        size_t grows = i < v->nsub ? s->grows : BLANK_GUESTS;
        snprintf(legend, sizeof legend, "Punkt %zu", i + 1);
        buf_puts(b, "<fieldset class=\"subitem\"><legend>");
        html_text(b, legend);
        buf_puts(b, "</legend>\n");
#define IN(what, lbl, ty, val, hlp, extra)                                                     \
    do {                                                                                       \
        field_name(name, sizeof name, i + 1, 0, what);                                         \
        web_input(b, &(struct web_input){.name = name, .label = lbl, .type = ty, .value = val, \
                                         .help = hlp, .rows = 3, .attrs = extra},             \
                  er);                                                                         \
    } while (0)
        IN("titel", "Titel", WEB_INPUT_TEXT, s->title, NULL, NULL);
        IN("start", "Starttid", WEB_INPUT_TEXT, s->start, "Fx 10.30; tom: efter det forrige.",
           " inputmode=\"decimal\" autocomplete=\"off\"");
        IN("minutter", "Varighed i minutter", WEB_INPUT_NUMBER, s->minutes, NULL,
           " min=\"1\" max=\"1440\"");
        IN("tekst", "Tekst", WEB_INPUT_TEXTAREA, s->text,
           "Gæsterne nævnes automatisk til sidst (\"... deltager under behandlingen af "
           "punktet\").", NULL);
        /* ---- issue 10, sdg: the row's goals, with the word list's suggestion ---- */
        char hint[400];
        goals_hint(hint, sizeof hint, sdg_suggest2(s->title, s->text), goals_of(s->sdg));
        IN("verdensmaal", "Verdensmål (numre)", WEB_INPUT_TEXT, s->sdg, hint,
           " inputmode=\"numeric\" autocomplete=\"off\"");
        /* ---- end issue 10, sdg ---- */
#undef IN
        field_name(name, sizeof name, i + 1, 0, "standardtekst");
        char val[32], lbl2[48];
        snprintf(val, sizeof val, "punkt-%zu", i + 1);
        snprintf(lbl2, sizeof lbl2, "punkt %zu", i + 1);
        std_select(b, v, name, val, lbl2);
        if (i < v->nsub) {
            slot_line(b, &slots[i]);
            if (i > 0)
                buf_printf(b, "<button type=\"submit\" name=\"flyt\" value=\"op-%zu\" "
                              "class=\"secondary\">Flyt punkt %zu op</button>\n", i + 1, i + 1);
            if (i + 1 < v->nsub)
                buf_printf(b, "<button type=\"submit\" name=\"flyt\" value=\"ned-%zu\" "
                              "class=\"secondary\">Flyt punkt %zu ned</button>\n", i + 1, i + 1);
        }
        buf_puts(b, "<fieldset class=\"guests\"><legend>Gæster under punkt ");
        buf_printf(b, "%zu</legend>\n", i + 1);
        snprintf(count, sizeof count, "%zu", grows);
        field_name(name, sizeof name, i + 1, 0, "gaester");
        hidden(b, name, count);
        for (size_t k = 0; k < grows; k++) {
            static const struct ed_guest nog;
            const struct ed_guest *g = k < s->ng ? &s->g[k] : &nog;
            char lbl[64];
#define GIN(what, text, ty, val)                                                               \
    do {                                                                                       \
        field_name(name, sizeof name, i + 1, k + 1, what);                                     \
        snprintf(lbl, sizeof lbl, "%s (gæst %zu)", text, k + 1);                              \
        web_input(b, &(struct web_input){.name = name, .label = lbl, .type = ty, .value = val}, \
                  er);                                                                         \
    } while (0)
            buf_puts(b, "<div class=\"guest\">\n");
            GIN("navn", "Navn", WEB_INPUT_TEXT, g->name);
            GIN("rolle", "Rolle", WEB_INPUT_TEXT, g->role);
            GIN("enhed", "Enhed", WEB_INPUT_TEXT, g->unit);
            GIN("email", "E-mail", WEB_INPUT_EMAIL, g->email);
            buf_puts(b, "</div>\n");
#undef GIN
        }
        buf_printf(b, "<button type=\"submit\" name=\"tilfoej\" value=\"gaest-%zu\" "
                      "class=\"secondary\">Tilføj gæst til punkt %zu</button>\n",
                   i + 1, i + 1);
        buf_puts(b, "</fieldset>\n</fieldset>\n");
    }
    if (v->rows < ED_MAX_ROWS)
        buf_puts(b, "<button type=\"submit\" name=\"tilfoej\" value=\"punkt\" "
                    "class=\"secondary\">Tilføj punkt</button>\n");
    if (v->nsub > 1)
        buf_puts(b, "<button type=\"submit\" name=\"beregn\" value=\"1\" class=\"secondary\">"
                    "Beregn tiderne</button> <span class=\"help\">Giver hvert punkt en starttid, "
                    "hvor det forrige slutter (fra det første punkts egen).</span>\n");
    size_t np = 0;
    for (size_t i = 0; i < v->nsub; i++)
        np += slots[i].problems != 0;
    if (np)
        buf_printf(b, "<p class=\"warning\" role=\"status\">Tidsplanen har %zu %s med "
                      "advarsler (de kan gemmes).</p>\n", np, np == 1 ? "punkt" : "punkter");
    buf_puts(b, "</fieldset>\n");
}

/* The form's fields: the case's, each sub-item row's and each guest row's (a form holds at
 * most WEB_MAX_FIELDS, beyond which the server refuses it and what was typed is lost). */
enum { CASE_FIELDS = 16 + 1, ROW_FIELDS = 5 + 1, GUEST_FIELDS = 4 }; /* issue 10, sdg: +1 each */

static size_t fields_of(const struct ed_view *v, bool blanks)
{
    /* The library's: the template's id and a standard-text select per paragraph field. */
    size_t n = CASE_FIELDS + 1 + (v->ntexts ? 3 : 0);
    for (size_t i = 0; i < (blanks ? v->rows : v->nsub); i++) {
        size_t g = i < v->nsub ? (blanks ? v->sub[i].grows : v->sub[i].ng) : BLANK_GUESTS;
        n += ROW_FIELDS + (v->ntexts ? 1 : 0) + GUEST_FIELDS * g;
    }
    return n;
}

/* Fewer blank rows until the form fits; false when the case's own rows do not. */
static bool fit(struct ed_view *v)
{
    if (v->too_big || fields_of(v, false) > WEB_MAX_FIELDS)
        return false;
    while (fields_of(v, true) > WEB_MAX_FIELDS) {
        if (v->rows > v->nsub) {
            v->rows--;
            continue;
        }
        for (size_t i = v->nsub; i-- > 0;)
            if (v->sub[i].grows > v->sub[i].ng) {
                v->sub[i].grows--;
                break;
            }
    }
    return true;
}

void ed_render(const struct web_request *req, struct web_response *res, struct ed_view *v,
               struct web_errors *er)
{
    const char *heading = v->case_id ? "Rediger sag" : "Ny sag";
    if (!fit(v)) {
        web_error_page(res, 409, "Sagen har flere punkter og gæster, end formularen kan rumme "
                                 "(højst 30 punkter med 10 gæster hver, og 200 felter i alt). "
                                 "Intet er gemt.");
        return;
    }
    res->script = true; /* the live time plan (static/referat.js); the form works without */
    web_work_begin(res, heading, "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>");
    html_text(b, heading);
    buf_puts(b, "</h1>\n");
    if (v->have_meeting) {
        buf_puts(b, "<p class=\"lead\">");
        html_text(b, v->meeting.body_name ? v->meeting.body_name : v->meeting.body);
        buf_puts(b, ", mødet ");
        web_date_long(b, v->meeting.date);
        if (v->meeting.start) {
            buf_puts(b, " kl. ");
            html_text(b, v->meeting.start);
            if (v->meeting.end) {
                buf_puts(b, "&ndash;");
                html_text(b, v->meeting.end);
            }
        }
        buf_puts(b, "</p>\n");
    }
    if (v->notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, v->notice);
        buf_puts(b, "</p>\n");
    }
    web_errors_summary(b, er);
    if (v->ntexts && !v->text_choices) {
        v->text_choices = xcalloc(v->ntexts + 2, sizeof *v->text_choices);
        v->text_choices[0] = (struct web_choice){"", "Vælg en standardtekst"};
        for (size_t i = 0; i < v->ntexts; i++) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)v->texts[i].id);
            v->text_choices[i + 1] = (struct web_choice){keep(v, xstrdup(id)), v->texts[i].name};
        }
    }
    if (!v->case_id && v->ntemplates) {
        /* A plain GET form: the page again, prefilled from the chosen template. */
        struct web_choice *tc = xcalloc(v->ntemplates + 2, sizeof *tc);
        tc[0] = (struct web_choice){"", "Ingen (en tom sag)"};
        for (size_t i = 0; i < v->ntemplates; i++) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)v->templates[i].id);
            tc[i + 1] = (struct web_choice){keep(v, xstrdup(id)), v->templates[i].name};
        }
        char cur[24] = "";
        if (v->template_id)
            snprintf(cur, sizeof cur, "%lld", (long long)v->template_id);
        buf_printf(b, "<form method=\"get\" action=\"/arbejde/moede/%lld/sag/ny\" "
                      "class=\"template\">\n", (long long)v->meeting_id);
        web_input(b, &(struct web_input){
                         .name = "skabelon", .label = "Skabelon", .type = WEB_INPUT_SELECT,
                         .value = cur, .choices = tc,
                         .help = "Udfylder formularen med skabelonens tekster og viser dens "
                                 "hjælpetekst ved felterne. Hjælpeteksten gemmes aldrig i sagen. "
                                 "Det, der allerede er skrevet, erstattes."}, NULL);
        buf_puts(b, "<button type=\"submit\" class=\"secondary\">Brug skabelonen</button>\n"
                    "</form>\n");
        free(tc);
    }
    struct buf action = BUF_INIT;
    if (v->case_id)
        buf_printf(&action, "/arbejde/sag/%lld/rediger", (long long)v->case_id);
    else
        buf_printf(&action, "/arbejde/moede/%lld/sag/ny", (long long)v->meeting_id);
    web_form_open(b, req, buf_cstr(&action), false);
    buf_free(&action);
    if (v->case_id) {
        char ver[16];
        snprintf(ver, sizeof ver, "%d", v->version);
        hidden(b, "version", ver);
    }
    if (v->template_id) {
        char tid[24];
        snprintf(tid, sizeof tid, "%lld", (long long)v->template_id);
        hidden(b, "skabelon", tid);
    }
    /* The first submit button is what Enter in a field presses: saving, not adding a row. */
    buf_puts(b, "<p><button type=\"submit\" name=\"handling\" value=\"gem\">Gem sagen</button>"
                "</p>\n<fieldset><legend>Sagen</legend>\n");
    web_input(b, &(struct web_input){.name = "titel", .label = "Titel", .type = WEB_INPUT_TEXT,
                                     .value = v->title, .required = true}, er);
    web_input(b, &(struct web_input){.name = "adgang", .label = "Åben eller lukket",
                                     .type = WEB_INPUT_SELECT,
                                     .value = v->access ? v->access : "aaben",
                                     .choices = access_choices}, er);
    web_input(b, &(struct web_input){
                     .name = "offentlig_titel", .label = "Offentlig titel (lukket sag)",
                     .type = WEB_INPUT_TEXT, .value = v->public_title,
                     .help = "Skal udfyldes for en lukket sag: det, offentligheden ser i stedet "
                             "for titlen. Skriv den selv; den tages aldrig fra den lukkede "
                             "tekst."}, er);
    web_input(b, &(struct web_input){
                     .name = "offentlig_tekst", .label = "Offentlig beskrivelse (lukket sag)",
                     .type = WEB_INPUT_TEXTAREA, .value = v->public_text, .rows = 3,
                     .help = "Skal udfyldes for en lukket sag: en kort beskrivelse, "
                             "offentligheden kan læse."}, er);
    web_input(b, &(struct web_input){.name = "sagsgang", .label = "Sagsgang",
                                     .type = WEB_INPUT_TEXT, .value = v->route,
                                     .help = "De organer, sagen behandles i, adskilt med komma: "
                                             "FU, ØK, KB."}, er);
    web_input(b, &(struct web_input){.name = "sagsfremstilling", .label = "Sagsfremstilling",
                                     .type = WEB_INPUT_TEXTAREA, .value = v->presentation,
                                     .rows = 10,
                                     .help = with_help(v, v->help_presentation,
                                                       "Afsnit adskilles af en tom linje.")},
              er);
    if (v->help_other) {
        buf_puts(b, "<p class=\"help\">");
        html_text(b, v->help_other);
        buf_puts(b, "</p>\n");
    }
    std_select(b, v, "standardtekst-sagsfremstilling", "sagsfremstilling", "Sagsfremstilling");
    web_input(b, &(struct web_input){.name = "indledning", .label = "Tekst før tidsplanen",
                                     .type = WEB_INPUT_TEXTAREA, .value = v->intro, .rows = 2,
                                     .help = with_help(v, v->help_intro,
                                                       "Fx \"Direktionen har følgende øvrige "
                                                       "punkter til behandling:\".")}, er);
    std_select(b, v, "standardtekst-indledning", "indledning", "Tekst før tidsplanen");
    buf_puts(b, "</fieldset>\n");
    subitem_rows(b, v, er);
    buf_puts(b, "<fieldset><legend>Indstilling</legend>\n");
    web_input(b, &(struct web_input){.name = "indstilling", .label = "Indstilling",
                                     .type = WEB_INPUT_TEXTAREA, .value = v->recommendation,
                                     .rows = 4,
                                     .help = with_help(v, v->help_recommendation, NULL)}, er);
    std_select(b, v, "standardtekst-indstilling", "indstilling", "Indstilling");
    buf_puts(b, "</fieldset>\n");
    /* ---- issue 10, sdg: the case's goals, the suggestion from its whole text, the list ---- */
    {
        char hint[400];
        struct buf all = BUF_INIT;
        buf_printf(&all, "%s\n%s\n%s\n%s", v->title ? v->title : "",
                   v->presentation ? v->presentation : "", v->intro ? v->intro : "",
                   v->recommendation ? v->recommendation : "");
        goals_hint(hint, sizeof hint, sdg_suggest(buf_cstr(&all)), goals_of(v->sdg));
        buf_free(&all);
        buf_puts(b, "<fieldset><legend>Verdensmål</legend>\n");
        web_input(b, &(struct web_input){.name = "verdensmaal", .label = "Sagens verdensmål "
                                         "(numre)", .type = WEB_INPUT_TEXT, .value = v->sdg,
                                         .help = hint,
                                         .attrs = " inputmode=\"numeric\" autocomplete=\"off\""},
                  er);
        buf_puts(b, "<details><summary>De 17 verdensmål</summary><ol class=\"sdg-goals\">");
        for (unsigned g = 1; g <= SDG_COUNT; g++) {
            buf_puts(b, "<li>");
            html_text(b, sdg_goal(g)->name);
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ol></details>\n</fieldset>\n");
    }
    /* ---- end issue 10, sdg ---- */
    buf_puts(b, "<button type=\"submit\" name=\"handling\" value=\"gem\">Gem sagen"
                "</button>\n");
    web_form_close(b, NULL);
    web_page_end(res);
}

/* ---- handlers ---- */

static bool load_meeting(const struct web_request *req, struct web_response *res,
                         struct ed_view *v, int64_t id)
{
    struct err e = {0};
    int rc = store_meeting_get(req->store, id, req->reader, &v->meeting, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Mødet findes ikke.", &e);
        return false;
    }
    v->meeting_id = id;
    v->have_meeting = true;
    /* The cases before this one on the agenda (all of them, for a new case). */
    struct store_case_ref *refs = NULL;
    size_t n = 0;
    if (store_meeting_cases(req->store, id, req->reader, &(struct store_page){0, 100}, &refs,
                            &n, NULL, &e) == 0) {
        for (size_t i = 0; i < n && refs[i].id != v->case_id; i++) {
            struct case_doc *c = NULL;
            if (store_case_get(req->store, refs[i].id, req->reader, &c, &e) < 0)
                continue;
            for (size_t k = 0; k < c->nsubitems && v->nbefore < ED_MAX_BEFORE; k++) {
                int st = c->subitems[k].time ? tt_parse(c->subitems[k].time) : TT_NONE;
                v->before[v->nbefore++] = (struct tt_slot){
                    .given_start = st >= 0 ? st : TT_NONE, .duration = c->subitems[k].duration};
            }
            case_free(c);
        }
        store_case_refs_free(refs, n);
    }
    return true;
}

/* The case being edited (v->stored, its version, its meeting); false with the page answered
 * when it cannot be edited here. */
bool ed_load_case(const struct web_request *req, struct web_response *res, struct ed_view *v,
                  int64_t id)
{
    struct store_case_ref ref = {0};
    struct err e = {0};
    int64_t mid = 0;
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0 && !ref.state) {
        store_case_ref_fini(&ref);
        web_error_page(res, 409, "Sagen er indlæst fra et referat og kan ikke redigeres her: "
                                 "importér en ny udgave af dokumentet.");
        return false;
    }
    if (rc == 0)
        rc = store_case_get(req->store, id, req->reader, &v->stored, &e);
    if (rc == 0)
        rc = store_case_meeting(req->store, id, req->reader, &mid, &e);
    if (rc < 0) {
        store_case_ref_fini(&ref);
        web_fail(res, rc, false, "Sagen findes ikke.", &e);
        return false;
    }
    v->case_id = id;
    v->version = ref.version;
    store_case_ref_fini(&ref);
    if (mid && !load_meeting(req, res, v, mid))
        return false;
    return true;
}

void page_work_case_new(const struct web_request *req, struct web_response *res)
{
    struct ed_view *v = xcalloc(1, sizeof *v);
    if (load_meeting(req, res, v, web_parse_id(req->seg[2]))) {
        v->rows = BLANK_SUBITEMS;
        v->access = "aaben";
        load_library(req, v);
        const char *arg = web_arg(req, "skabelon");
        const struct store_body_item *tpl =
            find_item(v->templates, v->ntemplates, (int64_t)count_arg(arg, 1000000000));
        struct err e = {0};
        if (tpl) {
            v->prefill = case_new();
            v->prefill->public = true;
            if (store_template_apply(tpl, v->prefill, &e) == 0) {
                ed_view_from_model(v, v->prefill);
                v->template_id = tpl->id;
                template_help(v, tpl);
                v->notice = "Formularen er udfyldt fra skabelonen. Sagen er ikke gemt endnu.";
            }
        } else if (arg) {
            v->notice = "Skabelonen findes ikke for dette organ: formularen er tom.";
        }
        /* ---- issue 10, sdg: a new case starts with the body's default goals ---- */
        char *goals = NULL;
        if (!v->sdg && v->have_meeting &&
            store_body_setting_get(req->store, v->meeting.body, "sdg.default", &goals, &e) == 0 &&
            goals && *goals)
            v->sdg = keep(v, goals);
        else
            free(goals);
        /* ---- end issue 10, sdg ---- */
        ed_render(req, res, v, NULL);
    }
    ed_view_fini(v);
    free(v);
}

void page_work_case_edit(const struct web_request *req, struct web_response *res)
{
    struct ed_view *v = xcalloc(1, sizeof *v);
    if (ed_load_case(req, res, v, web_parse_id(req->seg[2]))) {
        int version = v->version;
        ed_view_from_model(v, v->stored);
        v->version = version;
        if (web_arg(req, "gemt"))
            v->notice = "Sagen er gemt.";
        load_library(req, v);
        ed_render(req, res, v, NULL);
    }
    ed_view_fini(v);
    free(v);
}

/* "Beregn tiderne": every start where the one before ends, in the Danish 10.30 form. */
static void reflow(struct ed_view *v)
{
    struct tt_slot all[ED_MAX_BEFORE + ED_MAX_ROWS];
    struct timetable t;
    timetable_of(v, &t, all);
    /* This case's rows only, from where the cases before it end (or the meeting's start). */
    int from = v->nbefore ? all[v->nbefore - 1].end : TT_NONE;
    struct tt_slot *slots = all + v->nbefore;
    t.slots = slots;
    t.nslots = v->nsub;
    if (from >= 0)
        t.start = from;
    tt_reflow(&t);
    for (size_t i = 0; i < v->nsub; i++)
        if (slots[i].start >= 0) {
            char hm[6];
            tt_format(slots[i].start, hm);
            v->sub[i].start = keep(v, xstrdup(hm));
        }
}

/* Checks the form and saves it; on a stale version the merge page. */
static void save(const struct web_request *req, struct web_response *res, struct ed_view *v)
{
    struct web_errors *er = xcalloc(1, sizeof *er);
    load_library(req, v);
    const struct store_body_item *tpl =
        v->case_id ? NULL : find_item(v->templates, v->ntemplates, v->template_id);
    if (tpl)
        template_help(v, tpl);
    else
        v->template_id = 0;
    if (v->insert)
        insert_text(req, v);
    if (v->reflow)
        reflow(v);
    if (v->adding) {
        ed_render(req, res, v, NULL);
        free(er);
        return;
    }
    if (!ed_check(v, er)) {
        ed_render(req, res, v, er);
        res->status = 400;
        free(er);
        return;
    }
    struct case_doc *m = ed_model(v, v->stored);
    struct store_save sv = {.case_id = v->case_id, .base_version = v->version,
                            .meeting_id = v->case_id ? 0 : v->meeting_id, .model = m};
    struct store_actor a;
    struct err e = {0};
    int64_t id = 0;
    web_actor(req, &a);
    int rc = store_case_save(req->store, &sv, &a, &id, NULL, &e);
    if (rc == 0) {
        char loc[64];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld?gemt=1", (long long)id);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_CONFLICT && v->case_id) {
        ed_merge_page(req, res, v->case_id, m, NULL);
    } else if (rc == ERR_DENIED) {
        web_error_page(res, 403, "Sagen kan ikke gemmes: det kræver rollen sekretær for "
                                 "organet (eller sagsbehandler for din egen kladde), og mødet "
                                 "skal kunne tage imod sager. Intet er gemt.");
    } else if (rc == ERR_USAGE) {
        web_errors_add(er, NULL, NULL, "Sagen kan ikke gemmes, som den er. Intet er gemt.");
        ed_render(req, res, v, er);
        res->status = 400;
    } else {
        web_fail(res, rc, false, NULL, &e);
    }
    case_free(m);
    free(er);
}

void page_work_case_new_post(const struct web_request *req, struct web_response *res)
{
    struct ed_view *v = xcalloc(1, sizeof *v);
    if (load_meeting(req, res, v, web_parse_id(req->seg[2]))) {
        ed_view_from_form(v, req);
        v->version = 0;
        save(req, res, v);
    }
    ed_view_fini(v);
    free(v);
}

void page_work_case_edit_post(const struct web_request *req, struct web_response *res)
{
    struct ed_view *v = xcalloc(1, sizeof *v);
    if (!web_field(req, "version")) {
        web_error_page(res, 400, "Formularen mangler sagens version. Åbn sagen igen.");
    } else if (ed_load_case(req, res, v, web_parse_id(req->seg[2]))) {
        /* A case with more rows than the form takes would lose them. */
        struct ed_view *probe = xcalloc(1, sizeof *probe);
        ed_view_from_model(probe, v->stored);
        bool too_big = probe->too_big;
        ed_view_fini(probe);
        free(probe);
        if (too_big) {
            v->too_big = true;
            ed_render(req, res, v, NULL);
        } else {
            ed_view_from_form(v, req);
            save(req, res, v);
        }
    }
    ed_view_fini(v);
    free(v);
}
