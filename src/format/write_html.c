/* write_html: a case as a complete, accessible HTML5 page in Danish (no script). */
#include "format.h"
#include "html.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

/* Headings must never be empty (screen readers list them), so a missing title gets this. */
static const char untitled[] = "(uden titel)";

static const char css[] =
    "body{font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;"
    "max-width:50rem;margin:0 auto;padding:1rem}\n"
    "h1,h2,h3{line-height:1.2}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "caption{text-align:left;font-weight:bold;padding:.25rem 0}\n"
    "th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}\n"
    "td.time{white-space:nowrap}\n"
    ".subitem .title{font-weight:bold}\n"
    ".subitem p{margin:0 0 .5rem}\n"
    ".status,.access{font-weight:bold}\n"
    ".closed>.status,.closed>.access{color:#a00000}\n"
    ".guests,.followup{font-style:italic}\n";

static const char *or_untitled(const char *s)
{
    return s && *s ? s : untitled;
}

static bool filled(const char *s)
{
    return s && *s;
}

static void route(struct buf *b, const struct case_doc *c)
{
    if (!c->nroute)
        return;
    buf_puts(b, "<section class=\"route\">\n<h2>Sagsgang</h2>\n<ol>\n");
    for (size_t i = 0; i < c->nroute; i++) {
        buf_puts(b, "<li>");
        html_text(b, c->route[i]);
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ol>\n</section>\n");
}

static void guest_list(struct buf *b, const struct guest *v, size_t n)
{
    if (!n)
        return;
    buf_puts(b, "<p class=\"guests\">Deltagere: ");
    for (size_t i = 0; i < n; i++) {
        const struct guest *g = &v[i];
        if (i)
            buf_puts(b, ", ");
        buf_puts(b, "<span class=\"guest\">");
        html_text(b, g->name);
        if (filled(g->role)) {
            buf_puts(b, " (");
            html_text(b, g->role);
            buf_putc(b, ')');
        }
        buf_puts(b, "</span>");
    }
    buf_puts(b, "</p>\n");
}

static void guests(struct buf *b, const struct subitem *s)
{
    guest_list(b, s->guests, s->nguests);
}

/* What items of meeting documents have: case numbers, and sections under their headings. */
static void refs(struct buf *b, const struct case_doc *c)
{
    if (!c->nrefs)
        return;
    static const char *const labels[][2] = {{"sagsnr", "Sagsnr."}, {"doknr", "Dok.nr."},
                                            {"kle", "KLE"}, {"sagsid", "Sagsid."}};
    buf_puts(b, "<dl class=\"refs\">\n");
    for (size_t i = 0; i < c->nrefs; i++) {
        const char *label = c->refs[i].kind;
        for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++)
            if (label && strcmp(label, labels[k][0]) == 0)
                label = labels[k][1];
        buf_puts(b, "<dt>");
        html_text(b, label ? label : "");
        buf_puts(b, "</dt><dd>");
        html_text(b, c->refs[i].value ? c->refs[i].value : "");
        buf_puts(b, "</dd>\n");
    }
    buf_puts(b, "</dl>\n");
}

static void sections(struct buf *b, const struct case_doc *c)
{
    for (size_t i = 0; i < c->nsections; i++) {
        buf_puts(b, "<section class=\"extra\">\n");
        if (filled(c->sections[i].name)) {
            buf_puts(b, "<h2>");
            html_text(b, c->sections[i].name);
            buf_puts(b, "</h2>\n");
        }
        html_paragraphs(b, c->sections[i].text, NULL);
        buf_puts(b, "</section>\n");
    }
}

