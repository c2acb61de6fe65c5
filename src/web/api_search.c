/* api_search: /api/search?q=&body=&from=&to=&in=&sort=, public results with snippets, paged. */
#include <stdio.h>
#include <string.h>

#include "../search/search.h"
#include "../store/store.h"
#include "web.h"

void api_search(const struct web_request *req, struct web_response *res)
{
    struct search_result r = {0};
    struct err e = {0};
    size_t page, per_page;
    if (!req->store) {
        web_fail(res, ERR_DB, true, NULL, NULL);
        return;
    }
    if (!web_api_paging(req, res, &page, &per_page))
        return;
    const char *q = web_arg(req, "q"), *from = web_arg(req, "from"), *to = web_arg(req, "to");
    if (!q) {
        web_json_error(res, 400, "q mangler: angiv en søgning, fx ?q=budget.");
        return;
    }
    if (strlen(q) > 500) {
        web_json_error(res, 400, "q er for lang (højst 500 tegn).");
        return;
    }
    if ((from && !web_is_date(from)) || (to && !web_is_date(to))) {
        web_json_error(res, 400, "from og to skal være datoer som 2023-12-20.");
        return;
    }
    /* Where and in which order (issue 11): in=agenda|minutes|bilag, sort=relevance|date. */
    static const char *const ins[] = {[SEARCH_IN_AGENDA] = "agenda",
                                      [SEARCH_IN_MINUTES] = "minutes",
                                      [SEARCH_IN_BILAG] = "bilag"};
    const char *in = web_arg(req, "in"), *sort = web_arg(req, "sort");
    int where = SEARCH_IN_ALL;
    if (in && *in) {
        where = SEARCH_IN_AGENDA;
        while (where <= SEARCH_IN_BILAG && strcmp(in, ins[where]) != 0)
            where++;
        if (where > SEARCH_IN_BILAG) {
            web_json_error(res, 400, "in skal være agenda, minutes eller bilag.");
            return;
        }
    }
    if (sort && *sort && strcmp(sort, "date") != 0 && strcmp(sort, "relevance") != 0) {
        web_json_error(res, 400, "sort skal være relevance eller date.");
        return;
    }
    struct search_params p = {.query = q,
                              .in = (enum search_in)where,
                              .sort = sort && strcmp(sort, "date") == 0 ? SEARCH_SORT_DATE
                                                                        : SEARCH_SORT_RELEVANCE,
                              .lenient = true,
                              .body = web_arg(req, "body"),
                              .from = from,
                              .to = to,
                              .reader = req->reader,
                              .offset = (page - 1) * per_page,
                              .limit = per_page};
    int rc = store_search(req->store, &p, &r, &e);
    if (rc == ERR_LIMIT) {
        /* Too broad (docs/search.md, "Bounded work"); the column is the user's own text. */
        char m[256];
        snprintf(m, sizeof m,
                 "Søgningen er for omfattende (fra tegn %u): højst %d ord med * og mindst %d "
                 "bogstaver før hver *; skriv mere af et ord med *, der findes mange steder.",
                 e.col, SEARCH_MAX_PREFIXES, SEARCH_MIN_PREFIX);
        web_json_error(res, 400, m);
        goto done;
    }
    if (rc == ERR_SYNTAX || rc == ERR_USAGE) {
        web_json_error(res, 400, "Søgningen kunne ikke forstås.");
        goto done;
    }
    if (rc < 0) {
        web_fail(res, rc, true, NULL, &e);
        goto done;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < r.nhits; i++) {
        const struct search_hit *h = &r.hits[i];
        char url[64];
        if (h->subitem)
            snprintf(url, sizeof url, "/sag/%lld#punkt-%zu", (long long)h->case_id, h->subitem);
        else
            snprintf(url, sizeof url, "/sag/%lld", (long long)h->case_id);
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:s}", "case_id", (json_int_t)h->case_id,
                             "subitem", (json_int_t)h->subitem, "title", web_json_str(h->title),
                             "body", web_json_str(h->body), "date", web_json_str(h->date),
                             "snippet", web_json_str(h->snippet), "url", url));
    }
    json_t *list = web_api_list(req, items, page, per_page, r.total);
    /* total is a lower bound when capped (docs/search.md). */
    json_object_set_new(list, "total_capped", json_boolean(r.total_capped));
    if (r.relaxed) {
        /* A stray ( or ": searched as the words; the hint names the column. */
        char m[256];
        snprintf(m, sizeof m,
                 "Søgningen er læst som enkelte ord (tegn %u): skriv \"anførselstegn\" og ( ) i "
                 "par, og et ord efter OG, ELLER og IKKE.",
                 r.hint_col);
        json_object_set_new(list, "relaxed", json_true());
        json_object_set_new(list, "hint", json_string(m));
    }
    web_json(res, 200, list);
done:
    search_result_fini(&r);
}
