/* page_sdg: a body's yearly verdensmål report (/organ/CODE/verdensmaal/YYYY, and .csv): per
 * goal its cases, their decisions in the year and their follow-ups by state, with an SVG
 * chart that reads without colour (every bar carries its number and its goal's name) and a
 * table of the same figures (issue 10, sdg; docs/sdg.md). The reader is the request's: the
 * public sees published open cases only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/sdg.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "web.h"

struct goal_sum {
    unsigned cases, decisions, fu_open, fu_done, fu_other;
};

/* "2024" or "2024.csv": the year, or -1. */
static int parse_year(const char *s, bool *csv)
{
    size_t n = strlen(s);
    *csv = n == 8 && strcmp(s + 4, ".csv") == 0;
    if (n != 4 && !*csv)
        return -1;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return y >= 1000 ? y : -1;
}

static void sum(const struct store_sdg_report *rep, struct goal_sum out[SDG_COUNT + 1])
{
    memset(out, 0, (SDG_COUNT + 1) * sizeof *out);
    for (size_t i = 0; i < rep->ncases; i++) {
        const struct store_sdg_case *c = &rep->cases[i];
        for (unsigned g = 1; g <= SDG_COUNT; g++) {
            if (!(c->goals & SDG_BIT(g)))
                continue;
            out[g].cases++;
            out[g].decisions += c->decisions;
            out[g].fu_open += c->followups_open;
            out[g].fu_done += c->followups_done;
            out[g].fu_other += c->followups_other;
        }
    }
}

static void render_csv(struct web_response *res, const struct store_sdg_report *rep,
                       const struct goal_sum *s)
{
    res->type = "text/csv; charset=utf-8";
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"verdensmaal-%d.csv\"", rep->year);
    web_header_add(res, "Content-Disposition", cd);
    struct buf *b = &res->body;
    buf_puts(b, "maal,navn,sager,beslutninger,opfoelgninger_aabne,opfoelgninger_udfoerte,"
                "opfoelgninger_andre\r\n");
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        buf_printf(b, "%u,", g);
        csv_field(b, sdg_goal(g)->name);
        buf_printf(b, ",%u,%u,%u,%u,%u\r\n", s[g].cases, s[g].decisions, s[g].fu_open, s[g].fu_done,
                   s[g].fu_other);
    }
}

/* Horizontal bars, one row per goal: the label (number and name) and the count are text, so
 * the chart says everything in black and white; the goal's colour only adds to it. */
static void render_chart(struct buf *b, const struct goal_sum *s, int year)
{
    enum { ROW = 26, LABEL = 330, BAR = 260, TOP = 8 };
    unsigned max = 1;
    for (unsigned g = 1; g <= SDG_COUNT; g++)
        if (s[g].cases > max)
            max = s[g].cases;
    unsigned h = TOP * 2 + ROW * SDG_COUNT;
    buf_printf(b,
               "<figure class=\"sdg-chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
               "viewBox=\"0 0 %u %u\" width=\"100%%\" role=\"img\" "
               "aria-labelledby=\"sdg-chart-title\">\n<title id=\"sdg-chart-title\">Sager pr. "
               "verdensmål i %d</title>\n",
               LABEL + BAR + 60, h, year);
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        const struct sdg_goal *x = sdg_goal(g);
        unsigned y = TOP + ROW * (g - 1);
        unsigned w = s[g].cases ? (unsigned)((double)BAR * s[g].cases / max + 0.5) : 0;
        buf_printf(b,
                   "<g><text x=\"%u\" y=\"%u\" text-anchor=\"end\" font-size=\"13\" "
                   "fill=\"#000\">%u ",
                   LABEL - 8, y + 17, g);
        html_text(b, x->name);
        buf_puts(b, "</text>");
        if (w)
            buf_printf(b,
                       "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"%s\" "
                       "stroke=\"#000\" stroke-width=\"1\"/>",
                       LABEL, y + 4, w, ROW - 8, x->colour);
        buf_printf(b, "<text x=\"%u\" y=\"%u\" font-size=\"13\" fill=\"#000\">%u</text></g>\n",
                   LABEL + w + 6, y + 17, s[g].cases);
    }
    buf_puts(b, "</svg><figcaption>Antal sager pr. mål; tallet står ved hver søjle.</figcaption>"
                "</figure>\n");
}

