/* page_review: "send til gennemlæsning" (issue 8): the frozen version of a case that was sent
 * to named people (/arbejde/sag/ID/gennemlaesning/R), their comments and, for those it was sent
 * to, the form to comment; and the list of what was sent to me (/arbejde/gennemlaesning). The
 * sending is on the staff case page (page_work_case.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

enum { MAX_COMMENT = 20000 };

static void render(const struct web_request *req, struct web_response *res, int64_t id,
                   int64_t rid, const char *typed, struct web_errors *er)
{
    struct store_review rv = {0};
    struct case_doc *c = NULL;
    struct store_comment *cm = NULL;
    size_t ncm = 0;
    bool member = false;
    struct err e = {0};
    int rc = store_review_get(req->store, id, rid, req->reader,
                              req->session ? req->session->account_id : 0, &rv, &member, &e);
    if (rc == 0)
        rc = store_case_get_version(req->store, id, rv.version, req->reader, &c, &e);
    if (rc == 0)
        rc = store_review_comments(req->store, rid, &cm, &ncm, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Gennemlæsningen findes ikke.", &e);
        store_review_fini(&rv);
        case_free(c);
        return;
    }
    web_work_begin(res, "Til gennemlæsning", "oversigt");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Til gennemlæsning: ");
    html_text(b, c->title);
    buf_printf(b, "</h1>\n<p class=\"meta\">Version %d, sendt ", rv.version);
    html_text(b, rv.created_at);
    buf_puts(b, " af ");
    html_text(b, rv.created_by);
    buf_printf(b, " · <a href=\"/arbejde/sag/%lld\">Sagen, som den er nu</a></p>\n",
               (long long)id);
    if (web_arg(req, "sendt"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Sagen er sendt til gennemlæsning."
                    "</p>\n");
    if (web_arg(req, "kommenteret"))
        buf_puts(b, "<p class=\"notice\" role=\"status\">Din kommentar er gemt.</p>\n");
    web_errors_summary(b, er);
    if (rv.note) {
        buf_puts(b, "<h2>Besked</h2>\n");
        html_paragraphs(b, rv.note, NULL);
    }
    buf_puts(b, "<h2>Sagen</h2>\n<div class=\"frozen\">\n<p>");
    buf_puts(b, c->public ? "Åben sag" : "Lukket sag");
    buf_puts(b, "</p>\n");
    if (c->presentation) {
        buf_puts(b, "<h3>Sagsfremstilling</h3>\n");
        html_paragraphs(b, c->presentation, NULL);
    }
    if (c->nsubitems) {
        buf_puts(b, "<h3>Tidsplan</h3>\n<ul class=\"list\">");
        for (size_t i = 0; i < c->nsubitems; i++) {
            buf_puts(b, "<li>");
            if (c->subitems[i].time) {
                html_text(b, c->subitems[i].time);
                buf_puts(b, " ");
            }
            html_text(b, c->subitems[i].title);
            if (c->subitems[i].text) {
                buf_puts(b, "<br>");
                html_text(b, c->subitems[i].text);
            }
            buf_puts(b, "</li>");
        }
        buf_puts(b, "</ul>\n");
    }
    if (c->recommendation) {
        buf_puts(b, "<h3>Indstilling</h3>\n");
        html_paragraphs(b, c->recommendation, NULL);
    }
    buf_puts(b, "</div>\n<h2>Kommentarer</h2>\n");
    if (!ncm)
        buf_puts(b, "<p>Ingen kommentarer endnu.</p>\n");
    for (size_t i = 0; i < ncm; i++) {
        buf_puts(b, "<div class=\"comment\"><p class=\"meta\">");
        html_text(b, cm[i].author);
        buf_puts(b, " · ");
        html_text(b, cm[i].created_at);
        buf_puts(b, "</p>");
        html_paragraphs(b, cm[i].text, NULL);
        buf_puts(b, "</div>\n");
    }
    if (member) {
        char action[96];
        snprintf(action, sizeof action, "/arbejde/sag/%lld/gennemlaesning/%lld", (long long)id,
                 (long long)rid);
        web_form_open(b, req, action, false);
        web_input(b, &(struct web_input){.name = "kommentar", .label = "Din kommentar",
                                         .type = WEB_INPUT_TEXTAREA, .value = typed, .rows = 5,
                                         .required = true}, er);
        web_form_close(b, "Gem kommentaren");
    }
    web_page_end(res);
    store_comments_free(cm, ncm);
    store_review_fini(&rv);
    case_free(c);
}

void page_work_review(const struct web_request *req, struct web_response *res)
{
    render(req, res, web_parse_id(req->seg[2]), web_parse_id(req->seg[4]), NULL, NULL);
}

void page_work_review_comment_post(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[2]), rid = web_parse_id(req->seg[4]);
    const char *text = web_field(req, "kommentar");
    struct web_errors *er = xcalloc(1, sizeof *er);
    bool blank = true;
    for (const char *p = text; p && *p; p++)
        blank = blank && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t');
    if (blank)
        web_errors_add(er, "kommentar", "Din kommentar", "Skriv din kommentar.");
    else if (strlen(text) > MAX_COMMENT)
        web_errors_add(er, "kommentar", "Din kommentar", "Højst %d tegn.", MAX_COMMENT);
    if (er->n) {
        render(req, res, id, rid, text, er);
        res->status = 400;
        free(er);
        return;
    }
    free(er);
    struct store_review rv = {0};
    bool member = false;
    struct err e = {0};
    /* The review must be this case's (the route checked the reader's roles on the case). */
    int rc = store_review_get(req->store, id, rid, req->reader,
                              req->session ? req->session->account_id : 0, &rv, &member, &e);
    store_review_fini(&rv);
    struct store_actor a;
    web_actor(req, &a);
    if (rc == 0)
        rc = store_review_comment(req->store, rid, text, &a, &e);
    if (rc == 0) {
        char loc[112];
        snprintf(loc, sizeof loc, "/arbejde/sag/%lld/gennemlaesning/%lld?kommenteret=1",
                 (long long)id, (long long)rid);
        web_redirect(res, 303, loc);
    } else if (rc == ERR_DENIED) {
        web_error_page(res, 403, "Kun de personer, sagen er sendt til gennemlæsning hos, kan "
                                 "kommentere den.");
    } else {
        web_fail(res, rc, false, "Gennemlæsningen findes ikke.", &e);
    }
}

void page_work_reviews(const struct web_request *req, struct web_response *res)
{
    struct store_review *v = NULL;
    size_t n = 0;
    struct err e = {0};
    int rc = store_reviews_for(req->store, req->session->account_id, &v, &n, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_work_begin(res, "Til gennemlæsning", "oversigt");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Til gennemlæsning</h1>\n");
    if (!n)
        buf_puts(b, "<p>Der er ikke sendt sager til gennemlæsning hos dig.</p>\n");
    else
        buf_puts(b, "<ul class=\"list\">\n");
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "<li><a href=\"/arbejde/sag/%lld/gennemlaesning/%lld\">",
                   (long long)v[i].case_id, (long long)v[i].id);
        html_text(b, v[i].case_title);
        buf_printf(b, "</a><br><span class=\"meta\">Version %d, sendt ", v[i].version);
        html_text(b, v[i].created_at);
        buf_puts(b, " af ");
        html_text(b, v[i].created_by);
        buf_printf(b, " · %zu %s</span></li>\n", v[i].ncomments,
                   v[i].ncomments == 1 ? "kommentar" : "kommentarer");
    }
    if (n)
        buf_puts(b, "</ul>\n");
    web_page_end(res);
    store_reviews_free(v, n);
}
