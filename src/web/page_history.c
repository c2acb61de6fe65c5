/* page_history: the ledger as staff may read it: everything they may see (/arbejde/historik),
 * one case's versions and events (/arbejde/sag/ID/historik), one meeting's events
 * (/arbejde/moede/ID/historik). */
#include <stdio.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 50

/* What each action is called on the page. */
static const struct {
    const char *action, *label;
} labels[] = {
    {"archive.create", "Arkivet oprettet"},
    {"archive.upgrade", "Arkivet opgraderet"},
    {"case.import", "Sag indlæst"},
    {"case.create", "Sag oprettet"},
    {"case.save", "Sag gemt"},
    {"case.transition", "Sagens status ændret"},
    {"case.caveats_cleared", "Forbehold gennemset"},
    {"meeting.import", "Møde indlæst"},
    {"attachment.put", "Bilagsfil gemt"},
    {"meeting.create", "Møde oprettet"},
    {"meeting.save", "Møde ændret"},
    {"meeting.transition", "Mødets status ændret"},
    {"followup.done", "Opfølgning afsluttet"},
    {"followup.reopen", "Opfølgning genåbnet"},
    {"body.add", "Udvalg oprettet"},
    {"user.add", "Bruger oprettet"},
    {"user.passwd", "Adgangskode skiftet"},
    {"user.disable", "Bruger spærret"},
    {"user.enable", "Bruger genåbnet"},
    {"user.grant", "Rolle givet"},
    {"user.revoke", "Rolle frataget"},
    {"token.add", "API-token oprettet"},
    {"token.revoke", "API-token tilbagekaldt"},
    {"login", "Logget ind"},
    {"login.failed", "Mislykket login"},
    {"logout", "Logget ud"},
    {"setting.set", "Indstilling ændret"},
    /* invitations (issue 8) */
    {"invitation.sent", "Invitation sendt"},
    {"invitation.failed", "Invitation kunne ikke sendes"},
    {"invitation.retry", "Invitation sendes igen"},
    {"guest_link.create", "Gæstelink oprettet"},
    /* ---- issue 9, minutes ---- */
    {"case.addition", "Tillæg til godkendt referat"},
    {"minutes.send", "Referat sendt til godkendelse"},
    {"minutes.approve", "Referat godkendt af medlem"},
    {"minutes.object", "Indsigelse mod referat"},
    {"minutes.answer", "Indsigelse besvaret"},
    {"minutes.return", "Referat returneret"},
    {"minutes.close", "Godkendelsesrunden lukket"},
    {"minutes.reopen", "Referat genåbnet (ny version)"},
    /* ---- end issue 9, minutes ---- */
};

static const char *label_of(const char *action)
{
    for (size_t i = 0; action && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].action, action) == 0)
            return labels[i].label;
    return action ? action : "";
}

/* The object as a link where it has a page. */
static void object_cell(struct buf *b, const char *object)
{
    long long id;
    if (!object) {
        buf_puts(b, "–");
    } else if (sscanf(object, "case:%lld", &id) == 1) {
        buf_printf(b, "<a href=\"/sag/%lld\">Sag %lld</a> (<a href=\"/arbejde/sag/%lld/historik\">"
                      "historik</a>)", id, id, id);
    } else if (sscanf(object, "meeting:%lld", &id) == 1) {
        buf_printf(b, "<a href=\"/moede/%lld\">Møde %lld</a> (<a href=\"/arbejde/moede/%lld/"
                      "historik\">historik</a>)", id, id, id);
    } else if (sscanf(object, "account:%lld", &id) == 1) {
        buf_printf(b, "Bruger %lld", id);
    } else if (sscanf(object, "followup:%lld", &id) == 1) {
        buf_printf(b, "Opfølgning %lld", id);
    } else if (sscanf(object, "body:%lld", &id) == 1) {
        buf_printf(b, "Udvalg %lld", id);
    } else if (strncmp(object, "setting:", 8) == 0) {
        buf_puts(b, "Indstilling ");
        html_text(b, object + 8);
    } else {
        html_text(b, object);
    }
}

/* A ledger time as people read it: "2025-03-12T09:30:00Z" as "2025-03-12 09:30:00" (the
 * column says UTC). */
static void at_text(struct buf *b, const char *at)
{
    size_t n = at ? strlen(at) : 0;
    if (n == 20 && at[10] == 'T' && at[19] == 'Z') {
        html_textn(b, at, 10);
        buf_putc(b, ' ');
        html_textn(b, at + 11, 8);
    } else if (at) {
        html_text(b, at);
    }
}

