/* cli_doc: reading a document for `check` and `import`: a case export or a whole-meeting
 * document, told apart by content (or named with --from). */
#include "cli.h"
#include "model/meeting_doc.h"
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void cli_doc_fini(struct cli_doc *d)
{
    case_free(d->c);
    meeting_doc_free(d->m);
    buf_free(&d->bytes);
    memset(d, 0, sizeof *d);
}

/* "html" and "pdf" name the meeting readers too. */
static const struct fmt_meeting_reader *meeting_reader(const char *from)
{
    static const char *const alias[][2] = {{"html", "meeting-html"}, {"pdf", "meeting-pdf"}};
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(from, alias[i][0]) == 0)
            from = alias[i][1];
    return fmt_meeting_reader_find(from);
}

int cli_read_doc(const char *path, const char *from, int flags, struct cli_doc *d,
                 struct warnings *w, struct err *e)
{
    memset(d, 0, sizeof *d);
    *e = (struct err){.file = path};
    struct stat st;
    /* A file past the meeting readers' limit is refused before it is read. */
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > FMT_MEETING_MAX) {
        err_set(e, ERR_LIMIT, 0, 0, "expected a document of at most %u MB, found %llu MB",
                FMT_MEETING_MAX >> 20, (unsigned long long)st.st_size >> 20);
        return ERR_LIMIT;
    }
    int rc = file_read(path, &d->bytes, e);
    if (rc < 0)
        return rc;
    const char *p = buf_cstr(&d->bytes);
    size_t n = d->bytes.len;
    const struct fmt_reader *cr = NULL;
    const struct fmt_meeting_reader *mr = NULL;
    if (from) {
        cr = fmt_reader_find(from);
        mr = cr ? NULL : meeting_reader(from);
        if (!cr && !mr) {
            err_set(e, ERR_USAGE, 0, 0, "unknown input format '%s' (md, txt, json, html, pdf "
                                        "or meeting-txt)", from);
            return ERR_USAGE;
        }
    } else {
        cr = fmt_detect(p, n);
        mr = fmt_detect_meeting(p, n);
        int cs = cr ? cr->sniff(p, n) : 0, ms = mr ? mr->sniff(p, n) : 0;
        if (ms > cs)
            cr = NULL;
        else
            mr = NULL;
        if (!cr && !mr) {
            err_set(e, ERR_SYNTAX, 1, 1,
                    "expected a case (Markdown, plain text or JSON export) or a meeting's "
                    "minutes or agenda (HTML, PDF or text); found nothing that looks like one "
                    "(use --from to say which)");
            return ERR_SYNTAX;
        }
    }
    d->case_reader = cr;
    d->meeting_reader = mr;
    return cr ? fmt_read(cr, p, n, flags, &d->c, e, w)
              : fmt_read_meeting(mr, p, n, flags, &d->m, e, w);
}
