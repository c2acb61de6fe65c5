/* agenda_followups (issue 10): the standing item of a coming meeting's agenda, the open
 * follow-ups of the body's decisions, oldest due date first, so the meeting sees what is
 * still owed. Shown on the public meeting page and the staff's until the meeting starts; a
 * held meeting's page shows none (what was open then is not what is open now). */
#include <string.h>

#include "../format/html.h"
#include "../model/workflow.h"
#include "../store/store.h"
#include "web.h"

enum { STANDING_MAX = 50 };

bool web_agenda_followups_load(const struct web_request *req, const struct store_meeting *mt,
                               bool portal, const struct reader *r, struct store_followup **v,
                               size_t *n, size_t *total)
{
    int st = wf_state_parse(&wf_meeting, mt->state);
    *v = NULL;
    *n = *total = 0;
    if (!req->store || !mt->authored || !mt->body ||
        (st != WF_MEETING_PLANLAGT && st != WF_MEETING_DAGSORDEN_FRIGIVET))
        return false;
    struct store_followup_filter f = {.status = STORE_OPEN, .body = mt->body, .portal = portal};
    struct store_page pg = {0, STANDING_MAX};
    struct err e = {0};
    /* a failed read leaves the item out: the agenda stands without it */
    return store_followups(req->store, &f, r, &pg, v, n, total, &e) == 0;
}

void web_agenda_followups(struct buf *b, const struct web_request *req,
                          const struct store_meeting *mt, bool portal)
{
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    if (!web_agenda_followups_load(req, mt, portal, req->reader, &v, &n, &total))
        return;
    buf_puts(b, "<section aria-labelledby=\"staaende\"><h2 id=\"staaende\">Stående punkt: "
                "Opfølgning på tidligere beslutninger</h2>\n");
    if (n == 0) {
        buf_puts(b, "<p>Der er ingen åbne opfølgninger på udvalgets beslutninger.</p>\n");
    } else {
        buf_puts(b, "<p class=\"meta\">");
        web_total(b, total, "åben opfølgning", "åbne opfølgninger");
        buf_puts(b, ", ældste frist først.</p>\n<ul class=\"list\">\n");
        for (size_t i = 0; i < n; i++) {
            buf_puts(b, "<li>");
            html_text(b, v[i].owner ? v[i].owner : "(ukendt)");
            buf_puts(b, ": ");
            html_text(b, v[i].text);
            buf_puts(b, "<br><span class=\"meta\">");
            web_followup_case(b, &v[i]);
            if (v[i].due) {
                buf_puts(b, " · frist ");
                web_date_long(b, v[i].due);
            }
            buf_puts(b, "</span></li>\n");
        }
        buf_puts(b, "</ul>\n");
        if (total > n)
            buf_printf(b, "<p><a href=\"%s\">Se alle åbne opfølgninger</a></p>\n",
                       portal ? "/opfoelgning" : "/arbejde/opfoelgninger");
    }
    buf_puts(b, "</section>\n");
    store_followups_free(v, n);
}
