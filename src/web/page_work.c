/* page_work: the staff area's overview (/arbejde) and its worklists: the meetings of my bodies,
 * my drafts, what awaits my approval, my follow-ups. Each list is paged in the store. */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "../util/clock.h"
#include "web.h"

#define PER_PAGE 50

static const char *state_label(const struct wf_machine *m, const char *state)
{
    int k = state ? wf_state_parse(m, state) : -1;
    return k >= 0 ? wf_state_label(m, k) : state;
}

/* The person's account with its grants; false (and the error page) when it cannot be read. */
static bool load_account(const struct web_request *req, struct web_response *res,
                         struct store_account *a)
{
    struct err e = {0};
    int rc = req->store ? store_account_get_id(req->store, req->session->account_id, a, &e)
                        : ERR_DB;
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return false;
    }
    return true;
}

static bool has_role(const struct web_request *req, int roles)
{
    for (size_t i = 0; req->reader && i < req->reader->nbodies; i++)
        if (req->reader->bodies[i].roles & roles)
            return true;
    return false;
}

/* A list of cases with their state; title when empty. */
static void case_list(struct buf *b, const struct store_case_ref *v, size_t n, const char *empty,
                      bool caveats)
{
    if (n == 0) {
        buf_puts(b, "<p>");
        html_text(b, empty);
        buf_puts(b, "</p>\n");
        return;
    }
    buf_puts(b, "<ul class=\"list\">\n");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, "<li>");
        web_case_link(b, v[i].id, v[i].title, v[i].public);
        buf_puts(b, "<br><span class=\"meta\">");
        html_text(b, v[i].state ? state_label(&wf_case, v[i].state) : "Indlæst");
        web_case_context(b, &v[i], true);
        buf_printf(b, " · version %d · <a href=\"/arbejde/sag/%lld/historik\">Historik</a>",
                   v[i].version, (long long)v[i].id);
        if (v[i].state) /* editor (issue 8): the case in the staff area */
            buf_printf(b, " · <a href=\"/arbejde/sag/%lld\">Sagsgang og bilag</a>",
                       (long long)v[i].id);
        if (caveats)
            buf_printf(b, " · <a href=\"/arbejde/sag/%lld/forbehold\">Gennemse forbehold</a>",
                       (long long)v[i].id);
        buf_puts(b, "</span></li>\n");
    }
    buf_puts(b, "</ul>\n");
}

/* One worklist section: a heading, the cases of filter f, paging under key. */
static void section(const struct web_request *req, struct buf *b, const char *id,
                    const char *heading, const struct store_case_filter *f, const char *key,
                    const char *empty)
{
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0, page = web_arg_page(req, key);
    struct store_page pg = web_store_page(page, PER_PAGE);
    struct err e = {0};
    buf_printf(b, "<h2 id=\"%s\">", id);
    html_text(b, heading);
    buf_puts(b, "</h2>\n");
    if (store_case_list(req->store, f, req->reader, &pg, &v, &n, &total, &e) < 0) {
        buf_puts(b, "<p class=\"alert\">Listen kunne ikke hentes lige nu.</p>\n");
        return;
    }
    case_list(b, v, n, empty, f->caveats);
    web_pager(b, req, key, page, PER_PAGE, total);
    store_case_refs_free(v, n);
}

/* Cases read with reservations wait for a secretary: said on the overview when there are any
 * (the worklist itself is rarely needed, so it has no place in the navigation). */
static void caveats_notice(const struct web_request *req, struct buf *b)
{
    struct store_case_filter f = {.caveats = true, .roles = ROLE_READS_CLOSED};
    struct store_case_ref *v = NULL;
    size_t n = 0, total = 0;
    struct store_page pg = {0, 1};
    struct err e = {0};
    if (store_case_list(req->store, &f, req->reader, &pg, &v, &n, &total, &e) == 0 && total)
        buf_printf(b, "<p class=\"notice\"><a href=\"/arbejde/forbehold\">%zu %s læst med "
                      "forbehold</a> og venter på at blive gennemset.</p>\n",
                   total, total == 1 ? "sag er" : "sager er");
    store_case_refs_free(v, n);
}

