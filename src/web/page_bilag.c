/* page_bilag: a case's bilag in the staff area (/arbejde/sag/ID/bilag): each with Åben or
 * Lukket, title, journal number, flag and document number, and its file; upload a new one,
 * replace one's file or metadata, remove one. A file's type is decided from its content
 * (util/mime.h), never from its name or what the browser says; a file above the site's limit
 * (the setting attachment.max_mb) or whose content is not a PDF, an Office document or an image
 * is refused at the field. Each POST is one store call: one transaction with its ledger event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "../util/mime.h"
#include "auth.h"
#include "form.h"
#include "web.h"

enum { MAX_META = 200 };

static const struct web_choice access_choices[] = {
    {"aaben", "Åben"}, {"lukket", "Lukket"}, {NULL, NULL}};

/* What a form sent (for the form it came from), kept to show it again after an error. */
struct sent {
    unsigned number;
    const char *title, *access, *journal, *flag, *document;
};

static void prefix_of(char *out, size_t n, unsigned number, const char *what)
{
    if (number)
        snprintf(out, n, "bilag[%u].%s", number, what);
    else
        snprintf(out, n, "nyt.%s", what);
}

static void size_text(struct buf *b, size_t len)
{
    if (len >= 1 << 20)
        buf_printf(b, "%.1f MB", (double)len / (1 << 20));
    else
        buf_printf(b, "%zu kB", (len + 1023) / 1024);
}

/* The form for bilag number (0: a new one), filled from at or from what was sent. */
static void one_form(struct buf *b, const struct web_request *req, int64_t id, int version,
                     unsigned number, const struct attachment *at, const struct sent *sent,
                     struct web_errors *er)
{
    char action[64], name[64], hid[96];
    snprintf(action, sizeof action, "/arbejde/sag/%lld/bilag", (long long)id);
    web_form_open(b, req, action, true);
    snprintf(hid, sizeof hid, "<input type=\"hidden\" name=\"nummer\" value=\"%u\">"
                              "<input type=\"hidden\" name=\"version\" value=\"%d\">\n",
             number, version);
    buf_puts(b, hid);
    bool mine = sent && sent->number == number;
    const char *title = mine ? sent->title : at ? at->title : NULL;
    const char *access = mine ? sent->access : at ? (at->public ? "aaben" : "lukket") : "aaben";
    const char *journal = mine ? sent->journal : at ? at->journal : NULL;
    const char *flag = mine ? sent->flag : at ? at->flag : NULL;
    const char *document = mine ? sent->document : at ? at->document : NULL;
#define IN(what, lbl, ty, val, hlp, req_)                                                      \
    do {                                                                                       \
        prefix_of(name, sizeof name, number, what);                                            \
        web_input(b, &(struct web_input){.name = name, .label = lbl, .type = ty, .value = val, \
                                         .help = hlp, .required = req_,                        \
                                         .choices = access_choices},                           \
                  mine ? er : NULL);                                                           \
    } while (0)
    IN("titel", "Titel", WEB_INPUT_TEXT, title, NULL, true);
    IN("adgang", "Åben eller lukket", WEB_INPUT_SELECT, access, NULL, false);
    IN("journal", "Journalnummer", WEB_INPUT_TEXT, journal, "Fx 122962/23.", false);
    IN("flag", "Markering", WEB_INPUT_TEXT, flag, "Fx H.", false);
    IN("dokument", "Dokumentnummer", WEB_INPUT_TEXT, document, "Fx 3553435.", false);
    IN("fil", number ? "Ny fil (erstatter den gemte; tom: behold den)" : "Fil",
       WEB_INPUT_FILE, NULL, "PDF, Office-dokument eller billede. Typen afgøres af filens "
                             "indhold.", !number);
#undef IN
    char label[48];
    if (number)
        snprintf(label, sizeof label, "Gem bilag %u", number);
    else
        snprintf(label, sizeof label, "Tilføj bilaget");
    web_form_close(b, label);
}

