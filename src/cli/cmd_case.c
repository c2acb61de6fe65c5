/* cmd_case: `referat case new|save|step`: cases written in referat, through the store's one
 * write path: every save is a whole model, a new version, checked against the version it was
 * made from. */
#include "cli.h"
#include "cli_store.h"

#include <getopt.h>
#include <stdio.h>

#define USAGE_NEW "referat case new (--meeting ID | --body CODE) FILE [--from FMT] [--db PATH]\n"
#define USAGE_SAVE "referat case save ID --version N FILE [--from FMT] [--db PATH]\n"
#define USAGE_STEP "referat case step ID ACTION --version N [--reason TEXT] [--db PATH]\n"
#define NOTE                                                                                 \
    "FILE is a case in any format referat reads (md, txt, json; detected, or --from). A new\n" \
    "case is a draft (kladde) on the meeting's agenda or owned by the body, unpublished.\n"    \
    "--version N is the version FILE was made from: when the case was saved since, nothing\n" \
    "is saved. ACTION is a step of the case workflow (docs/workflow.md), e.g. indsend.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"meeting", required_argument, NULL, 'm'},
                                     {"body", required_argument, NULL, 'b'},
                                     {"from", required_argument, NULL, 'f'},
                                     {"version", required_argument, NULL, 'v'},
                                     {"reason", required_argument, NULL, 'r'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static bool version_arg(const char *cmd, const struct cli_args *a, int64_t *version)
{
    if (!a->opt['v']) {
        fprintf(stderr, "referat %s: --version N is required: the version you started from "
                        "(referat show ID)\n", cmd);
        return false;
    }
    return cli_parse_id(cmd, "--version", a->opt['v'], version);
}

/* Reads FILE, saves it as sv describes and prints the case and its new version. */
static int save(const struct cli_args *a, struct store_save *sv, const char *path)
{
    struct warnings w = {0};
    struct case_doc *doc = NULL;
    struct store *s = NULL;
    struct err e = {0};
    struct store_case_ref ref = {0};
    int64_t id = 0;
    int version = 0, st = 1;
    int rc = cli_read_case(path, a->opt['f'], 0, &doc, &w);
    cli_print_warnings(path, &w);
    if (rc < 0) {
        st = rc == ERR_USAGE ? 2 : 1;
        goto done;
    }
    if ((rc = cli_store_open(a->opt['d'], 0, &s)) < 0)
        goto done;
    sv->model = doc;
    if ((rc = store_case_save(s, sv, cli_actor(), &id, &version, &e)) < 0) {
        st = cli_fail(&e, rc);
        goto done;
    }
    if (store_case_ref_get(s, id, &reader_all, &ref, &e) == 0)
        printf("case %lld version %d (%s, %s)\n", (long long)id, version, ref.key,
               ref.state ? ref.state : "-");
    else
        printf("case %lld version %d\n", (long long)id, version);
    st = 0;
done:
    store_case_ref_fini(&ref);
    store_close(s);
    case_free(doc);
    warnings_fini(&w);
    return st;
}

static int verb_new(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("case", argc, argv, opts, "dmbf", 1, 1, USAGE_NEW, NOTE, &a);
    if (st >= 0)
        return st;
    struct store_save sv = {0};
    if (!a.opt['m'] == !a.opt['b']) {
        fputs("referat case new: give either --meeting ID or --body CODE\n", stderr);
        cli_usage(stderr, USAGE_NEW, NULL);
        return 2;
    }
    if (a.opt['m'] && !cli_parse_id("case new", "--meeting", a.opt['m'], &sv.meeting_id))
        return 2;
    sv.body = a.opt['b'];
    return save(&a, &sv, a.pos[0]);
}

static int verb_save(int argc, char **argv)
{
    struct cli_args a;
    int64_t id, version;
    int st = cli_args_parse("case", argc, argv, opts, "dvf", 2, 2, USAGE_SAVE, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("case save", "ID", a.pos[0], &id) || !version_arg("case save", &a, &version))
        return 2;
    struct store_save sv = {.case_id = id, .base_version = (int)version};
    return save(&a, &sv, a.pos[1]);
}

static int verb_step(int argc, char **argv)
{
    struct cli_args a;
    int64_t id, version;
    int st = cli_args_parse("case", argc, argv, opts, "dvr", 2, 2, USAGE_STEP, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("case step", "ID", a.pos[0], &id) || !version_arg("case step", &a, &version))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    struct store_case_ref ref = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    rc = store_case_transition(s, id, (int)version, a.pos[1], a.opt['r'], cli_actor(), &e);
    if (rc < 0)
        /* An unknown step or a missing reason is a bad command line. */
        st = cli_fail(&e, rc == ERR_SYNTAX ? ERR_USAGE : rc);
    else if (store_case_ref_get(s, id, &reader_all, &ref, &e) == 0)
        printf("case %lld: %s, version %d\n", (long long)id, ref.state ? ref.state : "-",
               ref.version);
    store_case_ref_fini(&ref);
    store_close(s);
    return rc < 0 ? st : 0;
}

static const struct cli_verb verbs[] = {
    {"new", verb_new, USAGE_NEW},
    {"save", verb_save, USAGE_SAVE},
    {"step", verb_step, USAGE_STEP},
};

int cmd_case(int argc, char **argv)
{
    return cli_verbs("case", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
