/* test_mime: a bilag's type comes from its content (libmagic), never from its name. */
#include <string.h>

#include "test.h"
#include "util/mime.h"

static const char *sniff(const void *p, size_t n)
{
    static char type[128];
    struct err e = {0};
    if (mime_sniff(p, n, type, sizeof type, &e) < 0)
        return "(error)";
    return type;
}

static void types_from_content(void)
{
    static const char pdf[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
    CHECK_STR(sniff(pdf, sizeof pdf - 1), "application/pdf");
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                        13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2,
                                        0, 0, 0, 0x90, 0x77, 0x53, 0xde};
    CHECK_STR(sniff(png, sizeof png), "image/png");
    static const char page[] = "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n";
    CHECK(!mime_allowed(sniff(page, sizeof page - 1)));
    static const char exe[] = "MZ\x90\0\3\0\0\0\4\0\0\0\xff\xff\0\0";
    CHECK(!mime_allowed(sniff(exe, sizeof exe - 1)));
    CHECK(!mime_allowed(sniff("", 0)));
}

/* A zip's local file header for an empty stored entry called name. */
static size_t zip_entry(unsigned char *out, const char *name)
{
    size_t n = strlen(name);
    unsigned char h[30] = {'P', 'K', 3, 4, 20, 0};
    h[26] = (unsigned char)n;
    memcpy(out, h, 30);
    memcpy(out + 30, name, n);
    return 30 + n;
}

static void ooxml_zip(void)
{
    unsigned char z[256];
    size_t n = zip_entry(z, "[Content_Types].xml");
    n += zip_entry(z + n, "word/document.xml");
    CHECK_STR(sniff(z, n), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    CHECK(mime_allowed(sniff(z, n)));
    /* any other zip is not a bilag */
    n = zip_entry(z, "payload.exe");
    CHECK(!mime_allowed(sniff(z, n)));
}

static void allowed_list(void)
{
    CHECK(mime_allowed("application/pdf"));
    CHECK(mime_allowed("image/jpeg"));
    CHECK(mime_allowed("application/vnd.oasis.opendocument.text"));
    CHECK(!mime_allowed("image/svg+xml"));
    CHECK(!mime_allowed("text/html"));
    CHECK(!mime_allowed("application/zip"));
    CHECK(!mime_allowed(NULL));
}

int main(void)
{
    RUN(types_from_content);
    RUN(ooxml_zip);
    RUN(allowed_list);
    return TEST_REPORT();
}