void page_work(const struct web_request *req, struct web_response *res)
{
    struct store_account a = {0};
    if (!load_account(req, res, &a))
        return;
    web_work_begin(res, "Arbejdsområde", "oversigt");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Arbejdsområde</h1>\n<p class=\"lead\">Logget ind som ");
    html_text(b, a.name);
    buf_puts(b, " (");
    html_text(b, a.login);
    buf_puts(b, ").</p>\n<h2 id=\"roller\">Dine roller</h2>\n");
    if (a.ngrants == 0) {
        buf_puts(b, "<p>Du har ingen roller i et udvalg endnu. En administrator giver roller "
                    "(<code>referat user grant</code>).</p>\n");
    } else {
        buf_puts(b, "<section class=\"scroll\" tabindex=\"0\" "
                    "aria-labelledby=\"roller\"><table aria-labelledby=\"roller\"><thead><tr>"
                    "<th scope=\"col\">Udvalg</th><th scope=\"col\">Rolle</th></tr></thead>"
                    "<tbody>\n");
        for (size_t i = 0; i < a.ngrants; i++) {
            buf_puts(b, "<tr><td>");
            web_body_link(b, a.grants[i].body,
                          a.grants[i].body_name ? a.grants[i].body_name : a.grants[i].body);
            buf_puts(b, "</td><td>");
            html_text(b, role_label(a.grants[i].role));
            buf_puts(b, "</td></tr>\n");
        }
        buf_puts(b, "</tbody></table></section>\n");
    }
    caveats_notice(req, b);
    if (a.admin)
        buf_puts(b, "<p>Du er administrator: du kan ændre <a href=\"/arbejde/indstillinger\">"
                    "indstillingerne</a>, se <a href=\"/arbejde/brugere\">brugerne</a> og "
                    /* issue 10, followups */
                    "styre <a href=\"/arbejde/enheder\">enhederne og de ansvarlige</a>. "
                    "Administratorrollen giver ikke adgang til lukkede sager.</p>\n");
    buf_puts(b, "<h2>Genveje</h2>\n<ul class=\"cards\">"
                "<li><a href=\"/arbejde/moeder\">Møder</a><br><span class=\"meta\">dine udvalgs "
                "møder</span></li>"
                "<li><a href=\"/arbejde/kladder\">Mine kladder</a><br><span class=\"meta\">sager "
                "under udarbejdelse</span></li>"
                "<li><a href=\"/arbejde/godkendelser\">Til godkendelse</a><br>"
                "<span class=\"meta\">sager, der venter på dig</span></li>"
                "<li><a href=\"/arbejde/opfoelgninger\">Mine opfølgninger</a><br>"
                "<span class=\"meta\">det, du skal følge op på</span></li>"
                "<li><a href=\"/arbejde/historik\">Historik</a><br><span class=\"meta\">hvem "
                "gjorde hvad og hvornår</span></li>"
                "<li><a href=\"/arbejde/gennemlaesning\">Til gennemlæsning</a><br>"
                "<span class=\"meta\">sager, der er sendt til dig</span></li></ul>\n");
    web_page_end(res);
    store_account_fini(&a);
}

