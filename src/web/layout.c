/* layout: the portal's page frame (header, navigation, footer), its stylesheet, error pages
 * and the small output helpers every page uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../util/date.h"
#include "../util/err.h"
#include "web.h"

/* Served as a file so that the Content-Security-Policy can forbid inline style. Colours are
 * chosen for WCAG 2.1 AA contrast on their backgrounds (text at least 4.5:1). */
#include "web_static.h" /* css[]: static/referat.css, embedded by embed_static.py; js[] */

void web_static_css(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/css; charset=utf-8";
    web_header_add(res, "Cache-Control", "public, max-age=3600");
    buf_put(&res->body, css, sizeof css - 1);
}

/* integration (issue 8): the editor's script, served like the stylesheet. */
void web_static_js(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/javascript; charset=utf-8";
    web_header_add(res, "Cache-Control", "public, max-age=3600");
    buf_put(&res->body, js, sizeof js - 1);
}

void web_robots(const struct web_request *req, struct web_response *res)
{
    (void)req;
    res->type = "text/plain; charset=utf-8";
    buf_puts(&res->body, "User-agent: *\nDisallow: /soeg\nDisallow: /api/search\n");
}

void web_url(struct buf *b, const char *s)
{
    if (s)
        buf_url_arg(b, s, strlen(s));
}

static const char *const months[] = {"januar",    "februar", "marts",    "april",
                                     "maj",       "juni",    "juli",     "august",
                                     "september", "oktober", "november", "december"};

void web_date_long(struct buf *b, const char *iso)
{
    int y, m, d;
    if (!iso)
        return;
    if (date_parse_iso(iso, &y, &m, &d) != 0) {
        html_text(b, iso);
        return;
    }
    buf_printf(b, "<time datetime=\"%s\">%d. %s %d</time>", iso, d, months[m - 1], y);
}

void web_body_link(struct buf *b, const char *code, const char *text)
{
    buf_puts(b, "<a href=\"/organ/");
    web_url(b, code);
    buf_puts(b, "\">");
    html_text(b, text ? text : code);
    buf_puts(b, "</a>");
}

static void nav_item(struct buf *b, const char *href, const char *label, const char *key,
                     const char *nav)
{
    buf_printf(b, "<li><a href=\"%s\"%s>%s</a></li>", href,
               nav && strcmp(nav, key) == 0 ? " aria-current=\"page\"" : "", label);
}

void web_csrf_field(struct buf *b, const struct web_request *req)
{
    if (!req || !req->session)
        return;
    buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_attr(b, req->session->csrf);
    buf_puts(b, "\">");
}

