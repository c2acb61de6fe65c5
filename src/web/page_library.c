/* page_library: a body's library in the staff area (/arbejde/organ/CODE/bibliotek): standard
 * texts, case templates with their sections and help text, recurring items; listed by kind
 * for everyone with a role on the body, added, changed, moved and deleted by its sekretær or an
 * administrator (the store checks again and writes each change with its ledger event). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

/* Form rows of a template's sections: the stored ones and this many empty ones to add. */
enum { SPARE_SECTIONS = 2, MAX_ROWS = LIBRARY_SECTIONS_MAX };

struct lib {
    struct store_body body;
    bool writes; /* the reader may change the library */
    struct store_body_item *v;
    size_t n;
    char base[128]; /* "/arbejde/organ/CODE/bibliotek", the code percent-encoded */
};

static void lib_fini(struct lib *l)
{
    store_body_fini(&l->body);
    store_body_items_free(l->v, l->n);
}

/* The body of the path (the route checked the reader's roles on it) and its items. */
static int lib_load(const struct web_request *req, struct lib *l, struct err *e)
{
    memset(l, 0, sizeof *l);
    int rc = store_body_get(req->store, req->seg[2], &l->body, e);
    if (rc == 0)
        rc = store_body_items(req->store, l->body.code, NULL, &l->v, &l->n, e);
    if (rc < 0)
        return rc;
    int roles = reader_roles(req->reader, l->body.id) | (req->reader->admin ? ROLE_ADMIN : 0);
    l->writes = (roles & (ROLE_SEKRETAER | ROLE_ADMIN)) != 0;
    struct buf b = BUF_INIT;
    buf_puts(&b, "/arbejde/organ/");
    web_url(&b, l->body.code);
    buf_puts(&b, "/bibliotek");
    snprintf(l->base, sizeof l->base, "%s", buf_cstr(&b));
    buf_free(&b);
    return 0;
}

static const struct store_body_item *lib_find(const struct lib *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].id == id)
            return &l->v[i];
    return NULL;
}

/* The singular of a kind, for headings and buttons. */
static const char *kind_one(const char *kind)
{
    if (strcmp(kind, "template") == 0)
        return "skabelon";
    if (strcmp(kind, "recurring") == 0)
        return "fast punkt";
    return "standardtekst";
}

/* "Ny standardtekst", "Ny skabelon", "Nyt fast punkt" (et punkt). */
static const char *kind_new(const char *kind)
{
    return strcmp(kind, "recurring") == 0 ? "Nyt" : "Ny";
}

static void body_title(struct buf *b, const struct lib *l)
{
    html_text(b, l->body.name ? l->body.name : l->body.code);
}

/* ---- the list ---- */

static void move_button(struct buf *b, const struct web_request *req, const struct lib *l,
                        const struct store_body_item *it, const char *dir, const char *label)
{
    char action[192];
    snprintf(action, sizeof action, "%s/%lld/flyt", l->base, (long long)it->id);
    buf_puts(b, "<form class=\"inline\" method=\"post\" action=\"");
    html_attr(b, action);
    buf_puts(b, "\">");
    web_csrf_field(b, req);
    buf_printf(b,
               "<input type=\"hidden\" name=\"retning\" value=\"%s\">"
               "<button type=\"submit\" class=\"small\">%s<span class=\"vh\">: ",
               dir, label);
    html_text(b, it->name);
    buf_puts(b, "</span></button></form>");
}

