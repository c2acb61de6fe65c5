/* page_users: the accounts and their roles, for administrators (/arbejde/brugere). Accounts
 * are made and changed with `referat user` on the server. */
#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 100

void page_work_users(const struct web_request *req, struct web_response *res)
{
    struct store_account *v = NULL;
    size_t n = 0, total = 0, page = web_arg_page(req, "side");
    struct store_page pg = web_store_page(page, PER_PAGE);
    struct err e = {0};
    int rc = req->store ? store_accounts(req->store, &pg, &v, &n, &total, &e) : ERR_DB;
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_work_begin(res, "Brugere", "brugere");
    struct buf *b = &res->body;
    buf_printf(b, "<h1>Brugere</h1>\n<p class=\"lead\">%zu %s. Brugere oprettes, spærres og "
                  "får roller på serveren med <code>referat user</code> (se "
                  "<code>referat user --help</code>).</p>\n",
               total, total == 1 ? "bruger" : "brugere");
    buf_puts(b, "<section class=\"scroll\" tabindex=\"0\" aria-label=\"Brugere\">"
                "<table aria-label=\"Brugere\"><thead><tr>"
                "<th scope=\"col\">Brugernavn</th><th scope=\"col\">Navn</th>"
                "<th scope=\"col\">E-mail</th><th scope=\"col\">Roller</th>"
                "<th scope=\"col\">Status</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "<tr><td>");
        html_text(b, v[i].login);
        buf_puts(b, "</td><td>");
        html_text(b, v[i].name);
        buf_puts(b, "</td><td>");
        html_text(b, v[i].email ? v[i].email : "–");
        buf_puts(b, "</td><td>");
        if (v[i].admin)
            buf_puts(b, "Administrator");
        for (size_t k = 0; k < v[i].ngrants; k++) {
            if (k || v[i].admin)
                buf_puts(b, "<br>");
            html_text(b, role_label(v[i].grants[k].role));
            buf_puts(b, " i ");
            html_text(b, v[i].grants[k].body);
        }
        if (!v[i].admin && v[i].ngrants == 0)
            buf_puts(b, "–");
        buf_puts(b, "</td><td>");
        buf_puts(b, v[i].disabled ? "<span class=\"tag closed\">Spærret</span>"
                                  : "<span class=\"tag open\">Aktiv</span>");
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody></table></section>\n");
    web_pager(b, req, "side", page, PER_PAGE, total);
    web_page_end(res);
    store_accounts_free(v, n);
}
