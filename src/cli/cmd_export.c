/* cmd_export: `referat export ID --to md|txt|json|html|pdf [--public] [--original]`, and
 * `referat export --meeting ID --original`: the document a meeting was imported from. */
#include "cli.h"
#include "cli_store.h"
#include "util/file.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define USAGE                                                                                \
    "usage: referat export ID [--db PATH] (--to md|txt|json|html|pdf | --original) [--public]\n" \
    "                         [--version N] [-o OUT]\n"                                        \
    "       referat export --meeting ID --original [--db PATH] [--public] [--version N] [-o OUT]\n"

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"to", required_argument, NULL, 't'},
                                         {"public", no_argument, NULL, 'p'},
                                         {"original", no_argument, NULL, 'O'},
                                         {"meeting", no_argument, NULL, 'm'},
                                         {"version", required_argument, NULL, 'v'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *db = NULL, *to = NULL, *output = "-";
    bool pub = false, original = false, meeting = false;
    int version = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:pOmv:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': meeting = true; break;
        case 'd': db = optarg; break;
        case 't': to = optarg; break;
        case 'p': pub = true; break;
        case 'O': original = true; break;
        case 'v': version = atoi(optarg); break;
        case 'o': output = optarg; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind != argc - 1 || (!to && !original) || (to && original) || (meeting && !original)) {
        fputs(USAGE, stderr);
        return 2;
    }
    const struct fmt_writer *wr = to ? fmt_writer_find(to) : NULL;
    if (to && !wr) {
        fprintf(stderr, "referat export: unknown output format '%s' (md, txt, json, html or pdf)\n",
                to);
        return 2;
    }
    /* On the server, the archive's own tool reads everything; --public reads as the public. */
    const struct reader *a = pub ? NULL : &reader_all;
    struct store *s = NULL;
    struct err e = {0};
    struct buf out = BUF_INIT;
    struct case_doc *doc = NULL;
    struct store_source src = {0};
    int64_t id;
    int rc = cli_store_open(db, STORE_READONLY, &s);
    if (rc < 0)
        goto done;
    if (meeting) {
        if (!cli_parse_id("export", "meeting", argv[optind], &id)) {
            rc = ERR_USAGE;
            goto done;
        }
        if ((rc = store_meeting_source_get(s, id, version, a, &src, &e)) < 0)
            goto fail;
        buf_put(&out, src.bytes, src.len);
    } else if ((rc = store_case_lookup(s, argv[optind], &id, &e)) < 0) {
        goto fail;
    } else if (original) {
        if ((rc = store_source_get(s, id, version, a, &src, &e)) < 0)
            goto fail;
        buf_put(&out, src.bytes, src.len);
    } else {
        if ((rc = store_case_get_version(s, id, version, a, &doc, &e)) < 0)
            goto fail;
        fmt_write(wr, doc, pub ? FMT_PUBLIC : 0, &out);
    }
    e = (struct err){.file = output};
    if ((rc = file_write(output, buf_cstr(&out), out.len, &e)) < 0)
        goto fail;
    goto done;
fail:
    cli_print_err(&e);
done:
    case_free(doc);
    store_source_fini(&src);
    buf_free(&out);
    store_close(s);
    return rc < 0 ? 1 : 0;
}
