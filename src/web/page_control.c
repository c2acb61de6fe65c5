/* page_control: a body's control list (kontrolliste) of follow-ups for a period, for the
 * body's staff: /arbejde/organ/CODE/kontrolliste?fra=YYYY-MM-DD&til=YYYY-MM-DD as HTML, and
 * kontrolliste.csv and kontrolliste.json with the same rows (issue 10, remind;
 * docs/workflow.md). Paged in SQL (?side=N): 50 rows a page in HTML, 1000 in CSV and JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "../util/csv.h"
#include "web.h"

enum { FMT_HTML, FMT_CSV, FMT_JSON };
enum { PER_PAGE_HTML = 50, PER_PAGE_DATA = STORE_PAGE_MAX };

/* The state as the page says it. */
static const char *state_label(const char *s)
{
    static const struct {
        const char *key, *label;
    } labels[] = {{"aaben", "Åben"},           {"i_gang", "I gang"},
                  {"udfoert", "Udført"},       {"bortfaldet", "Bortfaldet"},
                  {"videresendt", "Videresendt"}};
    for (size_t i = 0; s && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, s) == 0)
            return labels[i].label;
    return s ? s : "";
}

/* What the request asks for, checked. */
struct control_req {
    int fmt;
    const char *from, *to;
    size_t page, per_page;
    char today[11];
};

/* Answers 400 naming the parameter (false) when an argument is not what it should be. */
static bool parse(const struct web_request *req, struct web_response *res, struct control_req *q)
{
    const char *last = req->seg[3];
    q->fmt = strcmp(last, "kontrolliste.csv") == 0    ? FMT_CSV
             : strcmp(last, "kontrolliste.json") == 0 ? FMT_JSON
                                                      : FMT_HTML;
    q->per_page = q->fmt == FMT_HTML ? PER_PAGE_HTML : PER_PAGE_DATA;
    q->from = web_arg(req, "fra");
    q->to = web_arg(req, "til");
    web_today(q->today);
    const char *bad = NULL, *why = NULL;
    if (q->from && !web_is_date(q->from))
        bad = "fra", why = "fra: skal være en dato som 2024-01-31";
    else if (q->to && !web_is_date(q->to))
        bad = "til", why = "til: skal være en dato som 2024-12-31";
    else if (q->from && q->to && strcmp(q->from, q->to) > 0)
        bad = "til", why = "til: må ikke ligge før fra";
    if (bad) {
        if (q->fmt == FMT_JSON)
            web_api_field_error(res, bad, why);
        else
            web_error_page(res, 400, why);
        res->staff = true;
        return false;
    }
    return web_page_arg(req, res, "side", &q->page);
}

static void render_csv(struct web_response *res, const char *code,
                       const struct store_control_row *v, size_t n)
{
    res->type = "text/csv; charset=utf-8";
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"kontrolliste-%s.csv\"", code);
    web_header_add(res, "Content-Disposition", cd);
    struct buf *b = &res->body;
    buf_puts(b, "opfoelgning,sag,sagstitel,ansvarlig,rolle,tekst,beslutning,beslutningsdato,"
                "frist,tilstand,begrundelse,afsluttet,forsinkelse_dage\r\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_control_row *c = &v[i];
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)c->followup_id);
        csv_field(b, num);
        csv_sep(b);
        snprintf(num, sizeof num, "%lld", (long long)c->case_id);
        csv_field(b, num);
        const char *fields[] = {c->case_title, c->owner, c->role,  c->text,
                                c->decision,   c->meeting_date, c->due, c->state,
                                c->state_reason, c->done_at};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
            csv_sep(b);
            csv_field(b, fields[k]);
        }
        buf_printf(b, ",%d", c->delay);
        csv_row_end(b);
    }
}

static void render_json(const struct web_request *req, struct web_response *res,
                        const char *code, const struct control_req *q,
                        const struct store_control_row *v, size_t n, size_t total)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct store_control_row *c = &v[i];
        json_array_append_new(
            items, json_pack("{s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i}", "id",
                             (json_int_t)c->followup_id, "case", (json_int_t)c->case_id,
                             "case_title", web_json_str(c->case_title), "owner",
                             web_json_str(c->owner), "role", web_json_str(c->role), "text",
                             web_json_str(c->text), "decision", web_json_str(c->decision),
                             "decision_date", web_json_str(c->meeting_date), "due",
                             web_json_str(c->due), "state", web_json_str(c->state),
                             "state_reason", web_json_str(c->state_reason), "done_at",
                             web_json_str(c->done_at), "delay", c->delay));
    }
    (void)req;
    web_json(res, 200,
             json_pack("{s:s,s:o,s:o,s:s,s:I,s:I,s:I,s:o}", "body", code, "from",
                       web_json_str(q->from), "to", web_json_str(q->to), "today", q->today,
                       "total", (json_int_t)total, "page", (json_int_t)q->page, "per_page",
                       (json_int_t)q->per_page, "items", items));
}

/* A link to this list in another format, with the period kept. */
static void format_link(struct buf *b, const char *code, const struct control_req *q,
                        const char *suffix, const char *label)
{
    buf_puts(b, "<a href=\"/arbejde/organ/");
    web_url(b, code);
    buf_printf(b, "/kontrolliste%s", suffix);
    const char *sep = "?";
    if (q->from) {
        buf_printf(b, "%sfra=%s", sep, q->from);
        sep = "&amp;";
    }
    if (q->to)
        buf_printf(b, "%still=%s", sep, q->to);
    buf_printf(b, "\">%s</a>", label);
}

