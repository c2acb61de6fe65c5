/* page_followups: follow-ups by owner, open ones by default (/opfoelgning?ansvarlig=&status=). */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

/* By owner, then as the store ordered them (due date). */
static int by_owner(const void *a, const void *b, void *arg)
{
    const struct store_followup *sort_base = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(sort_base[x].owner ? sort_base[x].owner : "",
                   sort_base[y].owner ? sort_base[y].owner : "");
    return c ? c : (x < y ? -1 : x > y);
}

static int strcmp_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void option(struct buf *b, const char *value, const char *label, const char *cur)
{
    buf_printf(b, "<option value=\"%s\"%s>%s</option>", value,
               strcmp(value, cur) == 0 ? " selected" : "", label);
}

void page_followups(const struct web_request *req, struct web_response *res)
{
    struct store_followup *v = NULL, *all = NULL;
    size_t n = 0, nall = 0;
    size_t *order = NULL;
    char **owners = NULL;
    size_t nowners = 0;
    struct err e = {0};
    int rc = ERR_DB;
    const char *owner = web_arg(req, "ansvarlig");
    const char *status = web_arg(req, "status");
    if (!status)
        status = "aabne";
    enum store_status st = strcmp(status, "aabne") == 0        ? STORE_OPEN
                           : strcmp(status, "afsluttede") == 0 ? STORE_DONE
                           : strcmp(status, "alle") == 0       ? STORE_ANY
                                                               : (enum store_status) - 1;
    if ((int)st == -1) {
        web_error_page(res, 400, "Status skal være aabne, afsluttede eller alle.");
        goto done;
    }
    struct store_followup_filter f = {.owner = owner, .status = st};
    struct store_followup_filter fa = {.status = STORE_ANY};
    if (!req->store || (rc = store_followups(req->store, &f, AUDIENCE_PUBLIC, &v, &n, &e)) < 0 ||
        (rc = store_followups(req->store, &fa, AUDIENCE_PUBLIC, &all, &nall, &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    /* The owners for the filter, sorted and unique. */
    owners = xcalloc(nall + 1, sizeof *owners);
    for (size_t i = 0; i < nall; i++) {
        bool seen = false;
        for (size_t k = 0; k < nowners && !seen; k++)
            seen = strcmp(owners[k], all[i].owner ? all[i].owner : "") == 0;
        if (!seen && all[i].owner)
            owners[nowners++] = all[i].owner;
    }
    qsort(owners, nowners, sizeof *owners, strcmp_ptr);
    order = xcalloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_owner, v);

    char today[11];
    web_today(today);
    web_page_begin(res, "Opfølgning", NULL, "opfoelgning");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Opfølgning på beslutninger</h1>\n<p class=\"lead\">Hvem følger op på hvad. "
                "Opfølgningerne er læst ud af beslutningernes tekst.</p>\n");
    buf_puts(b, "<form class=\"searchform\" action=\"/opfoelgning\" method=\"get\" "
                "aria-label=\"Filtrér opfølgninger\">\n<div><label for=\"ansvarlig\">Ansvarlig"
                "</label><select id=\"ansvarlig\" name=\"ansvarlig\"><option value=\"\">Alle"
                "</option>");
    for (size_t i = 0; i < nowners; i++) {
        buf_puts(b, "<option value=\"");
        html_attr(b, owners[i]);
        buf_puts(b, "\"");
        if (owner && strcmp(owner, owners[i]) == 0)
            buf_puts(b, " selected");
        buf_puts(b, ">");
        html_text(b, owners[i]);
        buf_puts(b, "</option>");
    }
    buf_puts(b, "</select></div>\n<div><label for=\"status\">Status</label>"
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
        buf_printf(b, "<p class=\"meta\">%zu %s</p>\n", n, n == 1 ? "opfølgning" : "opfølgninger");
    }
    const char *cur = NULL;
    for (size_t k = 0; k < n; k++) {
        const struct store_followup *fu = &v[order[k]];
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
        web_case_link(b, fu->case_id, fu->case_title, true);
        if (fu->entry_title) {
            buf_puts(b, " · ");
            html_text(b, fu->entry_title);
        }
        if (fu->body) {
            buf_puts(b, " · ");
            html_text(b, fu->body);
        }
        if (fu->meeting_date) {
            buf_puts(b, " ");
            web_date_long(b, fu->meeting_date);
        }
        if (fu->due) {
            buf_puts(b, " · frist ");
            web_date_long(b, fu->due);
        }
        buf_puts(b, "</span> ");
        if (fu->done)
            buf_puts(b, "<span class=\"tag done\">Afsluttet</span>");
        else if (fu->due && strcmp(fu->due, today) < 0)
            buf_puts(b, "<span class=\"tag closed\">Overskredet</span>");
        else
            buf_puts(b, "<span class=\"tag open\">Åben</span>");
        buf_puts(b, "</li>\n");
    }
    if (cur)
        buf_puts(b, "</ul>\n");
    web_page_end(res);
done:
    free(order);
    free(owners);
    store_followups_free(v, n);
    store_followups_free(all, nall);
}
