/* page_case: one case with every section (/sag/ID), and its exports (/sag/ID.md, .txt, .json,
 * .html), always the public view. */
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../format/html.h"
#include "../store/store.h"
#include "web.h"

static const char *const export_names[] = {"md", "txt", "json", "html"};

/* Names and meetings repeat within a case (a guest owns the follow-up; three entries of one
 * decision), so each is looked up once per page. */
#define MEMO_MAX 32
struct memo {
    const struct web_request *req;
    const char *key[MEMO_MAX]; /* a name, or body + "\n" + date (owned) */
    int64_t id[MEMO_MAX];
    size_t n;
};

static int64_t memo_get(struct memo *m, const char *key, bool meeting)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->key[i], key) == 0)
            return m->id[i];
    int64_t id;
    if (meeting) {
        const char *nl = strchr(key, '\n');
        char body[128];
        size_t bl = nl ? (size_t)(nl - key) : 0;
        if (!nl || bl >= sizeof body)
            return 0;
        memcpy(body, key, bl);
        body[bl] = '\0';
        id = web_meeting_find(m->req, body, nl + 1);
    } else {
        id = web_person_find(m->req->store, key);
    }
    if (m->n < MEMO_MAX) {
        m->key[m->n] = xstrdup(key);
        m->id[m->n++] = id;
    }
    return id;
}

static int64_t memo_meeting(struct memo *m, const char *body, const char *date)
{
    if (!body || !date)
        return 0;
    struct buf k = BUF_INIT;
    buf_printf(&k, "%s\n%s", body, date);
    int64_t id = memo_get(m, buf_cstr(&k), true);
    buf_free(&k);
    return id;
}

static void memo_fini(struct memo *m)
{
    for (size_t i = 0; i < m->n; i++)
        free((char *)m->key[i]);
    m->n = 0;
}

static void crumbs(struct buf *b, const struct web_request *req, const struct store_case_ref *ref,
                   int64_t meeting)
{
    struct store_meeting m = {0};
    struct err e = {0};
    bool have = meeting && store_meeting_get(req->store, meeting, req->reader, &m, &e) == 0;
    buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol><li><a href=\"/\">Forside"
                "</a></li>");
    if (ref->body) {
        buf_puts(b, "<li>");
        web_body_link(b, ref->body, have && m.body_name ? m.body_name : ref->body);
        buf_puts(b, "</li>");
    }
    if (have)
        store_meeting_fini(&m);
    if (meeting) {
        buf_printf(b, "<li><a href=\"/moede/%lld\">Møde ", (long long)meeting);
        web_date_long(b, ref->date);
        buf_puts(b, "</a></li>");
    }
    buf_puts(b, "<li aria-current=\"page\">Sag</li></ol></nav>\n");
}

/* The case numbers a meeting document gives (docs/json.md, refs), as the portal names them. */
static const char *ref_label(const char *kind)
{
    static const char *const labels[][2] = {
        {"sagsnr", "Sagsnr."}, {"doknr", "Dok.nr."}, {"kle", "KLE-nr."}, {"sagsid", "Sags-ID"}};
    for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(kind, labels[i][0]) == 0)
            return labels[i][1];
    return "Sagsnummer";
}

static void person(struct buf *b, struct memo *s, const char *name)
{
    int64_t pid = name ? memo_get(s, name, false) : 0;
    if (pid) {
        buf_printf(b, "<a href=\"/person/%lld\">", (long long)pid);
        html_text(b, name);
        buf_puts(b, "</a>");
    } else {
        html_text(b, name);
    }
}

