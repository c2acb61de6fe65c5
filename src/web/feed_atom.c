/* feed_atom: Atom feeds of new minutes, for all bodies (/atom.xml) and per body
 * (/organ/CODE/atom.xml): one entry per decided case, newest first, and one per released
 * agenda (issue 8). */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

#define MAX_ENTRIES 50

static void entry(const struct web_request *req, struct buf *b, const struct store_case_ref *r)
{
    char path[48];
    snprintf(path, sizeof path, "/sag/%lld", (long long)r->id);
    buf_puts(b, "<entry>\n<title>");
    html_text(b, r->title && *r->title ? r->title : "(uden titel)");
    buf_printf(b, "</title>\n<id>tag:referat,2024:sag/%lld</id>\n<link href=\"", (long long)r->id);
    struct buf u = BUF_INIT;
    web_abs_url(&u, req, path);
    html_attr(b, buf_cstr(&u));
    buf_free(&u);
    buf_puts(b, "\"/>\n<updated>");
    html_text(b, r->date);
    buf_puts(b, "T00:00:00Z</updated>\n<summary>");
    if (!r->public) {
        buf_puts(b, "Lukket sag.");
    } else {
        struct case_doc *c = NULL;
        struct err e = {0};
        html_text(b, "Behandlet i ");
        html_text(b, r->body);
        buf_puts(b, " den ");
        html_text(b, r->date);
        buf_puts(b, ".");
        if (store_case_get(req->store, r->id, NULL, &c, &e) == 0) {
            for (size_t i = 0; i < c->ndecisions; i++)
                for (size_t k = 0; k < c->decisions[i].nentries; k++) {
                    buf_puts(b, k ? "; " : " Punkter: ");
                    html_text(b, c->decisions[i].entries[k].title);
                }
            case_free(c);
        }
    }
    buf_puts(b, "</summary>\n</entry>\n");
}

/* issue 8: a released agenda: its cases as the public reads them (a closed one by its public
 * title), the tillægsdagsorden marked. */
static void agenda_entry(const struct web_request *req, struct buf *b,
                         const struct store_meeting *m)
{
    char path[48];
    snprintf(path, sizeof path, "/moede/%lld", (long long)m->id);
    buf_puts(b, "<entry>\n<title>Dagsorden: ");
    html_text(b, m->body_name ? m->body_name : m->body);
    buf_puts(b, " ");
    html_text(b, m->date);
    buf_printf(b, "</title>\n<id>tag:referat,2024:dagsorden/%lld</id>\n<link href=\"",
               (long long)m->id);
    struct buf u = BUF_INIT;
    web_abs_url(&u, req, path);
    html_attr(b, buf_cstr(&u));
    buf_free(&u);
    buf_puts(b, "\"/>\n<updated>");
    html_text(b, m->released_at);
    buf_puts(b, "</updated>\n<summary>");
    if (m->state && strcmp(m->state, "aflyst") == 0) {
        buf_puts(b, "Mødet er aflyst");
        if (m->cancel_reason) {
            buf_puts(b, ": ");
            html_text(b, m->cancel_reason);
        }
        buf_puts(b, ". ");
    }
    buf_puts(b, "Dagsorden til mødet den ");
    html_text(b, m->date);
    if (m->start) {
        buf_puts(b, " kl. ");
        html_text(b, m->start);
    }
    if (m->place) {
        buf_puts(b, ", ");
        html_text(b, m->place);
    }
    buf_puts(b, ".");
    struct store_agenda_item *v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (store_agenda(req->store, m->id, NULL, &v, &n, &e) == 0)
        for (size_t i = 0; i < n; i++) {
            buf_printf(b, " %u. ", v[i].number);
            html_text(b, v[i].ref.title);
            if (v[i].supplement)
                buf_puts(b, " (tillægsdagsorden)");
            buf_puts(b, ";");
        }
    store_agenda_free(v, n);
    buf_puts(b, "</summary>\n</entry>\n");
}

