/* mime: content sniffing with libmagic (mime.h). */
#include "mime.h"

#include <magic.h>
#include <stdio.h>
#include <string.h>

/* What a bilag may be, as libmagic names it. */
static const char *const allowed[] = {
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-office", /* an old Office file libmagic cannot tell apart */
    "application/CDFV2",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/tiff",
    "image/webp",
};

static bool has(const void *data, size_t len, const char *s)
{
    /* memmem's arguments are nonnull (GCC proves a NULL path at -O2 with the sanitizers). */
    return data && len && memmem(data, len, s, strlen(s)) != NULL;
}

/* An OOXML package: a zip whose entries (their names are stored in the clear in local
 * headers and the central directory) include [Content_Types].xml and the main folder. */
static const char *ooxml(const void *data, size_t len)
{
    if (len < 4 || memcmp(data, "PK\3\4", 4) != 0 || !has(data, len, "[Content_Types].xml"))
        return NULL;
    if (has(data, len, "word/"))
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (has(data, len, "xl/"))
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (has(data, len, "ppt/"))
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    return NULL;
}

int mime_sniff(const void *data, size_t len, char *type, size_t cap, struct err *e)
{
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (!m || magic_load(m, NULL) != 0) {
        err_set(e, ERR_IO, 0, 0, "libmagic: %s", m ? magic_error(m) : "cannot start");
        if (m)
            magic_close(m);
        return ERR_IO;
    }
    const char *t = magic_buffer(m, len ? data : "", len);
    if (!t) {
        err_set(e, ERR_IO, 0, 0, "libmagic: %s", magic_error(m));
        magic_close(m);
        return ERR_IO;
    }
    const char *x = NULL;
    if (strcmp(t, "application/zip") == 0 || strcmp(t, "application/octet-stream") == 0)
        x = ooxml(data, len);
    snprintf(type, cap, "%s", x ? x : t);
    magic_close(m);
    return 0;
}

bool mime_allowed(const char *type)
{
    for (size_t i = 0; type && i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(type, allowed[i]) == 0)
            return true;
    return false;
}