static void subitems(struct buf *b, struct memo *s, const struct case_doc *c)
{
    if (!c->has_table && !c->nsubitems)
        return;
    bool times = false;
    for (size_t i = 0; i < c->nsubitems; i++)
        times |= c->subitems[i].time != NULL;
    buf_puts(b, "<div class=\"scroll\"><table class=\"subitems\">\n<caption class=\"vh\">Punkter"
                "</caption>\n<thead><tr>");
    if (times)
        buf_puts(b, "<th scope=\"col\" class=\"time\">Tid</th>");
    buf_puts(b, "<th scope=\"col\">Punkt</th></tr></thead>\n<tbody>\n");
    if (!c->nsubitems)
        buf_printf(b, "<tr><td%s>Ingen punkter.</td></tr>\n", times ? " colspan=\"2\"" : "");
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *si = &c->subitems[i];
        buf_printf(b, "<tr id=\"punkt-%zu\">", i + 1);
        if (times) {
            buf_puts(b, "<td class=\"time\">");
            html_text(b, si->time ? si->time : "");
            web_live_actual_cell(b, si); /* issue 9, live: "faktisk 10.32–10.41" */
            buf_puts(b, "</td>");
        }
        buf_puts(b, "<td><strong>");
        html_text(b, si->title && *si->title ? si->title : "(uden titel)");
        buf_puts(b, "</strong>");
        if (si->text) {
            buf_puts(b, "<div class=\"subtext\">");
            html_paragraphs(b, si->text, NULL);
            buf_puts(b, "</div>");
        }
        if (si->nguests) {
            buf_puts(b, "<p class=\"guests\">Deltager under punktet: ");
            for (size_t g = 0; g < si->nguests; g++) {
                if (g)
                    buf_puts(b, "; ");
                person(b, s, si->guests[g].name);
                if (si->guests[g].role && *si->guests[g].role) {
                    buf_puts(b, ", ");
                    html_text(b, si->guests[g].role);
                }
            }
            buf_puts(b, "</p>");
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

/* The stored follow-up that matches one in the model, for its status. */
static const struct store_followup *stored(const struct store_followup *v, size_t n,
                                           const struct followup *f)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].owner && f->owner && strcmp(v[i].owner, f->owner) == 0 && v[i].text && f->text &&
            strcmp(v[i].text, f->text) == 0)
            return &v[i];
    return NULL;
}

/* show_followups false: the body keeps its follow-ups off the portal (followup.public = 0),
 * so the entries' owner lists are left out; the decision's text stays. */
/* ---- issue 10, portal follow-ups: the body's followup.public (default 1) ---- */
static bool followups_public(const struct web_request *req, const char *body)
{
    char *v = NULL;
    struct err e = {0};
    if (!body)
        return true; /* a case of no body: no setting hides them */
    if (store_body_setting_get(req->store, body, "followup.public", &v, &e) < 0)
        return false; /* unreadable: shown only when the setting is known to allow it */
    bool shown = !v || strcmp(v, "0") != 0;
    free(v);
    return shown;
}
/* ---- end issue 10, portal follow-ups ---- */

