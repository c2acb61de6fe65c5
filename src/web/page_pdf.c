/* page_pdf: a meeting's agenda or minutes as one PDF (/moede/ID.pdf) and one case as PDF
 * (/sag/ID.pdf). The meeting document is always the public view (closed cases by their
 * public title, open bilag only); docs/formats.md, "PDF". */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../format/pdf.h"
#include "../model/access.h"
#include "../model/meeting.h"
#include "../store/store.h"
#include "web.h"

/* The id of "12.pdf"; 0 when the segment is not that. */
static int64_t pdf_id(const char *seg)
{
    char id[24];
    size_t n = strlen(seg);
    if (n < 5 || n - 4 >= sizeof id || strcmp(seg + n - 4, ".pdf") != 0)
        return 0;
    memcpy(id, seg, n - 4);
    id[n - 4] = '\0';
    return web_parse_id(id);
}

/* Whether the reader may have the meeting's minutes: the public once they are published
 * (or the meeting is known from imported minutes, which were published where they came
 * from); the body's own people as soon as the meeting has been held (a preview). */
static bool minutes_allowed(const struct web_request *req, const struct store_meeting *mt)
{
    if (!mt->authored)
        return true;
    const char *st = mt->state ? mt->state : "";
    if (strcmp(st, "offentliggjort") == 0)
        return true;
    if (!reader_sees_body(req->reader, mt->body_id))
        return false;
    return strcmp(st, "afholdt") == 0 || strcmp(st, "referat_til_godkendelse") == 0 ||
           strcmp(st, "referat_godkendt") == 0;
}

static void disposition(struct web_response *res, const char *name)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "inline; filename=\"%s\"", name);
    web_header_add(res, "Content-Disposition", buf_cstr(&b));
    buf_free(&b);
}

/* The attendance as the minutes print it, one paragraph per person; NULL when the reader
 * may not read it (the store gives it to the body's people; the public reads it once the
 * publication part opens it) or nobody is on it. */
static char *attendance_text(const struct web_request *req, int64_t id)
{
    struct attendee *v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (store_attendance_get(req->store, id, req->reader, &v, &n, &e) < 0 || n == 0)
        return NULL;
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const char *label = attendee_status_label(v[i].status);
        buf_printf(&b, "%s%s", i ? "\n\n" : "", v[i].name ? v[i].name : "");
        if (v[i].role)
            buf_printf(&b, " (%s)", v[i].role);
        buf_printf(&b, ": %s", label ? label : "");
        if (v[i].substitute)
            buf_printf(&b, " (%s)", v[i].substitute);
        if (v[i].remark)
            buf_printf(&b, " – %s", v[i].remark);
    }
    store_attendees_free(v, n);
    return buf_detach(&b);
}

struct item_files {
    struct store_file *files;
    struct pdf_bilag *bilag;
    size_t n;
};

/* issue 10: the agenda's standing item as the public reads it (the document is the public
 * view, whoever asks), one paragraph per follow-up; NULL when the meeting has none. */
static char *standing_text(const struct web_request *req, const struct store_meeting *mt)
{
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    if (!web_agenda_followups_load(req, mt, true, NULL, &v, &n, &total))
        return NULL;
    struct buf b = BUF_INIT;
    if (n == 0)
        buf_puts(&b, "Der er ingen åbne opfølgninger på udvalgets beslutninger.");
    for (size_t i = 0; i < n; i++) {
        char due[16];
        if (i)
            buf_puts(&b, "\n\n");
        buf_printf(&b, "%s: %s (Sag: %s", v[i].owner ? v[i].owner : "(ukendt)",
                   v[i].text ? v[i].text : "", v[i].case_title ? v[i].case_title : "");
        if (v[i].due) {
            pdf_date(due, v[i].due);
            buf_printf(&b, ", frist %s", due);
        }
        buf_puts(&b, ")");
    }
    if (total > n) {
        buf_puts(&b, "\n\nI alt ");
        web_total(&b, total, "åben opfølgning", "åbne opfølgninger");
        buf_puts(&b, "; alle står på portalens side Opfølgning.");
    }
    store_followups_free(v, n);
    return buf_detach(&b);
}

