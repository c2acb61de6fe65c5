/* page_search: the search form with body and date filters, and its results with highlighted
 * snippets and pages (/soeg?q=&organ=&fra=&til=&side=). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../format/html.h"
#include "../search/search.h"
#include "../store/store.h"
#include "web.h"

#define PER_PAGE 20

/* Snippets arrive escaped with <mark> around matches. They are copied through a filter that
 * lets only <mark>, </mark> and character references pass, so that nothing else from the
 * index can ever become markup. */
static void snippet(struct buf *b, const char *s)
{
    size_t run = 0;
    const char *start = s;
    while (s[run]) {
        const char *p = s + run;
        size_t tag = strncmp(p, "<mark>", 6) == 0 ? 6 : strncmp(p, "</mark>", 7) == 0 ? 7 : 0;
        size_t ent = 0;
        if (*p == '&') {
            size_t k = 1;
            while (k < 10 && (isalnum((unsigned char)p[k]) || p[k] == '#'))
                k++;
            if (k > 1 && p[k] == ';')
                ent = k + 1;
        }
        if (tag || ent) {
            html_textn(b, start, (size_t)(p - start));
            buf_put(b, p, tag ? tag : ent);
            start = p + (tag ? tag : ent);
            s = start;
            run = 0;
            continue;
        }
        run++;
    }
    html_textn(b, start, run);
}

/* Where to search and the order (issue 11): ?i=dagsorden|referat|bilag, ?sortering=dato. */
static const char *const in_arg[] = {[SEARCH_IN_ALL] = NULL,
                                     [SEARCH_IN_AGENDA] = "dagsorden",
                                     [SEARCH_IN_MINUTES] = "referat",
                                     [SEARCH_IN_BILAG] = "bilag"};
static const char *const in_label[] = {[SEARCH_IN_ALL] = "Alt",
                                       [SEARCH_IN_AGENDA] = "Dagsordener",
                                       [SEARCH_IN_MINUTES] = "Referater (beslutninger)",
                                       [SEARCH_IN_BILAG] = "Bilag"};
/* This request's choice (a request runs on one thread), for the form and the links. */
static _Thread_local enum search_in cur_in;
static _Thread_local enum search_sort cur_sort;

/* The current search as a query string, with page (when > 1) and without the filters when
 * bare. */
static void search_url(struct buf *b, const char *q, const char *organ, const char *from,
                       const char *to, size_t page, bool bare)
{
    buf_puts(b, "/soeg?q=");
    web_url(b, q);
    if (!bare && cur_in != SEARCH_IN_ALL)
        buf_printf(b, "&amp;i=%s", in_arg[cur_in]);
    if (cur_sort == SEARCH_SORT_DATE)
        buf_puts(b, "&amp;sortering=dato");
    if (!bare) {
        if (organ) {
            buf_puts(b, "&amp;organ=");
            web_url(b, organ);
        }
        if (from) {
            buf_puts(b, "&amp;fra=");
            web_url(b, from);
        }
        if (to) {
            buf_puts(b, "&amp;til=");
            web_url(b, to);
        }
    }
    if (page > 1)
        buf_printf(b, "&amp;side=%zu", page);
}