void page_work_library(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        lib_fini(&l);
        return;
    }
    struct buf title = BUF_INIT;
    buf_printf(&title, "Bibliotek: %s", l.body.name ? l.body.name : l.body.code);
    web_work_begin(res, buf_cstr(&title), NULL);
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Bibliotek: ");
    body_title(b, &l);
    buf_puts(b, "</h1>\n<p class=\"lead\">Standardtekster sættes ind i en sag med én handling, "
                "skabeloner giver en ny sag dens afsnit og hjælpetekster, og faste punkter "
                "kommer på dagsordenen til hvert nyt møde. Hjælpetekster vises kun, mens sagen "
                "skrives: de kommer aldrig med i sagen.</p>\n");
    const char *done = web_arg(req, "gemt");
    if (done)
        buf_printf(b, "<p class=\"notice\" role=\"status\">%s</p>\n",
                   strcmp(done, "slettet") == 0   ? "Elementet er slettet."
                   : strcmp(done, "flyttet") == 0 ? "Rækkefølgen er gemt."
                                                  : "Elementet er gemt.");
    for (size_t k = 0; k < 3; k++) {
        const char *kind = library_kinds[k];
        buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">%s</h2>\n", kind, kind,
                   library_kind_label(kind));
        size_t count = 0;
        for (size_t i = 0; i < l.n; i++)
            count += strcmp(l.v[i].kind, kind) == 0;
        if (!count)
            buf_puts(b, "<p>Ingen endnu.</p>\n");
        else
            buf_puts(b, "<ol class=\"list library\">\n");
        size_t seen = 0;
        for (size_t i = 0; i < l.n; i++) {
            const struct store_body_item *it = &l.v[i];
            if (strcmp(it->kind, kind) != 0)
                continue;
            seen++;
            buf_printf(b, "<li><a href=\"%s/%lld\">", l.base, (long long)it->id);
            html_text(b, it->name);
            buf_puts(b, "</a>");
            if (k == 2)
                buf_printf(b, " <span class=\"meta\">%d min. · %s</span>", it->duration,
                           it->public ? "Åben" : "Lukket");
            struct library_section *secs = NULL;
            size_t nsecs = 0;
            struct err pe = {0};
            if (k == 1 && library_sections_parse(it->sections, &secs, &nsecs, &pe) == 0)
                buf_printf(b, " <span class=\"meta\">%zu afsnit</span>", nsecs);
            library_sections_free(secs, nsecs);
            if (l.writes) {
                buf_puts(b, "<div class=\"actions\">");
                if (seen > 1)
                    move_button(b, req, &l, it, "op", "Flyt op");
                if (seen < count)
                    move_button(b, req, &l, it, "ned", "Flyt ned");
                buf_printf(b, " <a href=\"%s/%lld/slet\">Slet<span class=\"vh\">: ", l.base,
                           (long long)it->id);
                html_text(b, it->name);
                buf_puts(b, "</span></a></div>");
            }
            buf_puts(b, "</li>\n");
        }
        if (count)
            buf_puts(b, "</ol>\n");
        if (l.writes)
            buf_printf(b, "<p><a href=\"%s/ny?slags=%s\">%s %s</a></p>\n", l.base, kind,
                       kind_new(kind), kind_one(kind));
        buf_puts(b, "</section>\n");
    }
    if (!l.writes)
        buf_puts(b, "<p>Udvalgets sekretær og administratorer vedligeholder biblioteket.</p>\n");
    web_page_end(res);
    lib_fini(&l);
}

/* ---- which libraries ---- */

/* /arbejde/bibliotek: the libraries of the bodies the person holds roles on (every body for an
 * administrator). */
void page_work_libraries(const struct web_request *req, struct web_response *res)
{
    web_work_begin(res, "Biblioteker", "bibliotek");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Biblioteker</h1>\n<p class=\"lead\">Hvert udvalg har sit bibliotek: "
                "standardtekster, skabeloner til nye sager og faste punkter på "
                "dagsordenen.</p>\n");
    size_t shown = 0;
    struct err e = {0};
    int rc = 0;
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_body *v = NULL;
        size_t n = 0;
        if ((rc = store_bodies(req->store, &pg, &v, &n, NULL, &e)) < 0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (!req->reader->admin && !reader_roles(req->reader, v[i].id))
                continue;
            buf_puts(b, shown++ ? "" : "<ul class=\"list\">\n");
            buf_puts(b, "<li><a href=\"/arbejde/organ/");
            web_url(b, v[i].code);
            buf_puts(b, "/bibliotek\">");
            html_text(b, v[i].name ? v[i].name : v[i].code);
            buf_puts(b, "</a></li>\n");
        }
        store_bodies_free(v, n);
        if (n < pg.limit)
            break;
    }
    if (shown)
        buf_puts(b, "</ul>\n");
    else if (rc == 0)
        buf_puts(b, "<p>Du har ingen roller i et udvalg.</p>\n");
    else
        buf_puts(b, "<p class=\"alert\" role=\"alert\">Udvalgene kunne ikke hentes. Prøv "
                    "igen om lidt.</p>\n");
    web_page_end(res);
}

