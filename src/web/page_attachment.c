/* page_attachment: the stored file of an open attachment (/sag/ID/bilag/N), as a download. */
#include <string.h>

#include "../store/store.h"
#include "web.h"

/* Types a browser may show inline without running anything; all else is a plain download. */
static const char *safe_type(const char *mime)
{
    static const char *const ok[] = {"application/pdf", "text/plain", "image/png", "image/jpeg",
                                     "image/gif"};
    for (size_t i = 0; mime && i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(mime, ok[i]) == 0)
            return ok[i];
    return "application/octet-stream";
}

void page_attachment(const struct web_request *req, struct web_response *res)
{
    int64_t id = web_parse_id(req->seg[1]);
    int64_t num = web_parse_id(req->seg[3]);
    if (!id || !num || num > CASE_MAX_ATTACHMENT) {
        web_error_page(res, 404, "Et bilag findes under /sag/SAGSNUMMER/bilag/BILAGSNUMMER.");
        return;
    }
    if (!req->store) {
        web_fail(res, ERR_DB, false, NULL, NULL);
        return;
    }
    struct store_file f = {0};
    struct err e = {0};
    int rc = store_attachment_get(req->store, id, (unsigned)num, req->reader, &f, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Filen til dette bilag findes ikke i arkivet.", &e);
        return;
    }
    res->type = safe_type(f.mime);
    res->nocache = true; /* files can be large and are fetched rarely */
    buf_put(&res->body, f.bytes, f.len);
    /* The file name comes from the archive; only plain characters go into the header, so it
     * can neither break the header nor name a path. */
    struct buf cd = BUF_INIT;
    buf_puts(&cd, "attachment; filename=\"");
    size_t n = 0;
    for (const char *p = f.filename ? f.filename : ""; *p && n < 120; p++, n++) {
        char ch = *p;
        bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
        buf_putc(&cd, plain ? ch : '_');
    }
    if (n == 0)
        buf_printf(&cd, "bilag-%lld-%lld", (long long)id, (long long)num);
    buf_puts(&cd, "\"");
    web_header_add(res, "Content-Disposition", buf_cstr(&cd));
    web_header_add(res, "Content-Security-Policy", "default-src 'none'; sandbox");
    buf_free(&cd);
    store_file_fini(&f);
}