void web_page_begin(struct web_response *res, const char *title, const char *q, const char *nav)
{
    struct buf *b = &res->body;
    const struct web_request *req = res->req;
    const struct web_site *site = req ? req->site : NULL;
    const char *town = site && site->name ? site->name : NULL;
    res->type = "text/html; charset=utf-8";
    buf_puts(b, "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(b, title);
    buf_puts(b, " – ");
    html_text(b, town ? town : "Referat");
    buf_puts(b, "</title>\n"
                "<link rel=\"stylesheet\" href=\"/static/referat.css\">\n"
                "<link rel=\"alternate\" type=\"application/atom+xml\" "
                "title=\"Nye referater\" href=\"/atom.xml\">\n");
    bool own_csp = false;
    if (res->script) {
        /* integration (issue 8): our own script, from a file (no inline script). */
        buf_puts(b, "<script src=\"/static/referat.js\" defer></script>\n");
    }
    buf_puts(b, "</head>\n<body>\n"
                "<a class=\"skip\" href=\"#indhold\">Gå til indholdet</a>\n"
                "<header class=\"site\">\n<div class=\"wrap bar\">\n"
                "<a class=\"brand\" href=\"/\">");
    if (site && site->logo) {
        /* The name follows as text, so the logo itself says nothing more (alt=""). A logo on
         * another site needs its origin in the page's image policy. */
        char origin[300];
        if (site->logo[0] != '/' && web_origin_of(site->logo, origin, sizeof origin) &&
            strncmp(origin, "https://", 8) == 0) {
            struct buf csp = BUF_INIT;
            buf_printf(&csp, "default-src 'none'; style-src 'self'; img-src 'self' %s; %s"
                             "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                       origin, res->script ? "script-src 'self'; " : "");
            web_header_add(res, "Content-Security-Policy", buf_cstr(&csp));
            own_csp = true;
            buf_free(&csp);
        }
        buf_puts(b, "<img class=\"logo\" src=\"");
        html_attr(b, site->logo);
        buf_puts(b, "\" alt=\"\">");
    }
    if (res->script && !own_csp)
        web_header_add(res, "Content-Security-Policy", WEB_CSP_SCRIPT);
    html_text(b, town ? town : "Referat");
    buf_puts(b, "<small>Dagsordener og referater fra kommunens udvalg</small></a>\n");
    /* The search page and the front page have their own, fuller form; two search landmarks would
     * confuse. */
    if (!nav || (strcmp(nav, "soeg") != 0 && strcmp(nav, "forside") != 0)) {
        buf_puts(b, "<form class=\"topsearch\" role=\"search\" action=\"/soeg\" method=\"get\" "
                    "aria-label=\"Hurtig søgning\">\n"
                    "<label class=\"vh\" for=\"topq\">Søg i referaterne</label>\n"
                    "<input id=\"topq\" name=\"q\" type=\"search\" "
                    "placeholder=\"Søg i referaterne\"");
        if (q) {
            buf_puts(b, " value=\"");
            html_attr(b, q);
            buf_puts(b, "\"");
        }
        buf_puts(b, ">\n<button type=\"submit\">Søg</button>\n</form>\n");
    }
    buf_puts(b, "</div>\n<nav class=\"mainnav\" aria-label=\"Hovedmenu\">\n<ul class=\"wrap\">");
    nav_item(b, "/", "Forside", "forside", nav);
    nav_item(b, "/soeg", "Søg", "soeg", nav);
    nav_item(b, "/opfoelgning", "Opfølgning", "opfoelgning", nav);
    if (req && req->session) {
        nav_item(b, "/arbejde", "Arbejdsområde", "arbejde", nav);
        buf_puts(b, "<li class=\"account\"><span>");
        html_text(b, req->session->name ? req->session->name : req->session->login);
        buf_puts(b, "</span><form action=\"/log-ud\" method=\"post\">");
        web_csrf_field(b, req);
        buf_puts(b, "<button type=\"submit\">Log ud</button></form></li>");
    } else if (req && !req->read_only) {
        buf_printf(b, "<li class=\"account\"><a href=\"/log-ind\"%s>Log ind</a></li>",
                   nav && strcmp(nav, "log-ind") == 0 ? " aria-current=\"page\"" : "");
    }
    buf_puts(b, "</ul>\n</nav>\n</header>\n<main id=\"indhold\" class=\"wrap\">\n");
}

static const struct {
    const char *key, *href, *label;
    bool admin;
} work_nav[] = {
    {"oversigt", "/arbejde", "Oversigt", false},
    {"moeder", "/arbejde/moeder", "Møder", false},
    {"kladder", "/arbejde/kladder", "Mine kladder", false},
    {"godkendelser", "/arbejde/godkendelser", "Til godkendelse", false},
    {"opfoelgninger", "/arbejde/opfoelgninger", "Mine opfølgninger", false},
    {"historik", "/arbejde/historik", "Historik", false},
    {"bibliotek", "/arbejde/bibliotek", "Biblioteker", false}, /* issue 8, library */
    {"adgangskode", "/arbejde/adgangskode", "Adgangskode", false},
    {"indstillinger", "/arbejde/indstillinger", "Indstillinger", true},
    {"brugere", "/arbejde/brugere", "Brugere", true},
};

void web_work_begin(struct web_response *res, const char *title, const char *here)
{
    web_page_begin(res, title, NULL, "arbejde");
    struct buf *b = &res->body;
    /* The staff navigation sits inside main, after the skip link's target: it is this
     * area's own menu. */
    bool admin = res->req && res->req->session && res->req->session->admin;
    buf_puts(b, "<nav class=\"worknav\" aria-label=\"Arbejdsområde\">\n<ul>");
    for (size_t i = 0; i < sizeof work_nav / sizeof work_nav[0]; i++)
        if (!work_nav[i].admin || admin)
            nav_item(b, work_nav[i].href, work_nav[i].label, work_nav[i].key, here);
    buf_puts(b, "</ul>\n</nav>\n");
}

/* Text whose line ends become <br>. */
static void lines(struct buf *b, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, "\r\n");
        html_textn(b, s, n);
        s += n;
        if (*s == '\r')
            s++;
        if (*s == '\n')
            s++;
        if (*s)
            buf_puts(b, "<br>");
    }
}

void web_page_end(struct web_response *res)
{
    struct buf *b = &res->body;
    const struct web_site *site = res->req ? res->req->site : NULL;
    buf_puts(b, "</main>\n<footer class=\"site\">\n<div class=\"wrap\">\n");
    if (site && (site->name || site->contact || site->email)) {
        buf_puts(b, "<p>");
        if (site->name) {
            buf_puts(b, "<strong>");
            html_text(b, site->name);
            buf_puts(b, "</strong><br>");
        }
        if (site->contact)
            lines(b, site->contact);
        if (site->email) {
            buf_puts(b, site->contact ? "<br>" : "");
            buf_puts(b, "<a href=\"mailto:");
            html_attr(b, site->email);
            buf_puts(b, "\">");
            html_text(b, site->email);
            buf_puts(b, "</a>");
        }
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<p>Referat viser de offentlige dele af dagsordener og referater. Lukkede sager "
                "vises kun med titel.</p>\n"
                "<ul><li><a href=\"/atom.xml\">Nyhedsfeed (Atom)</a></li>"
                "<li><a href=\"/kalender.ics\">Mødekalender (iCalendar)</a></li>"
                "<li><a href=\"/api\">Åbne data (JSON)</a></li>");
    if (site && site->accessibility) {
        buf_puts(b, "<li><a href=\"");
        html_attr(b, site->accessibility);
        buf_puts(b, "\">Tilgængelighedserklæring</a></li>");
    }
    buf_puts(b, "</ul>\n</div>\n</footer>\n</body>\n</html>\n");
}