/* ---- one item: the form ---- */

/* What the form shows: the stored item, or what was typed. */
struct row {
    const char *name, *field, *text, *help;
};
struct view {
    const char *kind;
    const char *title; /* the stored name (a change) for the heading */
    int64_t id;
    int version;
    const char *name, *text, *duration, *public;
    struct row rows[MAX_ROWS];
    size_t nrows;
    struct library_section *secs; /* owned, when the view is the stored item */
    size_t nsecs;
    char duration_buf[16];
    struct web_errors er;
    bool stale;
};

static void view_fini(struct view *v)
{
    library_sections_free(v->secs, v->nsecs);
}

static void view_from_item(struct view *v, const struct store_body_item *it)
{
    memset(v, 0, sizeof *v);
    v->kind = it->kind;
    v->id = it->id;
    v->title = it->name;
    v->version = it->version;
    v->name = it->name;
    v->text = it->text;
    snprintf(v->duration_buf, sizeof v->duration_buf, "%d", it->duration);
    v->duration = v->duration_buf;
    v->public = it->public ? "1" : "0";
    struct err e = {0};
    if (strcmp(it->kind, "template") == 0 &&
        library_sections_parse(it->sections, &v->secs, &v->nsecs, &e) == 0) {
        for (size_t i = 0; i < v->nsecs && i < MAX_ROWS; i++)
            v->rows[v->nrows++] =
                (struct row){v->secs[i].name, v->secs[i].field, v->secs[i].text, v->secs[i].help};
    }
}

static const struct web_choice field_choices[] = {
    {"", "Eget afsnit (under sit navn)"},
    {"presentation", "Sagsfremstilling"},
    {"intro", "Indledning til tidsplanen"},
    {"recommendation", "Indstilling"},
    {NULL, NULL},
};
static const struct web_choice public_choices[] = {{"1", "Åben"}, {"0", "Lukket"}, {NULL, NULL}};

