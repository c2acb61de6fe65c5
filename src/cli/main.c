/* main: the `referat` command and its table of sub-commands. */
#include "cli.h"
#include "util/file.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

/* In the order a newcomer meets them: one case, the archive, the workspace (meetings and
 * cases written in referat), running it (people, settings, the ledger), the portal. */
static const struct command commands[] = {
    {"convert", cmd_convert, "FILE [--from md|txt|json] --to md|txt|json|html [--public] [-o OUT]"},
    {"check", cmd_check, "FILE [--from FMT] [--lenient]   parse, print warnings and what was read"},
    {"import", cmd_import, "[--db PATH] FILE|DIR...   store documents in the archive"},
    {"export", cmd_export, "ID --to md|txt|json|html|pdf [--public] [--original]"},
    {"show", cmd_show, "ID [--public]   what the archive holds about a case"},
    {"search", cmd_search, "QUERY [--body B] [--from DATE] [--to DATE] [--public] [--json]"},
    {"followups", cmd_followups, "[--owner NAME] [--open|--done] [--overdue] [--json]"},
    {"followup", cmd_followup, "done ID [--by NAME]   close a follow-up"},
    {"meeting", cmd_meeting, "add|list|show|step   plan meetings and move them on"},
    {"case", cmd_case, "new|save|step   write cases in referat (every save a version)"},
    /* issue 8: the guests' invitations */
    {"invitations", cmd_invitations, "send|list|ics|retry   guests' calendar invitations"},
    /* ---- issue 10, remind ---- */
    {"remind", cmd_remind, "[--db PATH]   e-mail follow-up owners what is due (daily timer)"},
    /* ---- end issue 10, remind ---- */
    /* ---- issue 10, notices ---- */
    {"notices", cmd_notices, "send|stats   citizens' e-mail notices of agendas and minutes"},
    /* ---- end issue 10, notices ---- */
    {"body", cmd_body, "add|list   the boards and committees"},
    /* ---- issue 10, followups ---- */
    {"unit", cmd_unit, "add|list|member|link   units that own follow-ups, owner links"},
    /* ---- end issue 10, followups ---- */
    /* the body library (issue 8, library) */
    {"library", cmd_library, "import|list|export   a body's texts and templates"},
    {"user", cmd_user, "add|list|passwd|disable|enable|grant|revoke   accounts and roles"},
    {"token", cmd_token, "add|list|revoke   API tokens"},
    {"config", cmd_config, "list|get|set|unset   the municipality's settings"},
    {"audit", cmd_audit, "verify|log   the tamper-evident ledger of every change"},
    {"db", cmd_db, "migrate|check|stats|backup [--db PATH]   upgrade, check, copy the archive"},
    {"serve", cmd_serve, "[--db PATH] [--listen HOST:PORT]   the public portal"},
};

static void usage(FILE *f)
{
    fputs("referat: dagsordener og referater for kommunale udvalg\n\n"
          "usage: referat COMMAND [ARGS]\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n  COMMAND --help  the command's verbs and options (man referat: all of them)\n"
          "  --help     this text\n  --version  print the version\n", f);
}

void cli_print_err(const struct err *e)
{
    char msg[1024];
    err_format(e, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
}

void cli_print_warnings(const char *path, const struct warnings *w)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].line)
            fprintf(stderr, "%s:%u:%u: warning: %s\n", path, w->v[i].line, w->v[i].col,
                    w->v[i].msg);
        else
            fprintf(stderr, "%s: warning: %s\n", path, w->v[i].msg);
    }
}

int cli_fail(const struct err *e, int rc)
{
    cli_print_err(e);
    return rc == ERR_USAGE ? 2 : 1;
}

bool cli_parse_id(const char *cmd, const char *what, const char *arg, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = arg && *arg >= '0' && *arg <= '9' ? strtoll(arg, &end, 10) : 0;
    if (!arg || v <= 0 || *end || errno || v > INT32_MAX) {
        fprintf(stderr, "referat %s: %s: expected a positive whole number\n", cmd, what);
        return false;
    }
    *out = v;
    return true;
}

void cli_print_json(struct json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(s ? s : "null");
    free(s);
    json_decref(j);
}

void cli_usage(FILE *f, const char *usage, const char *note)
{
    fprintf(f, "usage: %s%s", usage, note ? note : "");
}

int cli_verbs(const char *cmd, const struct cli_verb *v, size_t n, const char *note, int argc,
              char **argv)
{
    const char *verb = argc > 1 ? argv[1] : NULL;
    bool help = verb && (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0 ||
                         strcmp(verb, "help") == 0);
    for (size_t i = 0; verb && !help && i < n; i++)
        if (strcmp(verb, v[i].name) == 0)
            return v[i].run(argc - 1, argv + 1);
    FILE *f = help ? stdout : stderr;
    if (verb && !help)
        fprintf(f, "referat %s: unknown verb '%s'\n", cmd, verb);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "       " : "usage: ", v[i].usage);
    fputs(note ? note : "", f);
    return help ? 0 : 2;
}

int cli_args_parse(const char *cmd, int argc, char **argv, const struct option *opts,
                   const char *allowed, int npos_min, int npos_max, const char *usage,
                   const char *note, struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            cli_usage(stdout, usage, note);
            return 0;
        }
        if (c == '?' || c <= 0 || c >= 128 || !strchr(allowed, c)) {
            if (c != '?')
                fprintf(stderr, "referat %s %s: %s is not an option here\n", cmd, argv[0],
                        argv[optind - 1]);
            cli_usage(stderr, usage, NULL);
            return 2;
        }
        a->opt[c] = optarg ? optarg : "";
    }
    int n = argc - optind;
    if (n < npos_min || n > npos_max) {
        fprintf(stderr, "referat %s %s: %s\n", cmd, argv[0],
                n < npos_min ? "missing arguments" : "too many arguments");
        cli_usage(stderr, usage, NULL);
        return 2;
    }
    a->pos = argv + optind;
    a->npos = n;
    return -1;
}

int cli_read_case(const char *path, const char *from, int flags, struct case_doc **out,
                  struct warnings *w)
{
    struct err e = {.file = path};
    struct buf b = BUF_INIT;
    int rc = file_read(path, &b, &e);
    if (rc < 0)
        goto done;
    const struct fmt_reader *r = from ? fmt_reader_find(from) : fmt_detect(b.ptr, b.len);
    if (!r) {
        rc = ERR_SYNTAX;
        if (from)
            err_set(&e, ERR_USAGE, 0, 0, "unknown input format '%s' (md, txt or json)", from);
        else
            err_set(&e, ERR_SYNTAX, 1, 1,
                    "expected a case (Markdown, plain text or JSON export); "
                    "found nothing that looks like one (use --from to say which)");
        goto done;
    }
    rc = fmt_read(r, b.ptr, b.len, flags, out, &e, w);
done:
    if (rc < 0)
        cli_print_err(&e);
    buf_free(&b);
    return rc;
}

int main(int argc, char **argv)
{
    /* libxml2 (UTF-8 checks, entities, the search vocabulary) sets itself up on first use,
     * which is not safe to race: do it once here, before the server starts threads. */
    xmlInitParser();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("referat %s\n", REFERAT_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "referat: unknown command '%s' (see referat --help)\n", argv[1]);
    return 2;
}