static void render_html(const struct web_request *req, struct web_response *res,
                        const struct store_body *body, const struct control_req *q,
                        const struct store_control_row *v, size_t n, size_t total)
{
    const char *name = body->name ? body->name : body->code;
    struct buf title = BUF_INIT;
    buf_printf(&title, "Kontrolliste: %s", name);
    web_work_begin(res, buf_cstr(&title), NULL);
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Kontrolliste: ");
    html_text(b, name);
    buf_puts(b, "</h1>\n<p class=\"lead\">Opfølgninger på organets beslutninger med frist i "
                "perioden: hvem, hvad, hvornår, og hvor mange dage fristen er overskredet.</p>\n");
    buf_puts(b, "<form method=\"get\" class=\"filter\"><label for=\"fra\">Frist fra</label> "
                "<input type=\"date\" id=\"fra\" name=\"fra\"");
    if (q->from) {
        buf_puts(b, " value=\"");
        html_attr(b, q->from);
        buf_puts(b, "\"");
    }
    buf_puts(b, "> <label for=\"til\">til</label> <input type=\"date\" id=\"til\" name=\"til\"");
    if (q->to) {
        buf_puts(b, " value=\"");
        html_attr(b, q->to);
        buf_puts(b, "\"");
    }
    buf_puts(b, "> <button type=\"submit\">Vis</button></form>\n<p class=\"meta\">");
    web_total(b, total, "opfølgning", "opfølgninger");
    buf_puts(b, " · ");
    format_link(b, body->code, q, ".csv", "Hent som CSV");
    buf_puts(b, " · ");
    format_link(b, body->code, q, ".json", "JSON");
    buf_puts(b, "</p>\n");
    if (!n) {
        buf_puts(b, "<p>Ingen opfølgninger med frist i perioden.</p>\n");
    } else {
        buf_puts(b, "<table class=\"control\"><caption>Opfølgninger efter frist</caption>\n"
                    "<thead><tr><th scope=\"col\">Ansvarlig</th><th scope=\"col\">Opfølgning"
                    "</th><th scope=\"col\">Beslutning</th><th scope=\"col\">Frist</th>"
                    "<th scope=\"col\">Tilstand</th><th scope=\"col\">Forsinkelse (dage)</th>"
                    "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < n; i++) {
            const struct store_control_row *c = &v[i];
            buf_puts(b, "<tr><td>");
            html_text(b, c->owner ? c->owner : "");
            if (c->role) {
                buf_puts(b, " <span class=\"meta\">");
                html_text(b, c->role);
                buf_puts(b, "</span>");
            }
            buf_puts(b, "</td><td>");
            html_text(b, c->text ? c->text : "");
            buf_puts(b, "</td><td>");
            buf_printf(b, "<a href=\"/arbejde/sag/%lld\">", (long long)c->case_id);
            html_text(b, c->decision ? c->decision : c->case_title ? c->case_title : "");
            buf_puts(b, "</a>");
            if (c->meeting_date) {
                buf_puts(b, " <span class=\"meta\">");
                web_date_long(b, c->meeting_date);
                buf_puts(b, "</span>");
            }
            buf_puts(b, "</td><td>");
            web_date_long(b, c->due);
            buf_puts(b, "</td><td>");
            html_text(b, state_label(c->state));
            if (c->state_reason) {
                buf_puts(b, ": ");
                html_text(b, c->state_reason);
            }
            buf_printf(b, "</td><td>%d</td></tr>\n", c->delay);
        }
        buf_puts(b, "</tbody></table>\n");
    }
    web_pager(b, req, "side", q->page, q->per_page, total);
    web_page_end(res);
}

void page_work_control(const struct web_request *req, struct web_response *res)
{
    struct control_req q = {0};
    struct store_body body = {0};
    struct store_control_row *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    res->staff = true;
    if (!parse(req, res, &q))
        return;
    const char *code = req->seg[2];
    struct store_page pg = web_store_page(q.page, q.per_page);
    int rc = req->store ? store_body_get(req->store, code, &body, &e) : ERR_DB;
    if (rc == 0 && strcmp(body.code, code) != 0)
        rc = ERR_NOTFOUND; /* a name is not a code: one spelling per page */
    if (rc == 0)
        rc = store_control_list(req->store, code, q.from, q.to, q.today, req->reader, &pg, &v,
                                &n, &total, &e);
    if (rc == ERR_NOTFOUND && q.fmt == FMT_JSON)
        web_json_error(res, 404, "Der er intet organ med den kode.");
    else if (rc == ERR_NOTFOUND)
        web_error_page(res, 404, "Der er intet organ med den kode.");
    else if (rc < 0)
        web_fail(res, rc, q.fmt == FMT_JSON, NULL, &e);
    else if (q.fmt == FMT_CSV)
        render_csv(res, code, v, n);
    else if (q.fmt == FMT_JSON)
        render_json(req, res, code, &q, v, n, total);
    else
        render_html(req, res, &body, &q, v, n, total);
    res->staff = true;
    store_control_rows_free(v, n);
    store_body_fini(&body);
}