static void form(struct buf *b, const char *q, const char *organ, const char *from, const char *to,
                 const struct store_body *bodies, size_t nb)
{
    buf_puts(b, "<form class=\"searchform\" role=\"search\" action=\"/soeg\" method=\"get\" "
                "aria-label=\"Søgning\">\n<div class=\"q\"><label for=\"q\">Søg efter</label>"
                "<input id=\"q\" name=\"q\" type=\"search\" aria-describedby=\"q-hjaelp\"");
    if (q) {
        buf_puts(b, " value=\"");
        html_attr(b, q);
        buf_puts(b, "\"");
    }
    buf_puts(b, "><p id=\"q-hjaelp\" class=\"meta\">Brug \"anførselstegn\" om en frase, * efter "
                "en orddel (budget*) og OG, ELLER eller IKKE (AND, OR, NOT) mellem ord. "
                "Journal- og dokumentnumre (122962/23) kan søges direkte, og aa, oe og ae "
                "finder også å, ø og æ.</p></div>\n"
                "<div><label for=\"i\">Søg i</label><select id=\"i\" name=\"i\">");
    for (int k = SEARCH_IN_ALL; k <= SEARCH_IN_BILAG; k++) {
        buf_printf(b, "<option value=\"%s\"%s>%s</option>", in_arg[k] ? in_arg[k] : "",
                   (int)cur_in == k ? " selected" : "", in_label[k]);
    }
    buf_printf(b, "</select></div>\n<div><label for=\"sortering\">Sortér efter</label>"
                  "<select id=\"sortering\" name=\"sortering\"><option value=\"relevans\"%s>"
                  "Bedste match</option><option value=\"dato\"%s>Nyeste møde først</option>"
                  "</select></div>\n",
               cur_sort == SEARCH_SORT_DATE ? "" : " selected",
               cur_sort == SEARCH_SORT_DATE ? " selected" : "");
    buf_puts(b, ""
                "<div><label for=\"organ\">Udvalg</label><select id=\"organ\" name=\"organ\">"
                "<option value=\"\">Alle udvalg</option>");
    for (size_t i = 0; i < nb; i++) {
        buf_puts(b, "<option value=\"");
        html_attr(b, bodies[i].code);
        buf_puts(b, "\"");
        if (organ && strcmp(organ, bodies[i].code) == 0)
            buf_puts(b, " selected");
        buf_puts(b, ">");
        html_text(b, bodies[i].name ? bodies[i].name : bodies[i].code);
        buf_puts(b, "</option>");
    }
    buf_puts(b, "</select></div>\n<div><label for=\"fra\">Fra dato</label>"
                "<input id=\"fra\" name=\"fra\" type=\"date\"");
    if (from) {
        buf_puts(b, " value=\"");
        html_attr(b, from);
        buf_puts(b, "\"");
    }
    buf_puts(b, "></div>\n<div><label for=\"til\">Til dato</label>"
                "<input id=\"til\" name=\"til\" type=\"date\"");
    if (to) {
        buf_puts(b, " value=\"");
        html_attr(b, to);
        buf_puts(b, "\"");
    }
    buf_puts(b, "></div>\n<div><button type=\"submit\">Søg</button></div>\n</form>\n");
}

static void zero_help(struct buf *b, const char *q, bool filtered)
{
    buf_puts(b, "<h2>Gode råd</h2>\n<ul>\n"
                "<li>Tjek stavningen, eller prøv et andet ord med samme betydning.</li>\n"
                "<li>Brug færre ord: alle ord skal findes i samme sag.</li>\n"
                "<li>Søg på begyndelsen af et ord med en stjerne, fx <kbd>digitali*</kbd>.</li>\n");
    if (filtered) {
        buf_puts(b, "<li><a href=\"");
        search_url(b, q, NULL, NULL, NULL, 1, true);
        buf_puts(b, "\">Søg uden filtre for udvalg og datoer</a>.</li>\n");
    }
    buf_puts(b, "<li>Lukkede sager kan ikke findes; de vises kun med titel.</li>\n</ul>\n");
}