static void table(struct buf *b, const struct case_doc *c)
{
    buf_puts(b, "<table class=\"subitems\">\n"
                "<caption>Punkter</caption>\n"
                "<thead>\n"
                "<tr><th scope=\"col\">Tid</th><th scope=\"col\">Punkt</th></tr>\n"
                "</thead>\n"
                "<tbody>\n");
    if (!c->nsubitems)
        buf_puts(b, "<tr><td colspan=\"2\">Ingen punkter.</td></tr>\n");
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        /* The id lets a decision entry (entry.subitem) or a search hit point at its row. */
        buf_printf(b, "<tr class=\"subitem\" id=\"punkt-%zu\">\n<td class=\"time\">", i + 1);
        html_text(b, s->time);
        /* ---- issue 9, live: the actual times, when the model has them (the caller leaves
         * them out unless the body's minutes.actual_times says to show them) ---- */
        if (s->actual_start) {
            buf_puts(b, "<br><span class=\"actual\">faktisk ");
            for (const char *p = s->actual_start; *p; p++)
                buf_putc(b, *p == ':' ? '.' : *p);
            buf_puts(b, "–");
            for (const char *p = s->actual_end ? s->actual_end : ""; *p; p++)
                buf_putc(b, *p == ':' ? '.' : *p);
            buf_puts(b, "</span>");
        }
        /* ---- end issue 9, live ---- */
        buf_puts(b, "</td>\n<td>\n");
        html_paragraphs(b, or_untitled(s->title), "title");
        html_paragraphs(b, s->text, NULL);
        guests(b, s);
        buf_puts(b, "</td>\n</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n");
}

static void presentation(struct buf *b, const struct case_doc *c)
{
    if (!c->presentation && !c->intro && !c->has_table && !c->nsubitems)
        return;
    buf_puts(b, "<section class=\"presentation\">\n<h2>Sagsfremstilling</h2>\n");
    html_paragraphs(b, c->presentation, NULL);
    html_paragraphs(b, c->intro, "intro");
    if (c->has_table || c->nsubitems)
        table(b, c);
    buf_puts(b, "</section>\n");
}

static void recommendation(struct buf *b, const struct case_doc *c)
{
    if (!c->recommendation)
        return;
    buf_puts(b, "<section class=\"recommendation\">\n<h2>Indstilling</h2>\n");
    html_paragraphs(b, c->recommendation, NULL);
    buf_puts(b, "</section>\n");
}