void page_meeting_pdf(const struct web_request *req, struct web_response *res)
{
    struct store_meeting mt = {0};
    bool have_meeting = false;
    struct store_case_ref *refs = NULL;
    size_t nref = 0;
    struct case_doc **views = NULL;
    struct pdf_item *items = NULL;
    struct item_files *files = NULL;
    struct err e = {0};
    int rc = ERR_DB;
    int64_t id = pdf_id(req->seg[1]);
    if (!id) {
        web_error_page(res, 404, "Et møde findes som PDF under /moede/ID.pdf.");
        goto done;
    }
    if (!req->store || (rc = store_meeting_get(req->store, id, req->reader, &mt, &e)) < 0) {
        web_fail(res, rc, false, "Der er intet møde med det nummer.", &e);
        goto done;
    }
    have_meeting = true;
    const char *want = web_arg(req, "dokument");
    bool can_minutes = minutes_allowed(req, &mt);
    bool minutes;
    if (!want) {
        minutes = can_minutes;
    } else if (strcmp(want, "referat") == 0) {
        if (!can_minutes) {
            web_error_page(res, 404,
                           "Referatet af mødet er ikke offentliggjort endnu. "
                           "Dagsordenen findes under ?dokument=dagsorden.");
            goto done;
        }
        minutes = true;
    } else if (strcmp(want, "dagsorden") == 0) {
        minutes = false;
    } else {
        web_error_page(res, 400, "Feltet dokument skal være dagsorden eller referat.");
        goto done;
    }
    struct store_page all = {0, STORE_PAGE_MAX};
    if ((rc = store_meeting_cases(req->store, id, req->reader, &all, &refs, &nref, NULL, &e)) < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    views = xcalloc(nref + 1, sizeof *views);
    items = xcalloc(nref + 1, sizeof *items);
    files = xcalloc(nref + 1, sizeof *files);
    for (size_t i = 0; i < nref; i++) {
        struct case_doc *c = NULL;
        if (refs[i].visible && store_case_get(req->store, refs[i].id, req->reader, &c, &e) == 0) {
            views[i] = case_view(c, AUDIENCE_PUBLIC);
            case_free(c);
        } else {
            /* What the agenda lists of a case the reader may not read: its title as listed. */
            views[i] = case_new();
            views[i]->title = xstrdup(refs[i].title ? refs[i].title : "");
            views[i]->public = false;
        }
        assert(case_is_redacted(views[i]));
        items[i].c = views[i];
        items[i].id = refs[i].id;
        const struct case_doc *v = views[i];
        if (!v->public || !v->nattachments)
            continue;
        files[i].files = xcalloc(v->nattachments, sizeof *files[i].files);
        files[i].bilag = xcalloc(v->nattachments, sizeof *files[i].bilag);
        for (size_t k = 0; k < v->nattachments; k++) {
            const struct attachment *a = &v->attachments[k];
            struct store_file *f = &files[i].files[files[i].n];
            /* Only open bilag: the public view marks closed ones, and the store answers a
             * public reader for no closed file anyway. A bilag without a file is listed only. */
            if (!a->public ||
                store_attachment_get(req->store, refs[i].id, a->number, req->reader, f, &e) < 0)
                continue;
            struct pdf_bilag *b = &files[i].bilag[files[i].n++];
            b->number = a->number;
            b->title = a->title;
            b->bytes = f->bytes;
            b->len = f->len;
        }
        items[i].bilag = files[i].bilag;
        items[i].nbilag = files[i].n;
    }
    char *attendance = minutes ? attendance_text(req, id) : NULL;
    char *standing = minutes ? NULL : standing_text(req, &mt);
    struct buf base = BUF_INIT;
    if (req->site->base_url)
        buf_puts(&base, req->site->base_url);
    else if (req->base)
        buf_puts(&base, req->base);
    struct pdf_meeting m = {
        .municipality = req->site->name,
        .body = mt.body_name ? mt.body_name : mt.body,
        .date = mt.date,
        .start = mt.start,
        .end = mt.end,
        .place = mt.place,
        .status = mt.state && strcmp(mt.state, "aflyst") == 0 ? "Mødet er aflyst." : NULL,
        .attendance = attendance,
        .standing = standing,
        .base = base.len ? buf_cstr(&base) : NULL,
        .minutes = minutes,
        .items = items,
        .nitems = nref,
    };
    rc = pdf_meeting_write(&m, &res->body, &e);
    buf_free(&base);
    free(attendance);
    free(standing);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        goto done;
    }
    res->type = "application/pdf";
    char name[64];
    snprintf(name, sizeof name, "%s-%lld.pdf", minutes ? "referat" : "dagsorden", (long long)id);
    disposition(res, name);
done:
    if (files)
        for (size_t i = 0; i < nref; i++) {
            for (size_t k = 0; k < files[i].n; k++)
                store_file_fini(&files[i].files[k]);
            free(files[i].files);
            free(files[i].bilag);
        }
    free(files);
    free(items);
    if (views)
        for (size_t i = 0; i < nref; i++)
            case_free(views[i]);
    free(views);
    store_case_refs_free(refs, nref);
    if (have_meeting)
        store_meeting_fini(&mt);
}

void page_case_pdf(const struct web_request *req, struct web_response *res)
{
    int64_t id = pdf_id(req->seg[1]);
    if (!id) {
        web_error_page(res, 404, "En sag findes som PDF under /sag/ID.pdf.");
        return;
    }
    if (!req->store) {
        web_fail(res, ERR_DB, false, NULL, NULL);
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
    /* The decisions and tillæg only where the reader may have the minutes of the case's
     * meeting (the public: once they are published); a case of no meeting is either imported
     * (published minutes) or a draft (never public). */
    int64_t mid = 0;
    bool minutes = ref.state == NULL || ref.sees_closed;
    if (store_case_meeting(req->store, id, req->reader, &mid, &e) == 0 && mid) {
        struct store_meeting mt = {0};
        if (store_meeting_get(req->store, mid, req->reader, &mt, &e) == 0) {
            minutes = minutes_allowed(req, &mt);
            store_meeting_fini(&mt);
        } else {
            minutes = false;
        }
    }
    if (!minutes)
        case_hide_minutes(c);
    /* As the other exports: only a reader with a role on the case's body gets it unredacted. */
    fmt_write(&fmt_write_pdf, c, ref.sees_closed ? 0 : FMT_PUBLIC, &res->body);
    store_case_ref_fini(&ref);
    case_free(c);
    if (!res->body.len) {
        web_fail(res, ERR_IO, false, NULL, NULL);
        return;
    }
    res->type = "application/pdf";
    char name[48];
    snprintf(name, sizeof name, "sag-%lld.pdf", (long long)id);
    disposition(res, name);
}