void feed_atom(const struct web_request *req, struct web_response *res)
{
    struct store_case_ref *refs = NULL;
    size_t nrefs = 0;
    struct store_meeting *m = NULL;
    size_t nm = 0;
    struct store_body body_row = {0};
    struct err e = {0};
    int rc = ERR_DB;
    const char *code = req->nseg == 3 ? req->seg[1] : NULL;
    const char *title = "Referat: nye referater";
    if (!req->store) {
        web_fail(res, rc, false, NULL, NULL);
        goto done;
    }
    if (code) {
        const struct store_body *body = &body_row;
        if ((rc = store_body_get(req->store, code, &body_row, &e)) < 0 ||
            strcmp(body->code, code) != 0) {
            if (rc == 0 || rc == ERR_NOTFOUND)
                web_error_page(res, 404, "Der er intet udvalg med den kode.");
            else
                web_fail(res, rc, false, NULL, &e);
            goto done;
        }
        title = body->name ? body->name : body->code;
        /* Feeds are public whoever fetches them; the newest MAX_ENTRIES meetings suffice. */
        struct store_page pg = {0, MAX_ENTRIES};
        if ((rc = store_meetings(req->store, code, 0, NULL, &pg, &m, &nm, NULL, &e)) < 0) {
            web_fail(res, rc, false, NULL, &e);
            goto done;
        }
        /* The cases this body decided, newest meeting first. */
        for (size_t i = 0; i < nm && nrefs < MAX_ENTRIES; i++) {
            struct store_case_ref *v = NULL;
            size_t n = 0;
            struct store_page all = {0, STORE_PAGE_MAX};
            if (store_meeting_cases(req->store, m[i].id, NULL, &all, &v, &n, NULL, &e) < 0)
                continue;
            refs = xrealloc(refs, (nrefs + n + 1) * sizeof *refs);
            for (size_t k = 0; k < n; k++) {
                refs[nrefs] = v[k];
                /* The entry is dated by this body's meeting, not the case's first one. */
                free(refs[nrefs].date);
                refs[nrefs].date = xstrdup(m[i].date ? m[i].date : "1970-01-01");
                free(refs[nrefs].body);
                refs[nrefs].body = xstrdup(body->name ? body->name : body->code);
                nrefs++;
            }
            free(v);
        }
    } else if ((rc = store_cases(req->store, NULL, &(struct store_page){0, MAX_ENTRIES * 2},
                                 &refs, &nrefs, NULL, &e)) < 0 ||
               (rc = store_meetings(req->store, NULL, 0, NULL,
                                    &(struct store_page){0, MAX_ENTRIES}, &m, &nm, NULL,
                                    &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }

    res->type = "application/atom+xml; charset=utf-8";
    struct buf *b = &res->body;
    struct buf self = BUF_INIT, home = BUF_INIT;
    struct buf path = BUF_INIT;
    web_path(&path, req);
    web_abs_url(&self, req, buf_cstr(&path));
    buf_free(&path);
    web_abs_url(&home, req, "/");
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"da\">\n<title>");
    html_text(b, title);
    buf_puts(b, "</title>\n<id>tag:referat,2024:");
    html_text(b, code ? code : "alle");
    buf_puts(b, "</id>\n<link rel=\"self\" href=\"");
    html_attr(b, buf_cstr(&self));
    buf_puts(b, "\"/>\n<link href=\"");
    html_attr(b, buf_cstr(&home));
    buf_puts(b, "\"/>\n<author><name>Referat</name></author>\n<updated>");
    /* The newest decision date; the list is newest first. */
    const char *newest = "1970-01-01";
    for (size_t i = 0; i < nrefs; i++)
        if (refs[i].date && strcmp(refs[i].date, newest) > 0)
            newest = refs[i].date;
    const char *released = NULL;
    for (size_t i = 0; i < nm; i++)
        if (m[i].released_at && (!released || strcmp(m[i].released_at, released) > 0))
            released = m[i].released_at;
    if (released && strncmp(released, newest, 10) >= 0) {
        html_text(b, released);
        buf_puts(b, "</updated>\n");
    } else {
        html_text(b, newest);
        buf_puts(b, "T00:00:00Z</updated>\n");
    }
    buf_free(&self);
    buf_free(&home);
    size_t shown = 0;
    for (size_t i = 0; i < nrefs && shown < MAX_ENTRIES; i++) {
        if (!refs[i].date) /* an agenda not yet decided is not minutes yet */
            continue;
        entry(req, b, &refs[i]);
        shown++;
    }
    for (size_t i = 0; i < nm; i++)
        if (m[i].authored && m[i].released_at)
            agenda_entry(req, b, &m[i]);
    buf_puts(b, "</feed>\n");
done:
    store_case_refs_free(refs, nrefs);
    store_meetings_free(m, nm);
    store_body_fini(&body_row);
}