static void render_form(const struct web_request *req, struct web_response *res,
                        const struct lib *l, struct view *v)
{
    struct buf title = BUF_INIT;
    bool isnew = v->id == 0;
    if (isnew)
        buf_printf(&title, "%s %s", kind_new(v->kind), kind_one(v->kind));
    else
        buf_printf(&title, "Ret %s: %s", kind_one(v->kind), v->title ? v->title : "");
    web_work_begin(res, buf_cstr(&title), NULL);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"crumbs\"><a href=\"%s\">Bibliotek: ", l->base);
    body_title(b, l);
    buf_puts(b, "</a></p>\n<h1>");
    html_text(b, buf_cstr(&title));
    buf_puts(b, "</h1>\n");
    buf_free(&title);
    if (v->stale)
        buf_printf(b,
                   "<p class=\"alert\" role=\"alert\">Intet er gemt: elementet er ændret af "
                   "en anden, siden du åbnede det. <a href=\"%s/%lld\">Åbn den nye "
                   "udgave</a>, og skriv din ændring igen (din tekst står nedenfor).</p>\n",
                   l->base, (long long)v->id);
    web_errors_summary(b, &v->er);
    char action[192];
    if (isnew)
        snprintf(action, sizeof action, "%s/ny", l->base);
    else
        snprintf(action, sizeof action, "%s/%lld", l->base, (long long)v->id);
    web_form_open(b, req, action, false);
    if (isnew) {
        buf_puts(b, "<input type=\"hidden\" name=\"kind\" value=\"");
        html_attr(b, v->kind);
        buf_puts(b, "\">\n");
    } else {
        buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n", v->version);
    }
    int kind = strcmp(v->kind, "template") == 0 ? 1 : strcmp(v->kind, "recurring") == 0 ? 2 : 0;
    web_input(b,
              &(struct web_input){.name = "name",
                                  .label = kind == 2 ? "Punktets titel" : "Navn",
                                  .type = WEB_INPUT_TEXT,
                                  .value = v->name,
                                  .required = true,
                                  .help = kind == 0   ? "Det navn, teksten vælges under."
                                          : kind == 1 ? "Det navn, skabelonen vælges under."
                                                      : "Titlen på punktet på dagsordenen."},
              &v->er);
    if (kind == 0)
        web_input(b,
                  &(struct web_input){.name = "text",
                                      .label = "Tekst",
                                      .type = WEB_INPUT_TEXTAREA,
                                      .value = v->text,
                                      .rows = 8,
                                      .required = true,
                                      .help = "Afsnit adskilles af en tom linje."},
                  &v->er);
    else if (kind == 1)
        web_input(b,
                  &(struct web_input){.name = "text",
                                      .label = "Sagens titel",
                                      .type = WEB_INPUT_TEXT,
                                      .value = v->text,
                                      .help = "Den titel en ny sag får (kan rettes). Tom: "
                                              "ingen."},
                  &v->er);
    else
        web_input(b,
                  &(struct web_input){.name = "text",
                                      .label = "Sagsfremstilling",
                                      .type = WEB_INPUT_TEXTAREA,
                                      .value = v->text,
                                      .rows = 4,
                                      .help = "Kan være tom."},
                  &v->er);
    if (kind == 2) {
        web_input(b,
                  &(struct web_input){.name = "duration",
                                      .label = "Varighed i minutter",
                                      .type = WEB_INPUT_NUMBER,
                                      .value = v->duration,
                                      .required = true,
                                      .help = "1 til 600.",
                                      .attrs = " min=\"1\" max=\"600\""},
                  &v->er);
        web_input(b,
                  &(struct web_input){.name = "public",
                                      .label = "Åben eller lukket",
                                      .type = WEB_INPUT_SELECT,
                                      .value = v->public,
                                      .choices = public_choices},
                  &v->er);
    }
    if (kind == 1) {
        size_t rows = v->nrows + SPARE_SECTIONS;
        if (rows > MAX_ROWS)
            rows = MAX_ROWS;
        buf_puts(b, "<p>Et afsnit uden navn og tekst udelades. Hjælpeteksten vises kun, mens "
                    "sagen skrives.</p>\n");
        for (size_t i = 0; i < rows; i++) {
            const struct row *r = i < v->nrows ? &v->rows[i] : &(struct row){0};
            char name[40], field[40], text[40], help[40];
            snprintf(name, sizeof name, "sections[%zu].name", i);
            snprintf(field, sizeof field, "sections[%zu].field", i);
            snprintf(text, sizeof text, "sections[%zu].text", i);
            snprintf(help, sizeof help, "sections[%zu].help", i);
            buf_printf(b, "<fieldset><legend>Afsnit %zu%s</legend>\n", i + 1,
                       i < v->nrows ? "" : " (nyt)");
            web_input(b,
                      &(struct web_input){.name = name,
                                          .label = "Afsnittets navn",
                                          .type = WEB_INPUT_TEXT,
                                          .value = r->name},
                      &v->er);
            web_input(b,
                      &(struct web_input){.name = field,
                                          .label = "Hvor teksten står",
                                          .type = WEB_INPUT_SELECT,
                                          .value = r->field ? r->field : "",
                                          .choices = field_choices},
                      &v->er);
            web_input(b,
                      &(struct web_input){.name = text,
                                          .label = "Forudfyldt tekst",
                                          .type = WEB_INPUT_TEXTAREA,
                                          .value = r->text,
                                          .rows = 3},
                      &v->er);
            web_input(b,
                      &(struct web_input){.name = help,
                                          .label = "Hjælpetekst",
                                          .type = WEB_INPUT_TEXTAREA,
                                          .value = r->help,
                                          .rows = 3,
                                          .help = "Vises for den, der skriver sagen; "
                                                  "kommer aldrig med i sagen."},
                      &v->er);
            buf_puts(b, "</fieldset>\n");
        }
    }
    web_form_close(b, isnew ? "Opret" : "Gem");
    web_page_end(res);
}