void web_error_page(struct web_response *res, int status, const char *hint)
{
    const char *title, *text;
    switch (status) {
    case 400:
        title = "Forespørgslen kunne ikke forstås";
        text = "Adressen eller søgningen indeholder noget, som portalen ikke kan læse.";
        break;
    case 404:
        title = "Siden findes ikke";
        text = "Der er ingen side på denne adresse. Den kan være stavet forkert, eller "
               "sagen eller mødet findes ikke i arkivet.";
        break;
    case 401:
        title = "Du skal logge ind";
        text = "Siden kræver, at du er logget ind som medarbejder.";
        break;
    case 403:
        title = "Du har ikke adgang";
        text = "Det, du har bedt om, kræver en rolle, du ikke har.";
        break;
    case 414:
        title = "Adressen er for lang";
        text = "Adressen er længere, end portalen læser. Søg med færre eller kortere ord.";
        break;
    case 431:
        title = "Forespørgslen er for stor";
        text = "Browseren sendte flere eller større oplysninger (headere), end portalen læser.";
        break;
    case 405:
        title = "Metoden er ikke tilladt";
        text = "Adressen kan ikke bruges sådan. Sider læses med GET; formularer sendes med "
               "POST.";
        break;
    case 409:
        title = "Ændringen kunne ikke gemmes";
        text = "Nogen har ændret det samme i mellemtiden, eller det er ikke muligt i den "
               "tilstand, det er i nu.";
        break;
    case 413:
        title = "Indholdet er for stort";
        text = "Det indsendte er større, end portalen tager imod.";
        break;
    case 415:
        title = "Formularen kunne ikke læses";
        text = "Det indsendte har en form, portalen ikke tager imod.";
        break;
    case 429:
        title = "For mange forsøg";
        text = "Der er forsøgt for mange gange på kort tid. Vent lidt, og prøv igen.";
        break;
    case 503:
        title = "Arkivet er ikke tilgængeligt lige nu";
        text = "Portalen kan ikke åbne arkivet. Prøv igen om lidt.";
        break;
    default:
        status = 500;
        title = "Der skete en fejl";
        text = "Siden kunne ikke vises på grund af en fejl i portalen.";
        break;
    }
    buf_truncate(&res->body, 0);
    res->status = status;
    web_page_begin(res, title, NULL, NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>");
    html_text(b, title);
    buf_printf(b, "</h1>\n<p class=\"lead\">");
    html_text(b, text);
    buf_puts(b, "</p>\n");
    if (hint) {
        buf_puts(b, "<p>");
        html_text(b, hint);
        buf_puts(b, "</p>\n");
    }
    buf_printf(b, "<p class=\"muted\">Fejlkode: %d</p>\n", status);
    buf_puts(b, "<h2>Hvad kan du gøre?</h2>\n<ul>\n"
                "<li>Gå til <a href=\"/\">forsiden</a> og find udvalget og mødet.</li>\n"
                "<li>Brug <a href=\"/soeg\">søgningen</a> med et ord fra sagens titel.</li>\n"
                "<li>Se <a href=\"/opfoelgning\">åbne opfølgninger</a>.</li>\n</ul>\n");
    web_page_end(res);
}

void web_redirect(struct web_response *res, int status, const char *location)
{
    res->status = status;
    res->type = "text/html; charset=utf-8";
    web_header_add(res, "Location", location);
    buf_truncate(&res->body, 0);
    buf_puts(&res->body, "<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
                         "<title>Flyttet</title></head><body><p>Siden er flyttet til <a href=\"");
    html_attr(&res->body, location);
    buf_puts(&res->body, "\">");
    html_text(&res->body, location);
    buf_puts(&res->body, "</a>.</p></body></html>\n");
}

void web_fail(struct web_response *res, int rc, bool json, const char *what, const struct err *e)
{
    int status = rc == ERR_NOTFOUND ? 404 : rc == ERR_CLOSED ? 403 : rc == ERR_DB ? 503 : 500;
    if (status >= 500 && e && e->msg[0]) {
        char msg[400];
        err_format(e, msg, sizeof msg);
        fprintf(stderr, "referat serve: %s\n", msg);
    }
    if (json) {
        web_json_error(res, status,
                       status == 404   ? (what ? what : "Findes ikke.")
                       : status == 403 ? "Indholdet er lukket og ikke offentligt."
                       : status == 503 ? "Arkivet er ikke tilgængeligt lige nu."
                                       : "Der skete en fejl.");
        return;
    }
    web_error_page(res, status, status == 404 ? what : NULL);
}

void web_abs_url(struct buf *b, const struct web_request *req, const char *path)
{
    buf_puts(b, req->base ? req->base : "http://localhost");
    buf_puts(b, path);
}