static void render(const struct web_request *req, struct web_response *res, int64_t id,
                   const char *notice, const char *alert, const struct sent *sent,
                   struct web_errors *er)
{
    struct store_case_ref ref = {0};
    struct case_doc *c = NULL;
    struct store_file_info *files = NULL;
    size_t nfiles = 0;
    struct err e = {0};
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_case_get(req->store, id, req->reader, &c, &e);
    if (rc == 0)
        rc = store_attachment_files(req->store, id, req->reader, &files, &nfiles, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Sagen findes ikke.", &e);
        store_case_ref_fini(&ref);
        case_free(c);
        return;
    }
    size_t limit = 0;
    store_attachment_limit(req->store, &limit, &e);
    web_work_begin(res, "Bilag", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Bilag</h1>\n<p class=\"lead\">Til sagen <a href=\"/arbejde/sag/");
    buf_printf(b, "%lld\">", (long long)id);
    html_text(b, ref.title);
    buf_printf(b, "</a>. Filer på højst %zu MB.</p>\n", limit >> 20);
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
    web_errors_summary(b, er);
    if (!ref.state) {
        buf_puts(b, "<p>Sagen er indlæst fra et referat; dens bilag ændres ved at importere en "
                    "ny udgave.</p>\n");
    }
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *at = &c->attachments[i];
        buf_printf(b, "<section class=\"bilag\"><h2>Bilag %u: ", at->number);
        html_text(b, at->title);
        buf_puts(b, "</h2>\n<p class=\"meta\">");
        buf_puts(b, at->public ? "Åben" : "Lukket");
        const struct store_file_info *f = NULL;
        for (size_t k = 0; k < nfiles; k++)
            if (files[k].number == at->number)
                f = &files[k];
        if (f) {
            buf_puts(b, " · ");
            html_text(b, f->filename && *f->filename ? f->filename : "(uden navn)");
            buf_puts(b, " · ");
            html_text(b, f->mime);
            buf_puts(b, " · ");
            size_text(b, f->len);
        } else {
            buf_puts(b, " · ingen fil");
        }
        buf_puts(b, "</p>\n");
        if (ref.state) {
            one_form(b, req, id, ref.version, at->number, at, sent, er);
            char action[64], hid[96];
            snprintf(action, sizeof action, "/arbejde/sag/%lld/bilag/fjern", (long long)id);
            web_form_open(b, req, action, false);
            snprintf(hid, sizeof hid, "<input type=\"hidden\" name=\"nummer\" value=\"%u\">"
                                      "<input type=\"hidden\" name=\"version\" value=\"%d\">\n",
                     at->number, ref.version);
            buf_puts(b, hid);
            char label[48];
            snprintf(label, sizeof label, "Fjern bilag %u", at->number);
            web_form_close(b, label);
        }
        buf_puts(b, "</section>\n");
    }
    if (!c->nattachments)
        buf_puts(b, "<p>Sagen har ingen bilag.</p>\n");
    if (ref.state) {
        buf_puts(b, "<section class=\"bilag\"><h2>Nyt bilag</h2>\n");
        one_form(b, req, id, ref.version, 0, NULL, sent, er);
        buf_puts(b, "</section>\n");
    }
    web_page_end(res);
    store_file_infos_free(files, nfiles);
    case_free(c);
    store_case_ref_fini(&ref);
}

static unsigned parse_number(const char *s)
{
    char *end;
    unsigned long n = s ? strtoul(s, &end, 10) : 0;
    return s && *s >= '0' && *s <= '9' && !*end && n <= 100000 ? (unsigned)n : (unsigned)-1;
}

void page_work_bilag(const struct web_request *req, struct web_response *res)
{
    char notice[64] = "";
    unsigned g = parse_number(web_arg(req, "gemt")), f = parse_number(web_arg(req, "fjernet"));
    if (g != (unsigned)-1)
        snprintf(notice, sizeof notice, "Bilag %u er gemt.", g);
    else if (f != (unsigned)-1)
        snprintf(notice, sizeof notice, "Bilag %u er fjernet.", f);
    render(req, res, web_parse_id(req->seg[2]), *notice ? notice : NULL, NULL, NULL, NULL);
}

/* The store's answer to a write, as the page shows it; true when it was answered. */
static bool store_refusal(const struct web_request *req, struct web_response *res, int64_t id,
                          int rc, const struct err *e)
{
    if (rc == ERR_CONFLICT) {
        render(req, res, id, NULL, "Sagen er ændret, siden du åbnede siden: se bilagene, som "
                                   "de er nu, og prøv igen. Intet er gemt.", NULL, NULL);
        res->status = 409;
    } else if (rc == ERR_DENIED) {
        web_error_page(res, 403, "Bilaget kan ikke gemmes: det kræver rollen sekretær for "
                                 "organet (eller sagsbehandler for din egen kladde).");
    } else {
        web_fail(res, rc, false, NULL, e);
    }
    return true;
}

void page_work_bilag_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct sent s = {.number = parse_number(web_field(req, "nummer"))};
    const char *ver = web_field(req, "version");
    if (s.number == (unsigned)-1 || !ver) {
        web_error_page(res, 400, "Formularen mangler bilagets nummer eller sagens version. "
                                 "Åbn siden igen.");
        return;
    }
    char name[64];