/* A read-only view for those who may read the library but not change it. */
static void render_view(struct web_response *res, const struct lib *l, const struct view *v)
{
    web_work_begin(res, v->name ? v->name : "", NULL);
    struct buf *b = &res->body;
    buf_printf(b, "<p class=\"crumbs\"><a href=\"%s\">Bibliotek: ", l->base);
    body_title(b, l);
    buf_puts(b, "</a></p>\n<h1>");
    html_text(b, v->name);
    buf_printf(b, "</h1>\n<p class=\"meta\">%s", library_kind_label(v->kind));
    if (strcmp(v->kind, "recurring") == 0)
        buf_printf(b, " · %s min. · %s", v->duration,
                   strcmp(v->public, "1") == 0 ? "Åben" : "Lukket");
    buf_puts(b, "</p>\n");
    if (strcmp(v->kind, "template") == 0 && v->text) {
        buf_puts(b, "<p>Sagens titel: ");
        html_text(b, v->text);
        buf_puts(b, "</p>\n");
    } else if (v->text) {
        html_paragraphs(b, v->text, NULL);
    }
    for (size_t i = 0; i < v->nrows; i++) {
        const struct row *r = &v->rows[i];
        buf_puts(b, "<h2>");
        html_text(b, r->name);
        buf_puts(b, "</h2>\n");
        if (r->field) {
            buf_puts(b, "<p class=\"meta\">Står i: ");
            html_text(b, library_field_label(r->field));
            buf_puts(b, "</p>\n");
        }
        if (r->text)
            html_paragraphs(b, r->text, NULL);
        if (r->help) {
            buf_puts(b, "<div class=\"helptext\"><p><strong>Hjælpetekst:</strong></p>\n");
            html_paragraphs(b, r->help, NULL);
            buf_puts(b, "</div>\n");
        }
    }
    web_page_end(res);
}

static bool parse_kind(const char *kind)
{
    return library_kind_valid(kind);
}

void page_work_library_new(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    const char *kind = web_arg(req, "slags");
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else if (!parse_kind(kind)) {
        web_error_page(res, 400,
                       "Vælg hvad der skal oprettes: ?slags=text, template eller "
                       "recurring.");
    } else {
        struct view v = {.kind = kind, .duration = "5", .public = "1"};
        render_form(req, res, &l, &v);
    }
    lib_fini(&l);
}

void page_work_library_item(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    const struct store_body_item *it = rc == 0 ? lib_find(&l, web_parse_id(req->seg[4])) : NULL;
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else if (!it) {
        web_error_page(res, 404, NULL);
    } else {
        struct view v;
        view_from_item(&v, it);
        if (l.writes)
            render_form(req, res, &l, &v);
        else
            render_view(res, &l, &v);
        view_fini(&v);
    }
    lib_fini(&l);
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return false;
    return true;
}

/* The form's label of a problem's field, for the error summary. */
static const char *label_of(const char *field, const char *kind)
{
    if (strcmp(field, "name") == 0)
        return strcmp(kind, "recurring") == 0 ? "Punktets titel" : "Navn";
    if (strcmp(field, "text") == 0)
        return strcmp(kind, "template") == 0    ? "Sagens titel"
               : strcmp(kind, "recurring") == 0 ? "Sagsfremstilling"
                                                : "Tekst";
    if (strcmp(field, "duration") == 0)
        return "Varighed i minutter";
    if (strstr(field, ".name"))
        return "Afsnittets navn";
    if (strstr(field, ".field"))
        return "Hvor teksten står";
    if (strstr(field, ".text"))
        return "Forudfyldt tekst";
    if (strstr(field, ".help"))
        return "Hjælpetekst";
    return "Afsnit";
}