static void followups(struct buf *b, const struct followup *v, size_t n)
{
    if (!n)
        return;
    buf_puts(b, "<ul class=\"followups\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct followup *f = &v[i];
        buf_puts(b, "<li class=\"followup\">Opfølgning: ");
        html_text(b, f->owner);
        if (filled(f->role)) {
            buf_puts(b, " (");
            html_text(b, f->role);
            buf_putc(b, ')');
        }
        if (filled(f->due)) {
            buf_puts(b, " — frist ");
            html_date(b, f->due);
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void decision(struct buf *b, const struct decision *d)
{
    buf_puts(b, "<section class=\"decision\">\n<h2>Beslutning");
    if (filled(d->body)) {
        buf_puts(b, " i ");
        html_text(b, d->body);
    }
    if (filled(d->date)) {
        buf_puts(b, " den ");
        html_date(b, d->date);
    }
    buf_puts(b, "</h2>\n");
    html_paragraphs(b, d->text, NULL);
    followups(b, d->followups, d->nfollowups); /* issue 10, flat follow-ups */
    for (size_t i = 0; i < d->nentries; i++) {
        const struct entry *e = &d->entries[i];
        buf_puts(b, "<section class=\"entry\">\n<h3>");
        html_text(b, or_untitled(e->title));
        buf_puts(b, "</h3>\n");
        html_paragraphs(b, e->text, NULL);
        followups(b, e->followups, e->nfollowups);
        buf_puts(b, "</section>\n");
    }
    buf_puts(b, "</section>\n");
}

/* ---- issue 9, minutes: tillæg to approved minutes, dated, each with its reason ---- */
static void additions(struct buf *b, const struct case_doc *c)
{
    for (size_t i = 0; i < c->nadditions; i++) {
        const struct addition *a = &c->additions[i];
        buf_puts(b, "<section class=\"addition\">\n<h2>Tillæg");
        if (filled(a->date)) {
            buf_puts(b, " den ");
            html_date(b, a->date);
        }
        buf_puts(b, "</h2>\n<p class=\"reason\">Begrundelse: ");
        html_text(b, a->reason ? a->reason : "");
        buf_puts(b, "</p>\n");
        html_paragraphs(b, a->text, NULL);
        buf_puts(b, "</section>\n");
    }
}
/* ---- end issue 9, minutes ---- */

/* One labelled metadata cell. The source writes "()" or a bare 0 when it has nothing, and
 * the model keeps those ("" and "0") for the line formats; here they show nothing. */
static void meta(struct buf *b, const char *cls, const char *label, const char *value)
{
    if (!filled(value) || strcmp(value, "0") == 0)
        return;
    buf_printf(b, " · <span class=\"%s\">%s ", cls, label);
    html_text(b, value);
    buf_puts(b, "</span>");
}

static void attachments(struct buf *b, const struct case_doc *c, bool pub)
{
    if (!c->has_attachments && !c->nattachments)
        return;
    buf_puts(b, "<section class=\"attachments\">\n<h2>Bilag</h2>\n");
    if (!c->nattachments) {
        buf_puts(b, "<p>Ingen bilag.</p>\n</section>\n");
        return;
    }
    buf_puts(b, "<ol class=\"attachments\">\n");
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        buf_printf(b, "<li class=\"attachment%s\" value=\"%u\">", a->public ? "" : " closed",
                   a->number);
        buf_puts(b, a->public ? "<span class=\"access\">Åben</span>"
                              : "<span class=\"access\">Lukket</span>");
        buf_puts(b, " <span class=\"title\">");
        html_text(b, or_untitled(a->title));
        buf_puts(b, "</span>");
        /* The public view has already dropped these; not writing them is the second lock. */
        if (a->public || !pub) {
            meta(b, "journal", "Journalnr.", a->journal);
            meta(b, "flag", "Markering", a->flag);
            meta(b, "document", "Dokument", a->document);
        }
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ol>\n</section>\n");
}

void html_case(struct buf *b, const struct case_doc *c, int flags)
{
    bool pub = (flags & FMT_PUBLIC) != 0;
    assert(!pub || case_is_redacted(c));
    buf_puts(b, c->public ? "<main class=\"case\">\n" : "<main class=\"case closed\">\n");
    buf_puts(b, "<h1>");
    html_text(b, or_untitled(c->title));
    buf_puts(b, "</h1>\n");
    if (!c->public) {
        buf_puts(b, "<p class=\"status\">Lukket sag</p>\n");
        /* Even if a caller skipped case_view, a closed case shows the public its title only. */
        if (pub) {
            /* issue 9, publication: and the decision written for the public (case_view puts
             * it there only at its level, the store only once the minutes are published). */
            if (c->public_decision) {
                buf_puts(b, "<h2>Beslutning</h2>\n");
                html_paragraphs(b, c->public_decision, NULL);
            }
            buf_puts(b, "</main>\n");
            return;
        }
    } else {
        buf_puts(b, "<p class=\"status\">Åben sag</p>\n");
    }
    refs(b, c);
    route(b, c);
    guest_list(b, c->guests, c->nguests);
    presentation(b, c);
    sections(b, c);
    recommendation(b, c);
    for (size_t i = 0; i < c->ndecisions; i++)
        decision(b, &c->decisions[i]);
    additions(b, c); /* issue 9, minutes */
    attachments(b, c, pub);
    buf_puts(b, "</main>\n");
}

static void write(const struct case_doc *c, int flags, struct buf *out)
{
    html_page_begin(out, or_untitled(c->title), css);
    html_case(out, c, flags);
    html_page_end(out);
}

const struct fmt_writer fmt_write_html = {"html", "text/html; charset=utf-8", write};