void page_search(const struct web_request *req, struct web_response *res)
{
    struct store_body *bodies = NULL;
    size_t nb = 0;
    struct search_result r = {0};
    struct err e = {0};
    int rc = ERR_DB;
    const char *q = web_arg(req, "q");
    const char *organ = web_arg(req, "organ");
    const char *from = web_arg(req, "fra");
    const char *to = web_arg(req, "til");
    size_t page = web_arg_page(req, "side");
    const char *problem = NULL;
    char broad[256];
    const char *in = web_arg(req, "i"), *sort = web_arg(req, "sortering");
    cur_in = SEARCH_IN_ALL;
    cur_sort = SEARCH_SORT_RELEVANCE;

    if (!req->store || (rc = store_bodies(req->store, &(struct store_page){0, STORE_PAGE_MAX}, &bodies, &nb, NULL, &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    if (organ) {
        bool known = false;
        for (size_t i = 0; i < nb; i++)
            known |= strcmp(bodies[i].code, organ) == 0;
        if (!known)
            problem = "Det valgte udvalg findes ikke. Vælg et udvalg fra listen.";
    }
    if (from && !web_is_date(from))
        problem = "Fra-datoen skal skrives som år-måned-dag, fx 2023-12-20.";
    if (to && !web_is_date(to))
        problem = "Til-datoen skal skrives som år-måned-dag, fx 2023-12-20.";
    if (q && strlen(q) > 500)
        problem = "Søgningen er for lang. Brug højst 500 tegn.";
    if (in && *in) {
        int k = SEARCH_IN_AGENDA;
        while (k <= SEARCH_IN_BILAG && strcmp(in, in_arg[k]) != 0)
            k++;
        if (k > SEARCH_IN_BILAG)
            problem = "Søg i skal være dagsorden, referat eller bilag.";
        else
            cur_in = (enum search_in)k;
    }
    if (sort && strcmp(sort, "dato") == 0)
        cur_sort = SEARCH_SORT_DATE;
    else if (sort && *sort && strcmp(sort, "relevans") != 0)
        problem = "Sortering skal være dato eller relevans.";

    bool searched = false;
    if (q && !problem) {
        struct search_params p = {.query = q,
                                  .body = organ,
                                  .from = from,
                                  .to = to,
                                  .reader = req->reader,
                                  .sort = cur_sort,
                                  .in = cur_in,
                                  .lenient = true,
                                  .offset = (page - 1) * PER_PAGE,
                                  .limit = PER_PAGE};
        rc = store_search(req->store, &p, &r, &e);
        if (rc == ERR_LIMIT && strstr(e.msg, "too many words (")) {
            snprintf(broad, sizeof broad, "Søgningen har for mange ord (højst 64). Brug færre "
                                          "ord, eller søg på en frase med \"anførselstegn\".");
            problem = broad;
        } else if (rc == ERR_LIMIT) {
            /* Too broad (docs/search.md, "Bounded work"). */
            snprintf(broad, sizeof broad,
                     "Søgningen er for omfattende (fra tegn %u). Brug højst %d ord med * og "
                     "mindst %d bogstaver før hver *, og skriv mere af et ord med *, der findes "
                     "mange steder: fx beslut* i stedet for be*.",
                     e.col, SEARCH_MAX_PREFIXES, SEARCH_MIN_PREFIX);
            problem = broad;
        } else if (rc == ERR_USAGE && strncmp(e.msg, "verdensmål:", 12) == 0) {
            /* issue 10, sdg: the filter's own message (search/sdg_filter.c) */
            problem = "Skriv verdensmålets nummer fra 1 til 17, fx verdensmål:13 (ét mål pr. "
                      "søgning).";
        } else if (rc == ERR_SYNTAX || rc == ERR_USAGE) {
            problem = "Søgningen kunne ikke forstås. Tjek anførselstegn og ord som AND, OR "
                      "og NOT.";
        } else if (rc < 0) {
            web_fail(res, rc, false, NULL, &e);
            goto done;
        } else {
            searched = true;
        }
    }

    web_page_begin(res, q ? "Søgeresultater" : "Søg", q, "soeg");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Søg i dagsordener og referater</h1>\n");
    form(b, q, organ, from, to, bodies, nb);
    if (problem) {
        res->status = 400;
        buf_puts(b, "<div role=\"alert\"><h2>Søgningen kunne ikke gennemføres</h2><p>");
        html_text(b, problem);
        buf_puts(b, "</p></div>\n");
    } else if (!q) {
        buf_puts(b, "<p>Skriv et eller flere ord. Du kan afgrænse til et udvalg og en periode."
                    "</p>\n");
    }
    if (searched && r.relaxed) {
        /* A stray ( or ": the words were searched; say how the syntax goes. */
        buf_printf(b, "<p class=\"hint\" role=\"status\">Søgningen er læst som enkelte ord, "
                      "fordi tegnene ( ) og \" eller et ord som OG, ELLER, IKKE ikke stod i par "
                      "eller uden ord efter sig (fra tegn %u). Skriv \"anførselstegn\" om en hel "
                      "frase og ( ) om en gruppe, fx (klima ELLER miljø) IKKE skole.</p>\n",
                   r.hint_col);
    }
    if (problem || !q) {
        /* said above */
    } else if (searched && r.total == 0) {
        buf_puts(b, "<h2 id=\"resultater\">Ingen resultater for «");
        html_text(b, q);
        buf_puts(b, "»</h2>\n");
        zero_help(b, q, organ || from || to);
    } else if (searched) {
        size_t pages = (r.total + PER_PAGE - 1) / PER_PAGE;
        /* A capped total is a lower bound: only the newest matches were ranked. */
        buf_printf(b, "<h2 id=\"resultater\">%s%zu %s for «", r.total_capped ? "Mere end " : "",
                   r.total, r.total == 1 ? "resultat" : "resultater");
        html_text(b, q);
        buf_puts(b, "»</h2>\n");
        if (r.nhits == 0) {
            buf_printf(b, "<p>Der er kun %zu %s med resultater. <a href=\"", pages,
                       pages == 1 ? "side" : "sider");
            search_url(b, q, organ, from, to, 1, false);
            buf_puts(b, "\">Gå til første side</a>.</p>\n");
        } else {
            buf_printf(b, "<ol class=\"list hits\" start=\"%zu\" aria-labelledby=\"resultater\">\n",
                       (page - 1) * PER_PAGE + 1);
        }
        for (size_t i = 0; i < r.nhits; i++) {
            const struct search_hit *h = &r.hits[i];
            buf_printf(b, "<li><a href=\"/sag/%lld", (long long)h->case_id);
            if (h->subitem)
                buf_printf(b, "#punkt-%zu", h->subitem);
            buf_puts(b, "\">");
            html_text(b, h->title && *h->title ? h->title : "(uden titel)");
            buf_puts(b, "</a><br><span class=\"meta\">");
            if (h->subitem)
                buf_printf(b, "Punkt %zu · ", h->subitem);
            html_text(b, h->body);
            if (h->date) {
                buf_puts(b, " · ");
                web_date_long(b, h->date);
            }
            buf_puts(b, "</span>");
            if (h->snippet && *h->snippet) {
                buf_puts(b, "<p class=\"snippet\">");
                snippet(b, h->snippet);
                buf_puts(b, "</p>");
            }
            buf_puts(b, "</li>\n");
        }
        if (r.nhits)
            buf_puts(b, "</ol>\n");
        if (pages > 1) {
            buf_puts(b, "<nav aria-label=\"Sider\"><ul class=\"pager\">");
            if (page > 1 && page <= pages) {
                buf_puts(b, "<li><a rel=\"prev\" href=\"");
                search_url(b, q, organ, from, to, page - 1, false);
                buf_puts(b, "\">‹ Forrige</a></li>");
            }
            buf_printf(b, "<li>Side %zu af %zu</li>", page, pages);
            if (page < pages) {
                buf_puts(b, "<li><a rel=\"next\" href=\"");
                search_url(b, q, organ, from, to, page + 1, false);
                buf_puts(b, "\">Næste ›</a></li>");
            }
            buf_puts(b, "</ul></nav>\n");
        }
    }
    web_page_end(res);
done:
    search_result_fini(&r);
    store_bodies_free(bodies, nb);
}
