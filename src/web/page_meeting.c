/* page_meeting: one meeting: its cases and the timetable of their sub-items (/moede/ID); for
 * a meeting planned in referat also its time, place, a cancellation's reason and the
 * tillægsdagsorden (issue 8); the agenda's and minutes' state, the attendance once the
 * minutes are public, and the body's previous and next meeting (issue 9, publication). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../model/meeting.h"
#include "../store/store.h"
#include "web.h"

struct slot {
    const char *time;
    char key[8]; /* "09.30" for sorting "9.30" before "10.00" */
    const char *title;
    size_t subitem;
    size_t order;
    const struct store_case_ref *ref;
};

static int by_time(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void time_key(const char *t, char key[8])
{
    int h = 0, m = 0;
    if (sscanf(t, "%d.%d", &h, &m) < 1 && sscanf(t, "%d:%d", &h, &m) < 1)
        h = 99;
    snprintf(key, 8, "%02d.%02d", h % 100, m % 100);
}

/* ---- issue 9, publication: the state of agenda and minutes, attendance, neighbours ---- */

/* "2024-01-12..." as "12-01-2024", the way the minutes write dates. */
static void dmy(struct buf *b, const char *iso)
{
    if (iso && strlen(iso) >= 10)
        buf_printf(b, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
}

static void render_state(struct buf *b, const struct store_meeting *mt,
                         const struct store_meeting_publication *p)
{
    buf_puts(b, "<p class=\"meta\" id=\"status\">");
    if (!mt->authored) {
        buf_puts(b, "Referatet er offentliggjort.");
    } else if (p->minutes_published_at) {
        buf_puts(b, "Referat offentliggjort ");
        dmy(b, p->minutes_published_at);
    } else if (mt->released_at) {
        buf_puts(b, "Dagsorden frigivet ");
        dmy(b, mt->released_at);
        buf_puts(b, ". Referatet er ikke offentliggjort.");
    } else {
        buf_puts(b, "Dagsordenen er ikke frigivet.");
    }
    buf_puts(b, "</p>\n");
}

static void render_attendance(struct buf *b, const struct store_meeting_publication *p)
{
    if (!p->nattendees)
        return;
    buf_puts(b, "<h2 id=\"fremmoede\">Fremmøde</h2>\n<ul class=\"list\" "
                "aria-labelledby=\"fremmoede\">\n");
    for (size_t i = 0; i < p->nattendees; i++) {
        const struct attendee *a = &p->attendees[i];
        buf_puts(b, "<li>");
        html_text(b, a->name);
        if (a->role) {
            buf_puts(b, " (");
            html_text(b, a->role);
            buf_puts(b, ")");
        }
        buf_puts(b, ": ");
        html_text(b, attendee_status_label(a->status));
        if (a->status == ATTENDEE_STEDFORTRAEDER && a->substitute) {
            buf_puts(b, " ved ");
            html_text(b, a->substitute);
        }
        if (a->arrived)
            buf_printf(b, ", kom under punkt %u", a->arrived);
        if (a->left)
            buf_printf(b, ", gik under punkt %u", a->left);
        if (a->remark) {
            buf_puts(b, " – ");
            html_text(b, a->remark);
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void render_neighbours(struct buf *b, const struct store_meeting_publication *p)
{
    if (!p->prev_id && !p->next_id)
        return;
    buf_puts(b, "<nav class=\"pager\" aria-label=\"Udvalgets øvrige møder\"><ul>");
    if (p->prev_id) {
        buf_printf(b, "<li><a rel=\"prev\" href=\"/moede/%lld\">Forrige møde: ",
                   (long long)p->prev_id);
        web_date_long(b, p->prev_date);
        buf_puts(b, "</a></li>");
    }
    if (p->next_id) {
        buf_printf(b, "<li><a rel=\"next\" href=\"/moede/%lld\">Næste møde: ",
                   (long long)p->next_id);
        web_date_long(b, p->next_date);
        buf_puts(b, "</a></li>");
    }
    buf_puts(b, "</ul></nav>\n");
}
/* ---- end issue 9, publication ---- */

void page_meeting(const struct web_request *req, struct web_response *res)
{
    struct store_meeting_publication pub = {0}; /* issue 9, publication */
    struct store_meeting mt = {0};
    struct store_case_ref *refs = NULL;
    size_t nref = 0;
    struct case_doc **docs = NULL;
    struct slot *slots = NULL;
    size_t nslots = 0;
    struct store_agenda_item *items = NULL;
    size_t nitems = 0;
    struct err e = {0};
    int rc = ERR_DB;
    bool have_meeting = false;
    int64_t id = web_parse_id(req->seg[1]);
    if (!id) {
        web_error_page(res, 404, "Et møde findes under /moede/ efterfulgt af mødets nummer.");
        goto done;
    }
    if (!req->store || (rc = store_meeting_get(req->store, id, req->reader, &mt, &e)) < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        goto done;
    }
    have_meeting = true;
    /* An agenda is a few dozen cases; the store caps it at STORE_PAGE_MAX. */
    struct store_page all = {0, STORE_PAGE_MAX};
    rc = store_meeting_cases(req->store, id, req->reader, &all, &refs, &nref, NULL, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    /* issue 8: the agenda's marks, in the same order and for the same reader. */
    if (store_agenda(req->store, id, req->reader, &items, &nitems, &e) < 0)
        nitems = 0;
    docs = xcalloc(nref + 1, sizeof *docs);
    size_t cap = 0;
    for (size_t i = 0; i < nref; i++) {
        if (!refs[i].visible)
            continue;
        if (store_case_get(req->store, refs[i].id, req->reader, &docs[i], &e) < 0) {
            docs[i] = NULL;
            continue;
        }
        for (size_t k = 0; k < docs[i]->nsubitems; k++) {
            const struct subitem *s = &docs[i]->subitems[k];
            if (!s->time)
                continue;
            if (nslots == cap) {
                cap = cap ? 2 * cap : 16;
                slots = xrealloc(slots, cap * sizeof *slots);
            }
            struct slot *sl = &slots[nslots];
            sl->time = s->time;
            time_key(s->time, sl->key);
            sl->title = s->title;
            sl->subitem = k + 1;
            sl->order = nslots;
            sl->ref = &refs[i];
            nslots++;
        }
    }
    if (nslots)
        qsort(slots, nslots, sizeof *slots, by_time);

    const char *bname = mt.body_name ? mt.body_name : mt.body;
    struct buf title = BUF_INIT;
    buf_printf(&title, "%s, møde %s", bname, mt.date ? mt.date : "");
    web_page_begin(res, buf_cstr(&title), NULL, NULL);
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol><li><a href=\"/\">Forside"
                "</a></li><li>");
    web_body_link(b, mt.body, bname);
    buf_puts(b, "</li>");
    if (mt.date && strlen(mt.date) >= 4) {
        buf_puts(b, "<li><a href=\"/organ/");
        web_url(b, mt.body);
        buf_printf(b, "/%.4s\">%.4s</a></li>", mt.date, mt.date);
    }
    buf_puts(b, "<li aria-current=\"page\">Møde ");
    web_date_long(b, mt.date);
    buf_puts(b, "</li></ol></nav>\n<h1>");
    html_text(b, bname);
    buf_puts(b, ": møde ");
    web_date_long(b, mt.date);
    buf_puts(b, "</h1>\n");
    /* issue 8: a meeting planned here: when, where, and why it was cancelled. */
    if (mt.cancel_reason || (mt.state && strcmp(mt.state, "aflyst") == 0)) {
        buf_puts(b, "<p class=\"alert\" role=\"status\">Mødet er aflyst");
        if (mt.cancel_reason) {
            buf_puts(b, ": ");
            html_text(b, mt.cancel_reason);
        }
        buf_puts(b, "</p>\n");
    }
    if (mt.start || mt.place) {
        buf_puts(b, "<p class=\"meta\">");
        if (mt.start) {
            buf_puts(b, "Kl. ");
            html_text(b, mt.start);
            if (mt.end) {
                buf_puts(b, "–");
                html_text(b, mt.end);
            }
        }
        if (mt.place) {
            buf_puts(b, mt.start ? " · " : "");
            html_text(b, mt.place);
        }
        buf_puts(b, "</p>\n");
    }
    buf_printf(b, "<p class=\"meta\">%zu %s på dagsordenen</p>\n", nref,
               nref == 1 ? "sag" : "sager");
    /* issue 9, publication: what is published of it; the attendance once the minutes are. */
    if (store_meeting_publication_get(req->store, id, req->reader, &pub, &e) == 0) {
        render_state(b, &mt, &pub);
        render_neighbours(b, &pub);
        render_attendance(b, &pub);
    }

    buf_puts(b, "<h2 id=\"sager\">Sager</h2>\n");
    if (nref == 0) {
        buf_puts(b, "<p>Der er ingen sager på dette møde i arkivet.</p>\n");
    } else {
        buf_puts(b, "<ol class=\"list\" aria-labelledby=\"sager\">\n");
        for (size_t i = 0; i < nref; i++) {
            buf_puts(b, "<li>");
            web_case_link(b, refs[i].id, refs[i].title, refs[i].public);
            if (i < nitems && items[i].ref.id == refs[i].id && items[i].supplement)
                buf_puts(b, " <span class=\"tag supplement\">Tillægsdagsorden</span>");
            if (refs[i].subitems) {
                /* The sub-items name what the meeting treats (" · " dropped at the start). */
                struct buf ctx = BUF_INIT;
                web_case_context(&ctx, &refs[i], false);
                buf_printf(b, "<br><span class=\"meta\">%s</span>", buf_cstr(&ctx) + 4);
                buf_free(&ctx);
            }
            buf_puts(b, "</li>\n");
        }
        buf_puts(b, "</ol>\n");
    }

    web_agenda_followups(b, req, &mt, true); /* issue 10: the standing item */
    buf_puts(b, "<h2 id=\"tidsplan\">Tidsplan</h2>\n");
    if (nslots == 0) {
        buf_puts(b, "<p>Dagsordenen for dette møde angiver ingen tidspunkter.</p>\n");
    } else {
        /* Two columns fit a phone; the case is named under the item when there are several. */
        buf_puts(b, "<div class=\"scroll\"><table>\n<caption class=\"vh\">Tidsplan for mødet"
                    "</caption>\n<thead><tr><th scope=\"col\" class=\"time\">Tid</th>"
                    "<th scope=\"col\">Punkt</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < nslots; i++) {
            buf_puts(b, "<tr><td class=\"time\">");
            html_text(b, slots[i].time);
            buf_printf(b, "</td><td><a href=\"/sag/%lld#punkt-%zu\">", (long long)slots[i].ref->id,
                       slots[i].subitem);
            html_text(b, slots[i].title && *slots[i].title ? slots[i].title : "(uden titel)");
            buf_puts(b, "</a>");
            if (nref > 1) {
                buf_puts(b, "<br><span class=\"meta\">Sag: ");
                html_text(b, slots[i].ref->title);
                buf_puts(b, "</span>");
            }
            buf_puts(b, "</td></tr>\n");
        }
        buf_puts(b, "</tbody>\n</table></div>\n");
    }
    buf_puts(b, "<p><a href=\"/organ/");
    web_url(b, mt.body);
    buf_puts(b, "/kalender.ics\">Udvalgets møder som kalender (iCalendar)</a></p>\n");
    buf_printf(b, "<p><a href=\"/moede/%lld.pdf\">Hent mødet som ét dokument (PDF)</a></p>\n",
               (long long)id); /* issue 10, pdf */
    web_page_end(res);
done:
    free(slots);
    if (docs)
        for (size_t i = 0; i < nref; i++)
            case_free(docs[i]);
    free(docs);
    store_case_refs_free(refs, nref);
    store_agenda_free(items, nitems);
    store_meeting_publication_fini(&pub); /* issue 9, publication */
    if (have_meeting)
        store_meeting_fini(&mt);
}