static void render_html(const struct web_request *req, struct web_response *res,
                        const struct store_sdg_report *rep, const struct goal_sum *s)
{
    const char *name = rep->body_name ? rep->body_name : rep->body_code;
    struct buf title = BUF_INIT;
    buf_printf(&title, "Verdensmål – %s %d", name, rep->year);
    web_page_begin(res, buf_cstr(&title), NULL, NULL);
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol><li><a href=\"/\">Forside"
                "</a></li><li>");
    web_body_link(b, rep->body_code, name);
    buf_printf(b,
               "</li><li aria-current=\"page\">Verdensmål %d</li></ol></nav>\n<h1>"
               "Verdensmål i ",
               rep->year);
    html_text(b, name);
    buf_printf(b, " <span class=\"muted\">%d</span></h1>\n", rep->year);
    buf_printf(b, "<p class=\"meta\">%zu %s med verdensmål · <a href=\"/organ/", rep->ncases,
               rep->ncases == 1 ? "sag" : "sager");
    web_url(b, rep->body_code);
    buf_printf(b, "/verdensmaal/%d.csv\">Hent som CSV</a></p>\n", rep->year);
    buf_puts(b, "<nav aria-label=\"År\"><ul class=\"pager\">");
    buf_puts(b, "<li><a href=\"/organ/");
    web_url(b, rep->body_code);
    buf_printf(b, "/verdensmaal/%d\">%d</a></li><li><a href=\"/organ/", rep->year - 1,
               rep->year - 1);
    web_url(b, rep->body_code);
    buf_printf(b, "/verdensmaal/%d\">%d</a></li></ul></nav>\n", rep->year + 1, rep->year + 1);
    if (rep->truncated)
        buf_printf(b, "<p class=\"notice\">Rapporten viser de første %d sager.</p>\n",
                   STORE_SDG_MAX);
    render_chart(b, s, rep->year);

    buf_puts(b, "<table class=\"sdg-table\"><caption>Sager, beslutninger og opfølgninger pr. "
                "verdensmål</caption>\n<thead><tr><th scope=\"col\">Mål</th><th scope=\"col\">"
                "Sager</th><th scope=\"col\">Beslutninger</th><th scope=\"col\">Opfølgninger "
                "åbne</th><th scope=\"col\">udførte</th><th scope=\"col\">andre</th></tr>"
                "</thead>\n<tbody>\n");
    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        buf_printf(b, "<tr><th scope=\"row\">%u ", g);
        html_text(b, sdg_goal(g)->name);
        buf_printf(b, "</th><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td></tr>\n",
                   s[g].cases, s[g].decisions, s[g].fu_open, s[g].fu_done, s[g].fu_other);
    }
    buf_puts(b, "</tbody></table>\n");

    for (unsigned g = 1; g <= SDG_COUNT; g++) {
        if (!s[g].cases)
            continue;
        buf_printf(b, "<h2 id=\"maal-%u\">%u ", g, g);
        html_text(b, sdg_goal(g)->name);
        buf_puts(b, "</h2>\n<ul class=\"list\">\n");
        for (size_t i = 0; i < rep->ncases; i++) {
            const struct store_sdg_case *c = &rep->cases[i];
            if (!(c->goals & SDG_BIT(g)))
                continue;
            buf_puts(b, "<li>");
            web_case_link(b, c->id, c->title, true);
            buf_puts(b, " <span class=\"meta\">");
            web_date_long(b, c->date);
            unsigned nf = c->followups_open + c->followups_done + c->followups_other;
            buf_printf(b, " · %u %s · %u %s (%u åbne, %u udførte)</span></li>\n", c->decisions,
                       c->decisions == 1 ? "beslutning" : "beslutninger", nf,
                       nf == 1 ? "opfølgning" : "opfølgninger", c->followups_open,
                       c->followups_done);
        }
        buf_printf(b, "</ul>\n<p><a href=\"/soeg?q=verdensm%%C3%%A5l%%3A%u&amp;organ=", g);
        web_url(b, rep->body_code);
        buf_puts(b, "\">Søg i alle sager med dette mål</a></p>\n");
    }
    (void)req;
    web_page_end(res);
}

void page_sdg_report(const struct web_request *req, struct web_response *res)
{
    struct store_sdg_report rep = {0};
    struct err e = {0};
    bool csv = false;
    int year = parse_year(req->seg[3], &csv);
    if (year < 0) {
        web_error_page(res, 404,
                       "Efter /verdensmaal/ skal der stå et årstal, fx "
                       "/organ/DIR/verdensmaal/2024 eller 2024.csv.");
        return;
    }
    int rc = req->store ? store_sdg_report(req->store, req->seg[1], year, req->reader, &rep, &e)
                        : ERR_DB;
    if (rc == 0 && strcmp(rep.body_code, req->seg[1]) != 0)
        rc = ERR_NOTFOUND; /* a name is not a code: one spelling per page */
    if (rc == ERR_NOTFOUND) {
        web_error_page(res, 404, "Der er intet udvalg med den kode. Forsiden viser alle udvalg.");
    } else if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else {
        struct goal_sum s[SDG_COUNT + 1];
        sum(&rep, s);
        if (csv)
            render_csv(res, &rep, s);
        else
            render_html(req, res, &rep, s);
    }
    store_sdg_report_fini(&rep);
}

void web_sdg_link(struct buf *b, const char *code, int year)
{
    if (!year) {
        char today[11];
        web_today(today);
        year = atoi(today);
    }
    buf_puts(b, " · <a href=\"/organ/");
    web_url(b, code);
    buf_printf(b, "/verdensmaal/%d\">Verdensmål %d</a>", year, year);
}
