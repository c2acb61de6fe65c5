/* cmd_convert: `referat convert FILE [--from FMT] --to FMT [--public] [-o OUT]`. */
#include "cli.h"
#include "util/file.h"

#include <getopt.h>
#include <stdio.h>

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"public", no_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL, *to = NULL, *output = "-";
    int flags = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:t:po:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'p': flags |= FMT_PUBLIC; break;
        case 'o': output = optarg; break;
        case 'h':
            puts("usage: referat convert FILE [--from md|txt|json] --to md|txt|json|html "
                 "[--public] [-o OUT]");
            return 0;
        default: return 2;
        }
    }
    if (optind != argc - 1 || !to) {
        fputs("usage: referat convert FILE [--from md|txt|json] --to md|txt|json|html "
              "[--public] [-o OUT]\n", stderr);
        return 2;
    }
    const struct fmt_writer *wr = fmt_writer_find(to);
    if (!wr) {
        fprintf(stderr, "referat convert: unknown output format '%s' (md, txt, json or html)\n",
                to);
        return 2;
    }
    const char *path = argv[optind];
    struct warnings w = {0};
    struct case_doc *doc = NULL;
    int rc = cli_read_case(path, from, 0, &doc, &w);
    cli_print_warnings(path, &w);
    warnings_fini(&w);
    if (rc < 0)
        return 1;
    struct buf out = BUF_INIT;
    fmt_write(wr, doc, flags, &out);
    struct err e = {.file = output};
    rc = file_write(output, buf_cstr(&out), out.len, &e);
    if (rc < 0)
        cli_print_err(&e);
    buf_free(&out);
    case_free(doc);
    return rc < 0 ? 1 : 0;
}