/* A save from the form: new (id 0) or a change. */
static void save(const struct web_request *req, struct web_response *res, int64_t id)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        lib_fini(&l);
        return;
    }
    const struct store_body_item *it = id ? lib_find(&l, id) : NULL;
    struct view v = {0};
    v.kind = id ? (it ? it->kind : NULL) : web_field(req, "kind");
    if ((id && !it) || !parse_kind(v.kind)) {
        web_error_page(res, id ? 404 : 400, id ? NULL : "Ukendt slags element.");
        lib_fini(&l);
        return;
    }
    v.id = id;
    v.title = it ? it->name : NULL;
    v.name = web_field(req, "name");
    v.text = web_field(req, "text");
    v.duration = web_field(req, "duration");
    v.public = web_field(req, "public");
    const char *version = web_field(req, "version");
    v.version = version ? atoi(version) : 0;
    if (id && (!version || v.version < 1))
        web_errors_add(&v.er, "name", "Navn",
                       "Formularen mangler elementets version: "
                       "genindlæs siden.");
    /* The template's rows; an empty one is left out, the rest become its sections. */
    struct library_section secs[MAX_ROWS];
    size_t row_of[MAX_ROWS], nsecs = 0;
    bool template = strcmp(v.kind, "template") == 0;
    for (size_t i = 0; template && i < MAX_ROWS; i++) {
        char key[40];
        struct row *r = &v.rows[i];
        snprintf(key, sizeof key, "sections[%zu].name", i);
        r->name = web_field(req, key);
        snprintf(key, sizeof key, "sections[%zu].field", i);
        r->field = web_field(req, key);
        snprintf(key, sizeof key, "sections[%zu].text", i);
        r->text = web_field(req, key);
        snprintf(key, sizeof key, "sections[%zu].help", i);
        r->help = web_field(req, key);
        if (!r->name && !r->field && !r->text && !r->help)
            break;
        v.nrows = i + 1;
        if (blank(r->name) && blank(r->text) && blank(r->help))
            continue;
        secs[nsecs] = (struct library_section){(char *)(r->name ? r->name : ""),
                                               (char *)(r->field && *r->field ? r->field : NULL),
                                               (char *)r->text, (char *)r->help};
        row_of[nsecs++] = i;
    }
    char *sections = template ? library_sections_json(secs, nsecs) : NULL;
    char *end = NULL;
    long minutes = v.duration ? strtol(v.duration, &end, 10) : 0;
    if (strcmp(v.kind, "recurring") == 0 && (!v.duration || !*v.duration || *end))
        web_errors_add(&v.er, "duration", "Varighed i minutter",
                       "Skriv et helt antal minutter fra 1 til 600.");
    struct store_body_item_save sv = {.id = id,
                                      .base_version = v.version,
                                      .body = l.body.code,
                                      .item = {v.kind, v.name, v.text, sections,
                                               minutes > 0 && minutes <= 100000 ? (int)minutes : 0,
                                               !v.public || strcmp(v.public, "0") != 0}};
    struct library_problems pr = {0};
    if (v.er.n == 0) {
        struct store_actor a;
        web_actor(req, &a);
        rc = store_body_item_save(req->store, &sv, &a, NULL, NULL, &pr, &e);
        if (rc == 0) {
            char loc[160];
            snprintf(loc, sizeof loc, "%s?gemt=1", l.base);
            web_redirect(res, 303, loc);
            goto done;
        }
        if (rc == ERR_CONFLICT && pr.n == 0) {
            v.stale = true;
        } else if (pr.n == 0) {
            web_fail(res, rc, false, NULL, &e);
            goto done;
        }
    }
    /* Each problem at its field: a section's index is its row's. */
    for (size_t i = 0; i < pr.n && i < LIBRARY_PROBLEMS_MAX; i++) {
        char field[96];
        size_t k;
        char rest[40];
        if (sscanf(pr.v[i].field, "sections[%zu].%39s", &k, rest) == 2 && k < nsecs)
            snprintf(field, sizeof field, "sections[%zu].%s", row_of[k], rest);
        else if (strcmp(pr.v[i].field, "sections") == 0)
            snprintf(field, sizeof field, "sections[0].name");
        else if (strcmp(pr.v[i].field, "kind") == 0)
            snprintf(field, sizeof field, "name");
        else
            snprintf(field, sizeof field, "%s", pr.v[i].field);
        web_errors_add(&v.er, field, label_of(field, v.kind), "%s", pr.v[i].danish);
    }
    render_form(req, res, &l, &v);
    res->status = v.stale ? 409 : 400;