#define F(what) (prefix_of(name, sizeof name, s.number, what), web_field(req, name))
    s.title = F("titel");
    s.access = F("adgang");
    s.journal = F("journal");
    s.flag = F("flag");
    s.document = F("dokument");
#undef F
    prefix_of(name, sizeof name, s.number, "fil");
    const struct web_field *file = web_file(req, name);
    if (file && !file->len)
        file = NULL; /* no file chosen */
    struct web_errors *er = xcalloc(1, sizeof *er);
    char field[64];
    prefix_of(field, sizeof field, s.number, "titel");
    if (!s.title || !*s.title)
        web_errors_add(er, field, "Titel", "Skriv bilagets titel.");
    else if (strlen(s.title) > 500)
        web_errors_add(er, field, "Titel", "Højst 500 tegn.");
    prefix_of(field, sizeof field, s.number, "adgang");
    if (!s.access || (strcmp(s.access, "aaben") != 0 && strcmp(s.access, "lukket") != 0))
        web_errors_add(er, field, "Åben eller lukket", "Vælg Åben eller Lukket.");
    static const char *const meta[][2] = {
        {"journal", "Journalnummer"}, {"flag", "Markering"}, {"dokument", "Dokumentnummer"}};
    const char *vals[] = {s.journal, s.flag, s.document};
    for (size_t i = 0; i < 3; i++) {
        prefix_of(field, sizeof field, s.number, meta[i][0]);
        if (vals[i] && (strlen(vals[i]) > MAX_META || strchr(vals[i], '\n')))
            web_errors_add(er, field, meta[i][1], "Højst %d tegn på én linje.", MAX_META);
    }
    size_t limit = 0;
    struct err e = {0};
    char type[128] = "";
    int rc = store_attachment_limit(req->store, &limit, &e);
    prefix_of(field, sizeof field, s.number, "fil");
    if (rc == 0 && !file && !s.number)
        web_errors_add(er, field, "Fil", "Vælg filen, der skal være bilag.");
    if (rc == 0 && file && file->len > limit)
        web_errors_add(er, field, "Fil", "Filen er større end grænsen på %zu MB.", limit >> 20);
    else if (rc == 0 && file && (rc = mime_sniff(file->value, file->len, type, sizeof type,
                                                 &e)) == 0 &&
             !mime_allowed(type))
        web_errors_add(er, field, "Fil", "Filens indhold er %s: kun PDF, Office-dokumenter og "
                                         "billeder kan være bilag.", type);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else if (er->n) {
        render(req, res, id, NULL, NULL, &s, er);
        res->status = 400;
    } else {
        struct store_attachment_upload u = {
            .case_id = id, .base_version = (int)strtol(ver, NULL, 10), .number = s.number,
            .title = s.title, .public = strcmp(s.access, "aaben") == 0, .journal = s.journal,
            .flag = s.flag, .document = s.document, .filename = file ? file->filename : NULL,
            .bytes = file ? file->value : NULL, .len = file ? file->len : 0};
        struct store_actor a;
        unsigned number = 0;
        web_actor(req, &a);
        rc = store_case_attachment_upload(req->store, &u, &a, &number, &e);
        if (rc == 0) {
            char loc[80];
            snprintf(loc, sizeof loc, "/arbejde/sag/%lld/bilag?gemt=%u", (long long)id, number);
            web_redirect(res, 303, loc);
        } else if (rc == ERR_USAGE || rc == ERR_LIMIT || rc == ERR_SYNTAX) {
            web_errors_add(er, field, "Fil", "Bilaget kan ikke gemmes, som det er.");
            render(req, res, id, NULL, NULL, &s, er);
            res->status = 400;
        } else {
            store_refusal(req, res, id, rc, &e);
        }
    }
    free(er);
}

void page_work_bilag_remove_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    unsigned number = parse_number(web_field(req, "nummer"));
    const char *ver = web_field(req, "version");
    if (number == (unsigned)-1 || !number || !ver) {
        web_error_page(res, 400, "Formularen mangler bilagets nummer eller sagens version. "
                                 "Åbn siden igen.");
        return;
    }
    struct store_actor a;
    struct err e = {0};
    web_actor(req, &a);
    int rc = store_case_attachment_remove(req->store, id, (int)strtol(ver, NULL, 10), number,
                                          &a, &e);
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld/bilag?fjernet=%u", (long long)id, number);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_USAGE) {
        render(req, res, id, NULL, "Sagen har ikke det bilag. Intet er ændret.", NULL, NULL);
        res->status = 400;
    } else {
        store_refusal(req, res, id, rc, &e);
    }
}