static void events_table(struct buf *b, const struct store_event *v, size_t n, const char *id)
{
    if (n == 0) {
        buf_puts(b, "<p>Ingen hændelser.</p>\n");
        return;
    }
    /* A region of its own, reachable by Tab, so that a keyboard can scroll it on a phone
     * (axe: scrollable-region-focusable). */
    buf_printf(b, "<section class=\"scroll\" tabindex=\"0\" aria-labelledby=\"%s\">"
                  "<table aria-labelledby=\"%s\"><thead><tr>"
                  "<th scope=\"col\">Tidspunkt (UTC)</th><th scope=\"col\">Hvem</th>"
                  "<th scope=\"col\">Hændelse</th><th scope=\"col\">Hvad</th>"
                  "<th scope=\"col\">Version</th><th scope=\"col\">Detaljer</th></tr></thead>"
                  "<tbody>\n", id, id);
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "<tr><td class=\"at\"><time datetime=\"");
        html_attr(b, v[i].at);
        buf_puts(b, "\">");
        at_text(b, v[i].at);
        buf_puts(b, "</time></td><td>");
        html_text(b, v[i].actor);
        if (v[i].client) {
            buf_puts(b, "<br><span class=\"meta\">");
            html_text(b, v[i].client);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</td><td>");
        html_text(b, label_of(v[i].action));
        buf_puts(b, "</td><td>");
        object_cell(b, v[i].object);
        buf_puts(b, "</td><td>");
        if (v[i].before || v[i].after)
            buf_printf(b, "%d → %d", v[i].before, v[i].after);
        buf_puts(b, "</td><td class=\"detail\">");
        if (v[i].detail) {
            buf_puts(b, "<code>");
            html_text(b, v[i].detail);
            buf_puts(b, "</code>");
        }
        buf_printf(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></section>\n");
}

/* The events about object (NULL: all the reader may see), a page at a time. */
static void events_section(const struct web_request *req, struct buf *b, const char *object,
                           const char *heading)
{
    struct store_event *v = NULL;
    size_t n = 0, total = 0, page = web_arg_page(req, "side");
    struct store_page pg = web_store_page(page, PER_PAGE);
    struct err e = {0};
    buf_puts(b, "<h2 id=\"haendelser\">");
    html_text(b, heading);
    buf_puts(b, "</h2>\n");
    if (store_events(req->store, object, req->reader, &pg, &v, &n, &total, &e) < 0) {
        buf_puts(b, "<p class=\"alert\">Historikken kunne ikke hentes lige nu.</p>\n");
        return;
    }
    events_table(b, v, n, "haendelser");
    web_pager(b, req, "side", page, PER_PAGE, total);
    store_events_free(v, n);
}

void page_work_history(const struct web_request *req, struct web_response *res)
{
    web_work_begin(res, "Historik", "historik");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Historik</h1>\n<p class=\"lead\">Hver ændring i arkivet er en hændelse i "
                "en kæde, der ikke kan ændres ubemærket (<code>referat audit verify</code>). "
                "Du ser hændelserne om de sager og møder, du har adgang til, og dine egne.</p>\n");
    events_section(req, b, NULL, "Seneste hændelser");
    web_page_end(res);
}

void page_work_case_history(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_case_ref ref = {0};
    struct store_version *v = NULL;
    size_t n = 0;
    struct err e = {0};
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_versions(req->store, id, req->reader, &v, &n, &e);
    if (rc < 0) {
        web_fail(res, rc == ERR_CLOSED ? ERR_NOTFOUND : rc, false, NULL, &e);
        store_case_ref_fini(&ref);
        return;
    }
    web_work_begin(res, "Sagens historik", NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Historik: ");
    html_text(b, ref.title);
    buf_printf(b, "</h1>\n<p><a href=\"/sag/%lld\">Til sagen</a></p>\n"
                  "<h2 id=\"versioner\">Versioner</h2>\n", (long long)id);
    buf_puts(b, "<section class=\"scroll\" tabindex=\"0\" "
                "aria-labelledby=\"versioner\"><table aria-labelledby=\"versioner\"><thead><tr>"
                "<th scope=\"col\">Version</th><th scope=\"col\">Gemt (UTC)</th>"
                "<th scope=\"col\">Af</th><th scope=\"col\">Kilde</th>"
                "<th scope=\"col\">Størrelse</th></tr></thead><tbody>\n");
    for (size_t i = n; i-- > 0;) {
        buf_printf(b, "<tr><td>%d%s</td><td class=\"at\">", v[i].version,
                   i + 1 == n ? " (nu)" : "");
        at_text(b, v[i].imported_at);
        buf_puts(b, "</td><td>");
        html_text(b, v[i].actor ? v[i].actor : "–");
        buf_puts(b, "</td><td>");
        html_text(b, v[i].name);
        buf_puts(b, " (");
        html_text(b, v[i].format);
        buf_printf(b, ")</td><td>%zu bytes</td></tr>\n", v[i].size);
    }
    buf_puts(b, "</tbody></table></section>\n");
    char object[40];
    snprintf(object, sizeof object, "case:%lld", (long long)id);
    events_section(req, b, object, "Hændelser");
    web_page_end(res);
    store_versions_free(v, n);
    store_case_ref_fini(&ref);
}

void page_work_meeting_history(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]);
    struct store_meeting m = {0};
    struct err e = {0};
    int rc = store_meeting_get(req->store, id, req->reader, &m, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_work_begin(res, "Mødets historik", NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Historik: ");
    html_text(b, m.body_name ? m.body_name : m.body);
    buf_puts(b, ", ");
    web_date_long(b, m.date);
    buf_printf(b, "</h1>\n<p><a href=\"/moede/%lld\">Til mødet</a> · <a href=\"/arbejde/moede/"
                  "%lld/invitationer\">Gæsternes invitationer</a> · version %d</p>\n",
               (long long)id, (long long)id, m.version); /* invitations: issue 8 */
    char object[40];
    snprintf(object, sizeof object, "meeting:%lld", (long long)id);
    events_section(req, b, object, "Hændelser");
    web_page_end(res);
    store_meeting_fini(&m);
}