done:
    free(sections);
    lib_fini(&l);
}

void page_work_library_new_post(const struct web_request *req, struct web_response *res)
{
    save(req, res, 0);
}

void page_work_library_item_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[4]);
    if (!id) {
        web_error_page(res, 404, NULL);
        return;
    }
    save(req, res, id);
}

/* ---- delete and move ---- */

void page_work_library_delete(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    const struct store_body_item *it = rc == 0 ? lib_find(&l, web_parse_id(req->seg[4])) : NULL;
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else if (!it) {
        web_error_page(res, 404, NULL);
    } else {
        web_work_begin(res, "Slet fra biblioteket", NULL);
        struct buf *b = &res->body;
        buf_printf(b, "<p class=\"crumbs\"><a href=\"%s\">Bibliotek: ", l.base);
        body_title(b, &l);
        buf_printf(b, "</a></p>\n<h1>Slet %s</h1>\n<p>Vil du slette ", kind_one(it->kind));
        html_text(b, it->name);
        buf_puts(b, " fra biblioteket? Sager, der allerede er skrevet, ændres ikke.</p>\n");
        char action[192];
        snprintf(action, sizeof action, "%s/%lld/slet", l.base, (long long)it->id);
        web_form_open(b, req, action, false);
        buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%d\">\n", it->version);
        web_form_close(b, "Slet");
        web_page_end(res);
    }
    lib_fini(&l);
}

void page_work_library_delete_post(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    int64_t id = web_parse_id(req->seg[4]);
    const char *version = web_field(req, "version");
    if (rc == 0 && !lib_find(&l, id))
        rc = ERR_NOTFOUND;
    if (rc == 0 && (!version || atoi(version) < 1)) {
        web_error_page(res, 400, "Formularen mangler elementets version: genindlæs siden.");
    } else if (rc == 0) {
        struct store_actor a;
        web_actor(req, &a);
        rc = store_body_item_delete(req->store, l.body.code, id, atoi(version), &a, &e);
        char loc[160];
        snprintf(loc, sizeof loc, "%s?gemt=slettet", l.base);
        if (rc == 0)
            web_redirect(res, 303, loc);
        else if (rc == ERR_CONFLICT)
            web_error_page(res, 409,
                           "Elementet er ændret af en anden, siden du åbnede det: "
                           "intet er slettet. Gå tilbage til biblioteket, og prøv "
                           "igen.");
        else
            web_fail(res, rc, false, NULL, &e);
    } else {
        web_fail(res, rc, false, NULL, &e);
    }
    lib_fini(&l);
}

void page_work_library_move_post(const struct web_request *req, struct web_response *res)
{
    struct lib l;
    struct err e = {0};
    int rc = lib_load(req, &l, &e);
    int64_t id = web_parse_id(req->seg[4]);
    const char *dir = web_field(req, "retning");
    const struct store_body_item *it = rc == 0 ? lib_find(&l, id) : NULL;
    if (rc == 0 && !it)
        rc = ERR_NOTFOUND;
    if (rc == 0 && (!dir || (strcmp(dir, "op") != 0 && strcmp(dir, "ned") != 0))) {
        web_error_page(res, 400, "Vælg retning: op eller ned.");
    } else if (rc == 0) {
        struct store_actor a;
        web_actor(req, &a);
        rc = store_body_item_move(req->store, l.body.code, id, strcmp(dir, "op") == 0 ? -1 : 1, &a,
                                  NULL, &e);
        char loc[192];
        snprintf(loc, sizeof loc, "%s?gemt=flyttet#%s", l.base, it->kind);
        if (rc == 0)
            web_redirect(res, 303, loc);
        else
            web_fail(res, rc, false, NULL, &e);
    } else {
        web_fail(res, rc, false, NULL, &e);
    }
    lib_fini(&l);
}