/* The owners of a decision's or an entry's follow-ups, each with its stored state. */
static void followup_list(struct buf *b, struct memo *s, const struct followup *v, size_t n,
                          const struct store_followup *fu, size_t nfu)
{
    buf_puts(b, "<p class=\"meta\">Opfølgning:</p>\n<ul class=\"followups\">\n");
    for (size_t f = 0; f < n; f++) {
        const struct followup *fp = &v[f];
        const struct store_followup *sf = stored(fu, nfu, fp);
        buf_puts(b, "<li>");
        person(b, s, fp->owner);
        if (fp->role && *fp->role) {
            buf_puts(b, " (");
            html_text(b, fp->role);
            buf_puts(b, ")");
        }
        if (fp->due) {
            buf_puts(b, ", senest ");
            web_date_long(b, fp->due);
        }
        if (sf)
            buf_puts(b, sf->done ? " <span class=\"tag done\">Afsluttet</span>"
                                 : " <span class=\"tag open\">Åben</span>");
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void decisions(struct buf *b, struct memo *s, const struct case_doc *c,
                      const struct store_followup *fu, size_t nfu, bool show_followups)
{
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        int64_t mid = memo_meeting(s, d->body, d->date);
        buf_printf(b,
                   "<section class=\"decision\" id=\"beslutning-%zu\" "
                   "aria-labelledby=\"beslutning-%zu-h\">\n<h3 id=\"beslutning-%zu-h\">"
                   "Beslutning i ",
                   i + 1, i + 1, i + 1);
        html_text(b, d->body);
        buf_puts(b, " den ");
        if (mid)
            buf_printf(b, "<a href=\"/moede/%lld\">", (long long)mid);
        web_date_long(b, d->date);
        if (mid)
            buf_puts(b, "</a>");
        buf_puts(b, "</h3>\n");
        html_paragraphs(b, d->text, NULL);
        if (d->nfollowups && show_followups) /* issue 10, flat follow-ups */
            followup_list(b, s, d->followups, d->nfollowups, fu, nfu);
        for (size_t k = 0; k < d->nentries; k++) {
            const struct entry *en = &d->entries[k];
            buf_puts(b, "<h4>");
            if (en->subitem)
                buf_printf(b, "<a href=\"#punkt-%zu\">", en->subitem);
            html_text(b, en->title && *en->title ? en->title : "(uden titel)");
            if (en->subitem)
                buf_puts(b, "</a>");
            buf_puts(b, "</h4>\n");
            html_paragraphs(b, en->text, NULL);
            if (en->nfollowups && show_followups)
                followup_list(b, s, en->followups, en->nfollowups, fu, nfu);
        }
        buf_puts(b, "</section>\n");
    }
}

static void attachments(struct buf *b, const struct web_request *req, int64_t id,
                        const struct case_doc *c, bool sees_closed)
{
    buf_puts(b, "<ul class=\"list\" aria-labelledby=\"bilag\">\n");
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        buf_printf(b, "<li id=\"bilag-%u\">Bilag %u: ", a->number, a->number);
        bool stored_file = false;
        struct store_file f = {0};
        struct err e = {0};
        if ((a->public || sees_closed) &&
            store_attachment_get(req->store, id, a->number, req->reader, &f, &e) == 0) {
            stored_file = true;
            buf_printf(b, "<a href=\"/sag/%lld/bilag/%u\" download>", (long long)id, a->number);
        }
        html_text(b, a->title && *a->title ? a->title : "(uden titel)");
        if (stored_file) {
            buf_printf(b, "</a> <span class=\"meta\">(%zu kB)</span>", (f.len + 1023) / 1024);
            store_file_fini(&f);
        }
        if (!a->public) {
            buf_puts(b, " <span class=\"tag closed\">Lukket bilag</span>");
        } else if (a->journal && *a->journal && strcmp(a->journal, "0") != 0) {
            buf_puts(b, "<br><span class=\"meta\">Journalnummer ");
            html_text(b, a->journal);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void export(const struct web_request *req, struct web_response *res, int64_t id,
                   const char *ext)
{
    const struct fmt_writer *wr = NULL;
    for (size_t i = 0; i < sizeof export_names / sizeof export_names[0]; i++)
        if (strcmp(ext, export_names[i]) == 0)
            wr = fmt_writer_find(ext);
    if (!wr) {
        web_error_page(res, 404, "Sagen kan hentes som .md, .txt, .json eller .html.");
        return;
    }
    struct case_doc *c = NULL;
    struct err e = {0};
    struct store_case_ref ref = {0};
    int rc = store_case_ref_get(req->store, id, req->reader, &ref, &e);
    if (rc == 0)
        rc = store_case_get(req->store, id, req->reader, &c, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er ingen sag med det nummer.", &e);
        store_case_ref_fini(&ref);
        return;
    }
    if (strcmp(ext, "html") == 0) /* issue 9, live: actual times as the body's setting says */
        web_live_actual_times(req, ref.body, c);
    res->type = strcmp(ext, "json") == 0 ? "application/json; charset=utf-8" : wr->mime;
    /* Only a reader who holds a role on the case's body gets the unredacted export. */
    fmt_write(wr, c, ref.sees_closed ? 0 : FMT_PUBLIC, &res->body);
    store_case_ref_fini(&ref);
    if (strcmp(ext, "html") == 0)
        /* The exported page carries its own stylesheet inline; it still runs no script. */
        web_header_add(res, "Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                       "form-action 'none'; base-uri 'none'; frame-ancestors 'none'");
    case_free(c);
}

void page_case(const struct web_request *req, struct web_response *res)
{
    struct store_case_ref ref = {0};
    bool have_ref = false;
    struct case_doc *c = NULL;
    struct store_followup *fu = NULL;
    size_t nfu = 0;
    struct err e = {0};
    int rc = ERR_DB;
    const char *seg = req->seg[1];
    char idpart[24];
    const char *dot = strchr(seg, '.');
    size_t idlen = dot ? (size_t)(dot - seg) : strlen(seg);
    if (idlen >= sizeof idpart) {
        web_error_page(res, 404, "Der er ingen sag med det nummer.");
        goto done;
    }
    memcpy(idpart, seg, idlen);
    idpart[idlen] = '\0';
    int64_t id = web_parse_id(idpart);
    if (!id) {
        web_error_page(res, 404, "En sag findes under /sag/ efterfulgt af sagens nummer.");
        goto done;
    }
    if (!req->store) {
        web_fail(res, ERR_DB, false, NULL, NULL);
        goto done;
    }
    if (dot) {
        export(req, res, id, dot + 1);
        goto done;
    }
    if ((rc = store_case_ref_get(req->store, id, req->reader, &ref, &e)) < 0) {
        web_fail(res, rc, false, "Der er ingen sag med det nummer.", &e);
        goto done;
    }
    have_ref = true;
    if ((rc = store_case_get(req->store, id, req->reader, &c, &e)) < 0) {
        web_fail(res, rc, false, "Der er ingen sag med det nummer.", &e);
        goto done;
    }
    web_live_actual_times(req, ref.body, c); /* issue 9, live: as the body's setting says */
    struct store_followup_filter ff = {.case_id = id, .portal = true};
    struct store_page all = {0, STORE_PAGE_MAX};
    if (ref.visible &&
        store_followups(req->store, &ff, req->reader, &all, &fu, &nfu, NULL, &e) < 0) {
        fu = NULL;
        nfu = 0;
    }

    struct memo memo = {.req = req};
    int64_t meeting = memo_meeting(&memo, ref.body, ref.date);
    web_page_begin(res, c->title && *c->title ? c->title : "Sag", NULL, NULL);
    struct buf *b = &res->body;
    crumbs(b, req, &ref, meeting);
    buf_puts(b, "<article aria-labelledby=\"sagstitel\">\n<h1 id=\"sagstitel\">");
    html_text(b, c->title && *c->title ? c->title : "(uden titel)");
    buf_puts(b, "</h1>\n");
    /* issue 8: the agendas of meetings planned in referat, the tillægsdagsorden marked. */
    struct store_case_agenda *places = NULL;
    size_t nplaces = 0;
    if (store_case_agendas(req->store, id, req->reader, &places, &nplaces, &e) < 0)
        nplaces = 0;
    for (size_t i = 0; i < nplaces; i++) {
        buf_printf(b, "<p class=\"meta\">Punkt %u på dagsordenen for <a href=\"/moede/%lld\">",
                   places[i].number, (long long)places[i].meeting_id);
        html_text(b, places[i].body_name ? places[i].body_name : places[i].body);
        buf_puts(b, "s møde ");
        web_date_long(b, places[i].date);
        buf_puts(b, "</a>");
        if (places[i].supplement)
            buf_puts(b, " <span class=\"tag supplement\">Tillægsdagsorden</span>");
        if (i + 1 < nplaces)
            buf_puts(b, " <span class=\"tag\">Udsat</span>");
        buf_puts(b, "</p>\n");
    }
    store_case_agendas_free(places, nplaces);
    if (!c->public && ref.sees_closed)
        buf_puts(b, "<p class=\"closednote\"><strong>Lukket sag.</strong> Du ser hele sagen, "
                    "fordi du har en rolle i et af dens udvalg. Offentligheden ser kun "
                    "titlen.</p>\n");
    if (ref.sees_closed && !ref.published)
        buf_puts(b, "<p class=\"closednote\"><strong>Ikke offentliggjort.</strong> Sagen er "
                    "endnu ikke frigivet og ses kun af udvalgets medlemmer og sekretariat.</p>\n");
    if (ref.sees_closed) {
        /* Read with reservations (import --lenient): the staff are told, with the way to it. */
        char **cv = NULL;
        size_t ncv = 0;
        struct err ce = {0};
        if (store_case_caveats(req->store, id, req->reader, &cv, &ncv, &ce) == 0 && ncv)
            buf_printf(b, "<p class=\"closednote\"><strong>Læst med forbehold.</strong> "
                          "Sagen blev indlæst med %zu %s, som udvalgets sekretær skal gennemse. "
                          "<a href=\"/arbejde/sag/%lld/forbehold\">Se advarslerne</a>.</p>\n",
                       ncv, ncv == 1 ? "advarsel" : "advarsler", (long long)id);
        store_problems_free(cv, ncv);
    }
    if (!c->public && !ref.sees_closed) {
        buf_puts(b, "<p class=\"closednote\"><strong>Lukket sag.</strong> Sagen er behandlet "
                    "for lukkede døre, og kun titlen er offentlig.</p>\n");
        /* The secretariat's public summary of a closed case (RULES-DK: what may be said). */
        html_paragraphs(b, c->public_text, NULL);
        /* issue 9, publication: the decision written for the public, once the minutes are */
        if (c->public_decision) {
            buf_puts(b, "<h2 id=\"beslutning\">Beslutning</h2>\n");
            html_paragraphs(b, c->public_decision, NULL);
        }
    } else {
        buf_puts(b, "<dl class=\"facts\">");
        if (c->nroute) {
            buf_puts(b, "<dt>Sagsgang</dt><dd>");
            for (size_t i = 0; i < c->nroute; i++) {
                if (i)
                    buf_puts(b, ", ");
                web_body_link(b, c->route[i], c->route[i]);
            }
            buf_puts(b, "</dd>");
        }
        buf_puts(b, "<dt>Status</dt><dd>");
        buf_puts(b, c->ndecisions ? "Afgjort" : "Ikke afgjort endnu (dagsorden)");
        buf_puts(b, "</dd>");
        if (ref.date) {
            buf_puts(b, "<dt>Første beslutning</dt><dd>");
            web_date_long(b, ref.date);
            buf_puts(b, "</dd>");
        }
        for (size_t i = 0; i < c->nrefs; i++) {
            buf_puts(b, "<dt>");
            html_text(b, ref_label(c->refs[i].kind));
            buf_puts(b, "</dt><dd>");
            html_text(b, c->refs[i].value);
            buf_puts(b, "</dd>");
        }
        buf_puts(b, "</dl>\n");
        if (c->nguests) {
            /* A meeting document's own "Deltagere" (guests without a Tid/Punkt table). */
            buf_puts(b, "<h2 id=\"deltagere\">Deltagere</h2>\n<ul class=\"guests\">");
            for (size_t i = 0; i < c->nguests; i++) {
                buf_puts(b, "<li>");
                person(b, &memo, c->guests[i].name);
                if (c->guests[i].role && *c->guests[i].role) {
                    buf_puts(b, ", ");
                    html_text(b, c->guests[i].role);
                }
                buf_puts(b, "</li>");
            }
            buf_puts(b, "</ul>\n");
        }
        if (c->presentation || c->intro || c->has_table || c->nsubitems) {
            buf_puts(b, "<h2 id=\"sagsfremstilling\">Sagsfremstilling</h2>\n");
            html_paragraphs(b, c->presentation, NULL);
            html_paragraphs(b, c->intro, NULL);
            subitems(b, &memo, c);
        }
        for (size_t i = 0; i < c->nsections; i++) {
            /* Sections the model has no field for, under the document's own headings. */
            buf_printf(b, "<h2 id=\"afsnit-%zu\">", i + 1);
            html_text(b, c->sections[i].name);
            buf_puts(b, "</h2>\n");
            html_paragraphs(b, c->sections[i].text, NULL);
        }
        if (c->recommendation) {
            buf_puts(b, "<h2 id=\"indstilling\">Indstilling</h2>\n");
            html_paragraphs(b, c->recommendation, NULL);
        }
        if (c->ndecisions) {
            buf_puts(b, c->ndecisions == 1 ? "<h2 id=\"beslutning\">Beslutning</h2>\n"
                                           : "<h2 id=\"beslutning\">Beslutninger</h2>\n");
            decisions(b, &memo, c, fu, nfu, followups_public(req, ref.body));
        }
        web_minutes_additions(b, c); /* ---- issue 9, minutes: the tillæg ---- */
        if (c->has_attachments || c->nattachments) {
            buf_puts(b, "<h2 id=\"bilag\">Bilag</h2>\n");
            if (c->nattachments)
                attachments(b, req, id, c, ref.sees_closed);
            else
                buf_puts(b, "<p>Ingen bilag.</p>\n");
        }
    }
    buf_puts(b, "</article>\n<h2 id=\"hent\">Hent sagen</h2>\n<ul class=\"exports\" "
                "aria-labelledby=\"hent\">");
    static const char *const labels[] = {"Markdown (.md)", "Tekst (.txt)", "JSON (.json)",
                                         "HTML (.html)"};
    for (size_t i = 0; i < 4; i++)
        buf_printf(b, "<li><a href=\"/sag/%lld.%s\">%s</a></li>", (long long)id, export_names[i],
                   labels[i]);
    buf_printf(b, "<li><a href=\"/sag/%lld.pdf\">PDF (.pdf)</a></li>",
               (long long)id); /* issue 10, pdf */
    buf_puts(b, "</ul>\n");
    web_page_end(res);
    memo_fini(&memo);
done:
    store_followups_free(fu, nfu);
    case_free(c);
    if (have_ref)
        store_case_ref_fini(&ref);
}
