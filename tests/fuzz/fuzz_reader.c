/* fuzz_reader: one target per reader (FUZZ_READER names it): parse any bytes, then run every
 * writer, staff and public, on what was parsed, and check the roundtrip promises. */
#include "format/format.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct fmt_reader *r = fmt_reader_find(FUZZ_READER);
    struct case_doc *c = NULL;
    struct err e = {0};
    struct warnings w = {0};
    for (int lenient = 0; lenient < 2; lenient++) {
        int rc = fmt_read(r, (const char *)data, size, lenient ? FMT_LENIENT : 0, &c, &e, &w);
        warnings_fini(&w);
        if (rc < 0) {
            assert(c == NULL && e.line > 0);
            continue;
        }
        static const char *const writers[] = {"md", "txt", "json", "html"};
        for (size_t i = 0; i < 4; i++) {
            for (int pub = 0; pub < 2; pub++) {
                struct buf b = BUF_INIT;
                fmt_write(fmt_writer_find(writers[i]), c, pub ? FMT_PUBLIC : 0, &b);
                buf_free(&b);
            }
        }
        /* What a line reader accepts it gives back byte for byte. */
        if (!lenient && r->is_export) {
            struct buf b = BUF_INIT;
            fmt_write(fmt_writer_find(r->name), c, 0, &b);
            assert(b.len == size && memcmp(b.ptr, data, size) == 0);
            buf_free(&b);
        }
        /* JSON carries the whole model. */
        struct buf j = BUF_INIT;
        fmt_write(&fmt_write_json, c, 0, &j);
        struct case_doc *back = NULL;
        struct err e2 = {0};
        int rc2 = fmt_read(&fmt_read_json, j.ptr, j.len, 0, &back, &e2, &w);
        warnings_fini(&w);
        assert(rc2 == 0 && case_equal(c, back, true));
        case_free(back);
        buf_free(&j);
        case_free(c);
        c = NULL;
    }
    return 0;
}
