/* fuzz_meeting: one target per meeting reader (FUZZ_READER names it): read any bytes as a
 * whole-meeting document, strict and lenient, then run every writer, staff and public, on
 * every item's case, and check that JSON carries each case back unchanged and that a closed
 * item's public view holds its title alone. */
#include "format/format.h"
#include "model/meeting_doc.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct fmt_meeting_reader *r = fmt_meeting_reader_find(FUZZ_READER);
    assert(r);
    for (int lenient = 0; lenient < 2; lenient++) {
        struct meeting_doc *m = NULL;
        struct err e = {0};
        struct warnings w = {0};
        int rc = fmt_read_meeting(r, (const char *)data, size, lenient ? FMT_LENIENT : 0, &m,
                                  &e, &w);
        warnings_fini(&w);
        if (rc < 0) {
            assert(m == NULL && e.msg[0]);
            continue;
        }
        assert(m);
        for (size_t i = 0; i < m->nitems; i++) {
            const struct case_doc *c = m->items[i].c;
            assert(c && c->title);
            static const char *const writers[] = {"md", "txt", "json", "html"};
            for (size_t k = 0; k < 4; k++)
                for (int pub = 0; pub < 2; pub++) {
                    struct buf b = BUF_INIT;
                    fmt_write(fmt_writer_find(writers[k]), c, pub ? FMT_PUBLIC : 0, &b);
                    buf_free(&b);
                }
            if (!c->public) {
                struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
                assert(case_is_redacted(v) && !v->nsections && !v->nguests && !v->nrefs);
                case_free(v);
            }
            struct buf j = BUF_INIT;
            fmt_write(&fmt_write_json, c, 0, &j);
            struct case_doc *back = NULL;
            struct err e2 = {0};
            /* The model may hold what the line formats cannot carry (JSON refuses that, as
             * for a save): then it is refused with a message, never half-read. */
            int rc2 = fmt_read(&fmt_read_json, j.ptr, j.len, FMT_NOLAYOUT, &back, &e2, &w);
            warnings_fini(&w);
            assert(rc2 == 0 ? case_equal(c, back, false) : back == NULL && e2.msg[0]);
            case_free(back);
            buf_free(&j);
        }
        meeting_doc_free(m);
    }
    return 0;
}
