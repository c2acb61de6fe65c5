/* page_followups: follow-ups by owner, open ones by default (/opfoelgning?ansvarlig=&status=). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 100
#define MAX_OWNERS 200

static void option(struct buf *b, const char *value, const char *label, const char *cur)
{
    buf_printf(b, "<option value=\"%s\"%s>%s</option>", value,
               strcmp(value, cur) == 0 ? " selected" : "", label);
}

/* ---- issue 10, portal follow-ups: "Overskredet" next to a named person only where the
 * deciding body's followup.overdue_mark says so; a page's rows come by owner, so the last
 * body's answer is kept. ---- */
struct overdue_memo {
    char code[64];
    bool known, shown;
};

static bool overdue_shown(const struct web_request *req, const char *body,
                          struct overdue_memo *m)
{
    if (!body || !req->store)
        return false;
    if (m->known && strcmp(m->code, body) == 0)
        return m->shown;
    char *v = NULL;
    struct err e = {0};
    m->shown = store_body_setting_get(req->store, body, "followup.overdue_mark", &v, &e) == 0 &&
               v && strcmp(v, "1") == 0;
    free(v);
    snprintf(m->code, sizeof m->code, "%s", body);
    m->known = strlen(body) < sizeof m->code;
    return m->shown;
}
/* ---- end issue 10, portal follow-ups ---- */

void page_followups(const struct web_request *req, struct web_response *res)
{
    struct overdue_memo memo = {0};
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    char **owners = NULL;
    size_t nowners = 0;
    struct err e = {0};
    int rc = ERR_DB;
    const char *owner = web_arg(req, "ansvarlig");
    enum store_status st;
    if (!web_status_arg(req, res, &st))
        goto done;
    const char *status = web_status_name(st);
    size_t page;
    if (!web_page_arg(req, res, "side", &page))
        goto done;
    struct store_followup_filter f = {.owner = owner, .status = st, .by_owner = true,
                                      .portal = true};
    /* The owners fit a list box up to MAX_OWNERS; beyond, the filter is a text field. */
    struct store_page pg = web_store_page(page, PER_PAGE), few = {0, MAX_OWNERS + 1};
    if (!req->store ||
        (rc = store_followups(req->store, &f, req->reader, &pg, &v, &n, &total, &e)) < 0 ||
        (rc = store_followup_owners(req->store, req->reader, &few, &owners, &nowners, NULL,
                                    &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }

    char today[11];
    web_today(today);
    web_page_begin(res, "Opfølgning", NULL, "opfoelgning");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Opfølgning på beslutninger</h1>\n<p class=\"lead\">Hvem følger op på hvad. "
                "Opfølgningerne er læst ud af beslutningernes tekst.</p>\n");
    buf_puts(b, "<form class=\"searchform\" action=\"/opfoelgning\" method=\"get\" "
                "aria-label=\"Filtrér opfølgninger\">\n<div><label for=\"ansvarlig\">Ansvarlig"
                "</label>");
    bool text_field = nowners > MAX_OWNERS;
    if (text_field) {
        buf_puts(b, "<input id=\"ansvarlig\" name=\"ansvarlig\" type=\"text\" "
                    "placeholder=\"Navn på ansvarlig\" value=\"");
        html_attr(b, owner ? owner : "");
        buf_puts(b, "\">");
    } else {
        buf_puts(b, "<select id=\"ansvarlig\" name=\"ansvarlig\"><option value=\"\">Alle"
                    "</option>");
    }
    for (size_t i = 0; !text_field && i < nowners; i++) {
        buf_puts(b, "<option value=\"");
        html_attr(b, owners[i]);
        buf_puts(b, "\"");
        if (owner && strcmp(owner, owners[i]) == 0)
            buf_puts(b, " selected");
        buf_puts(b, ">");
        html_text(b, owners[i]);
        buf_puts(b, "</option>");
    }
    if (!text_field)
        buf_puts(b, "</select>");
    buf_puts(b, "</div>\n<div><label for=\"status\">Status</label>"
                "<select id=\"status\" name=\"status\">");
    option(b, "aabne", "Åbne", status);
    option(b, "afsluttede", "Afsluttede", status);
    option(b, "alle", "Alle", status);
    buf_puts(b, "</select></div>\n<div><button type=\"submit\">Vis</button></div>\n</form>\n");

    if (n == 0) {
        buf_puts(b, "<p>Der er ingen opfølgninger, der passer til filteret.</p>\n");
        if (owner || st != STORE_OPEN)
            buf_puts(b, "<p><a href=\"/opfoelgning\">Vis alle åbne opfølgninger</a>.</p>\n");
    } else {
        buf_puts(b, "<p class=\"meta\">");
        web_total(b, total, "opfølgning", "opfølgninger");
        buf_puts(b, "</p>\n");
    }
    const char *cur = NULL;
    for (size_t k = 0; k < n; k++) {
        const struct store_followup *fu = &v[k];
        const char *o = fu->owner ? fu->owner : "(ukendt)";
        if (!cur || strcmp(cur, o) != 0) {
            if (cur)
                buf_puts(b, "</ul>\n");
            buf_puts(b, "<h2>");
            int64_t pid = web_person_find(req->store, fu->owner);
            if (pid)
                buf_printf(b, "<a href=\"/person/%lld\">", (long long)pid);
            html_text(b, o);
            if (pid)
                buf_puts(b, "</a>");
            buf_puts(b, "</h2>\n<ul class=\"list\">\n");
            cur = o;
        }
        buf_puts(b, "<li>");
        html_text(b, fu->text);
        buf_puts(b, "<br><span class=\"meta\">");
        web_followup_case(b, fu);
        if (fu->due) {
            buf_puts(b, " · frist ");
            web_date_long(b, fu->due);
        }
        buf_puts(b, "</span> ");
        if (fu->done)
            buf_puts(b, "<span class=\"tag done\">Afsluttet</span>");
        else if (fu->due && strcmp(fu->due, today) < 0 && overdue_shown(req, fu->body, &memo))
            buf_puts(b, "<span class=\"tag closed\">Overskredet</span>");
        else
            buf_puts(b, "<span class=\"tag open\">Åben</span>");
        buf_puts(b, "</li>\n");
    }
    if (cur)
        buf_puts(b, "</ul>\n");
    web_pager(b, req, "side", page, PER_PAGE, total);
    web_page_end(res);
done:
    store_problems_free(owners, nowners);
    store_followups_free(v, n);
}