void page_work_meetings(const struct web_request *req, struct web_response *res)
{
    struct store_account a = {0};
    if (!load_account(req, res, &a))
        return;
    char today[11];
    clock_today(today);
    web_work_begin(res, "Møder", "moeder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Dine udvalgs møder</h1>\n");
    const char *seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < a.ngrants; i++) {
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = strcmp(seen[k], a.grants[i].body) == 0;
        if (dup || nseen == 64)
            continue;
        seen[nseen++] = a.grants[i].body;
        struct store_meeting *m = NULL;
        size_t n = 0, total = 0;
        struct err e = {0};
        struct store_page pg = {0, 20};
        buf_puts(b, "<h2>");
        html_text(b, a.grants[i].body_name ? a.grants[i].body_name : a.grants[i].body);
        buf_puts(b, "</h2>\n");
        if (store_meetings(req->store, a.grants[i].body, 0, req->reader, &pg, &m, &n, &total,
                           &e) < 0) {
            buf_puts(b, "<p class=\"alert\">Møderne kunne ikke hentes lige nu.</p>\n");
            continue;
        }
        /* issue 8: the body's sekretær plans its meetings and sets its rules. */
        if (a.grants[i].role == ROLE_SEKRETAER || reader_roles(req->reader, a.grants[i].body_id) &
                                                      ROLE_SEKRETAER) {
            buf_puts(b, "<p><a href=\"/arbejde/moede/ny?organ=");
            web_url(b, a.grants[i].body);
            buf_puts(b, "\">Nyt møde</a> · <a href=\"/arbejde/organ/");
            web_url(b, a.grants[i].body);
            buf_puts(b, "/indstillinger\">Udvalgets indstillinger</a></p>\n");
        }
        /* ---- issue 10, remind: the body's follow-ups for everyone with a role on it ---- */
        buf_puts(b, "<p><a href=\"/arbejde/organ/");
        web_url(b, a.grants[i].body);
        buf_puts(b, "/kontrolliste\">Kontrolliste over opfølgninger</a></p>\n");
        /* ---- end issue 10, remind ---- */
        if (n == 0)
            buf_puts(b, "<p>Ingen møder endnu.</p>\n");
        /* Newest first from the store: the upcoming ones (today or later) lead, shown soonest
         * first; the past ones after, newest first. */
        size_t up = 0;
        while (up < n && m[up].date && strcmp(m[up].date, today) >= 0)
            up++;
        for (int part = 0; part < 2; part++) {
            size_t from = part ? up : 0, to = part ? n : up;
            if (from == to)
                continue;
            buf_puts(b, part ? "<h3>Afholdte møder</h3>\n" : "<h3>Kommende møder</h3>\n");
            buf_puts(b, "<ul class=\"list\">\n");
            for (size_t k = from; k < to; k++) {
                const struct store_meeting *mk = &m[part ? k : up - 1 - (k - from)];
                /* issue 8: the staff meeting page (agenda, time plan, actions). */
                buf_printf(b, "<li><a href=\"/arbejde/moede/%lld\">", (long long)mk->id);
                if (mk->number)
                    buf_printf(b, "Møde %u, ", mk->number);
                web_date_long(b, mk->date);
                buf_puts(b, "</a><br><span class=\"meta\">");
                html_text(b, state_label(&wf_meeting, mk->state));
                if (mk->start) {
                    buf_puts(b, " · kl. ");
                    html_text(b, mk->start);
                }
                if (mk->place) {
                    buf_puts(b, " · ");
                    html_text(b, mk->place);
                }
                buf_printf(b, " · %zu %s · <a href=\"/arbejde/moede/%lld/historik\">Historik</a>",
                           mk->ncases, mk->ncases == 1 ? "sag" : "sager",
                           (long long)mk->id);
                /* editor (issue 8): a new case on the meeting, for those who write cases */
                if (mk->authored && (reader_roles(req->reader, mk->body_id) &
                                     (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER)))
                    buf_printf(b, " · <a href=\"/arbejde/moede/%lld/sag/ny\">Ny sag</a>",
                               (long long)mk->id);
                buf_puts(b, "</span></li>\n");
            }
            buf_puts(b, "</ul>\n");
        }
        if (total > n) {
            buf_puts(b, "<p><a href=\"/organ/");
            web_url(b, a.grants[i].body);
            buf_printf(b, "\">Alle %zu møder</a></p>\n", total);
        }
        store_meetings_free(m, n);
    }
    if (a.ngrants == 0)
        buf_puts(b, "<p>Du har ingen roller i et udvalg, så her er ingen møder.</p>\n");
    web_page_end(res);
    store_account_fini(&a);
}

void page_work_drafts(const struct web_request *req, struct web_response *res)
{
    web_work_begin(res, "Mine kladder", "kladder");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Kladder</h1>\n");
    struct store_case_filter mine = {.state = "kladde", .created_by = req->session->account_id};
    section(req, b, "mine", "Mine kladder", &mine, "mine",
            "Du har ingen kladder. Nye sager oprettes fra et møde.");
    if (has_role(req, ROLE_SEKRETAER)) {
        struct store_case_filter all = {.state = "kladde", .roles = ROLE_SEKRETAER};
        section(req, b, "udvalg", "Alle kladder i de udvalg, du er sekretær for", &all, "side",
                "Ingen kladder.");
    }
    web_page_end(res);
}

/* Cases read with reservations (`import --lenient`) on the person's bodies, for a secretary
 * to review (page_caveats.c). */
void page_work_caveats(const struct web_request *req, struct web_response *res)
{
    web_work_begin(res, "Læst med forbehold", "forbehold");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Læst med forbehold</h1>\n<p class=\"lead\">Sager, der blev indlæst med "
                "advarsler (<code>referat import --lenient</code>). Gennemse hver sag, og "
                "markér den, når den er i orden.</p>\n");
    if (web_arg(req, "gennemset"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Sagen er markeret som gennemset.</p>\n");
    struct store_case_filter f = {.caveats = true, .roles = ROLE_READS_CLOSED};
    section(req, b, "sager", "Sager med forbehold", &f, "side",
            "Ingen sager venter på at blive gennemset.");
    web_page_end(res);
}

void page_work_approvals(const struct web_request *req, struct web_response *res)
{
    web_work_begin(res, "Til godkendelse", "godkendelser");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Til godkendelse</h1>\n");
    if (has_role(req, ROLE_GODKENDER)) {
        struct store_case_filter f = {.state = "til_godkendelse", .roles = ROLE_GODKENDER};
        section(req, b, "sager", "Sager, der venter på din godkendelse", &f, "side",
                "Ingen sager venter på godkendelse.");
    } else {
        buf_puts(b, "<p>Du er ikke godkender i noget udvalg. Medlemmer godkender referater, "
                    "når sekretariatet sender dem til godkendelse.</p>\n");
    }
    web_page_end(res);
}

/* issue 10, followups: "Mine opfølgninger" (page_work_followups) is in page_followup.c. */
