/* cmd_meeting: `referat meeting add|list|show|step`: meetings planned in referat and moved
 * through their workflow (model/workflow.h, wf_meeting); meetings known from imported
 * minutes are listed and shown too. */
#include "cli.h"
#include "cli_store.h"
#include "model/workflow.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_ADD                                                                            \
    "referat meeting add BODY DATE [--start HH:MM] [--end HH:MM] [--place TEXT] [--db PATH]\n"
#define USAGE_LIST "referat meeting list [--body CODE] [--year Y] [--json] [--db PATH]\n"
#define USAGE_SHOW "referat meeting show ID [--json] [--db PATH]\n"
#define USAGE_STEP "referat meeting step ID ACTION --version N [--reason TEXT] [--db PATH]\n"
#define USAGE_PUBLISH_DUE "referat meeting publish-due [--db PATH]\n" /* issue 9 */
#define NOTE                                                                                 \
    "DATE is YYYY-MM-DD. A new meeting is planlagt and gets the next number of its body's\n"  \
    "year. ACTION is a step of the meeting workflow (docs/workflow.md), e.g. frigiv_dagsorden;\n" \
    "--version N is the version you looked at (meeting show): a stale one changes nothing.\n"

static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                     {"start", required_argument, NULL, 's'},
                                     {"end", required_argument, NULL, 'e'},
                                     {"place", required_argument, NULL, 'p'},
                                     {"body", required_argument, NULL, 'b'},
                                     {"year", required_argument, NULL, 'y'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"reason", required_argument, NULL, 'r'},
                                     {"version", required_argument, NULL, 'v'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *meeting_json(const struct store_meeting *m)
{
    json_t *o = json_pack("{s:I,s:s,s:o,s:o,s:i}", "id", (json_int_t)m->id, "body", m->body,
                          "body_name", str_or_null(m->body_name), "date", str_or_null(m->date),
                          "number", (int)m->number);
    json_object_set_new(o, "start", str_or_null(m->start));
    json_object_set_new(o, "end", str_or_null(m->end));
    json_object_set_new(o, "place", str_or_null(m->place));
    json_object_set_new(o, "state", str_or_null(m->state));
    json_object_set_new(o, "cancel_reason", str_or_null(m->cancel_reason));
    json_object_set_new(o, "version", json_integer(m->version));
    json_object_set_new(o, "authored", json_boolean(m->authored));
    json_object_set_new(o, "case_count", json_integer((json_int_t)m->ncases));
    return o;
}

static void meeting_line(const struct store_meeting *m)
{
    char when[16] = "";
    if (m->start)
        snprintf(when, sizeof when, "%s%s%s", m->start, m->end ? "-" : "", m->end ? m->end : "");
    printf("%-6lld %-6s %s %-11s %-24s v%-3d %3zu case(s)  %s\n", (long long)m->id, m->body,
           m->date ? m->date : "?", when, m->state ? m->state : "-", m->version, m->ncases,
           m->place ? m->place : "");
}

static int meeting_add(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("meeting", argc, argv, opts, "dsep", 2, 2, USAGE_ADD, NOTE, &a);
    if (st >= 0)
        return st;
    struct store_meeting_save ms = {.body = a.pos[0], .date = a.pos[1], .start = a.opt['s'],
                                    .end = a.opt['e'], .place = a.opt['p']};
    struct store *s = NULL;
    struct err e = {0};
    int64_t id = 0;
    int version = 0;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    if ((rc = store_meeting_save(s, &ms, cli_actor(), &id, &version, &e)) < 0) {
        st = cli_fail(&e, rc);
    } else {
        struct store_meeting m = {0};
        if (store_meeting_get(s, id, &reader_all, &m, &e) == 0)
            printf("meeting %lld: %s %s no. %u, %s, version %d\n", (long long)id, m.body, m.date,
                   m.number, m.state, m.version);
        else
            printf("meeting %lld, version %d\n", (long long)id, version);
        store_meeting_fini(&m);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

static int meeting_list(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("meeting", argc, argv, opts, "dbyj", 0, 0, USAGE_LIST, NOTE, &a);
    if (st >= 0)
        return st;
    int64_t year = 0;
    if (a.opt['y'] && (!cli_parse_id("meeting list", "--year", a.opt['y'], &year) ||
                       year > 9999)) {
        if (year > 9999)
            fputs("referat meeting list: --year: expected a year such as 2024\n", stderr);
        return 2;
    }
    struct store *s = NULL;
    struct err e = {0};
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    struct store_body b = {0};
    if (a.opt['b'] && (rc = store_body_get(s, a.opt['b'], &b, &e)) < 0) {
        st = cli_fail(&e, rc);
        store_close(s);
        return st;
    }
    store_body_fini(&b);
    json_t *arr = json_array();
    size_t count = 0;
    for (struct store_page pg = {0, STORE_PAGE_MAX};; pg.offset += pg.limit) {
        struct store_meeting *v = NULL;
        size_t n = 0;
        if ((rc = store_meetings(s, a.opt['b'], (int)year, &reader_all, &pg, &v, &n, NULL, &e)) <
            0)
            break;
        for (size_t i = 0; i < n; i++) {
            if (a.opt['j'])
                json_array_append_new(arr, meeting_json(&v[i]));
            else
                meeting_line(&v[i]);
        }
        count += n;
        store_meetings_free(v, n);
        if (n < pg.limit)
            break;
    }
    if (rc < 0) {
        json_decref(arr);
        st = cli_fail(&e, rc);
    } else if (a.opt['j']) {
        cli_print_json(arr);
    } else {
        json_decref(arr);
        printf("%zu meeting(s)\n", count);
    }
    store_close(s);
    return rc < 0 ? st : 0;
}

/* The steps the meeting's workflow offers from its state (the archive's tools may take any). */
static void next_steps(const char *state, json_t *arr)
{
    const struct wf_row *rows[32];
    struct wf_actor who = {.roles = ~0};
    int from = wf_state_parse(&wf_meeting, state);
    size_t n = from < 0 ? 0 : wf_actions(&wf_meeting, from, &who, rows, 32);
    if (!arr)
        printf("steps:   ");
    for (size_t i = 0; i < n && i < 32; i++) {
        const char *name = wf_action_name(&wf_meeting, rows[i]->action);
        if (arr)
            json_array_append_new(arr, json_string(name));
        else
            printf("%s%s%s", i ? ", " : "", name, rows[i]->flags & WF_REASON ? " (--reason)" : "");
    }
    if (!arr)
        printf("%s\n", n ? "" : "none");
}

static int meeting_show(int argc, char **argv)
{
    struct cli_args a;
    int64_t id;
    int st = cli_args_parse("meeting", argc, argv, opts, "dj", 1, 1, USAGE_SHOW, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("meeting show", "ID", a.pos[0], &id))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    struct store_meeting m = {0};
    struct store_case_ref *refs = NULL;
    size_t n = 0;
    int rc = cli_store_open(a.opt['d'], STORE_READONLY, &s);
    if (rc < 0)
        return 1;
    if ((rc = store_meeting_get(s, id, &reader_all, &m, &e)) < 0 ||
        (rc = store_meeting_cases(s, id, &reader_all, &(struct store_page){0, STORE_PAGE_MAX},
                                  &refs, &n, NULL, &e)) < 0) {
        st = cli_fail(&e, rc);
        goto done;
    }
    if (a.opt['j']) {
        json_t *o = meeting_json(&m), *cases = json_array(), *steps = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(cases, json_pack("{s:I,s:s,s:o,s:b,s:i}", "id",
                                                   (json_int_t)refs[i].id, "key", refs[i].key,
                                                   "title", str_or_null(refs[i].title),
                                                   "public", refs[i].public, "version",
                                                   refs[i].version));
        json_object_set_new(o, "cases", cases);
        if (m.authored)
            next_steps(m.state, steps);
        json_object_set_new(o, "steps", steps);
        cli_print_json(o);
        goto done;
    }
    printf("meeting %lld  %s%s%s\n", (long long)m.id, m.body, m.body_name ? " " : "",
           m.body_name ? m.body_name : "");
    printf("date:    %s", m.date ? m.date : "?");
    if (m.number)
        printf("  (no. %u of the year)", m.number);
    printf("\ntime:    %s%s%s\n", m.start ? m.start : "-", m.end ? "-" : "", m.end ? m.end : "");
    printf("place:   %s\n", m.place ? m.place : "-");
    printf("state:   %s%s%s\n", m.state ? m.state : "-", m.cancel_reason ? ": " : "",
           m.cancel_reason ? m.cancel_reason : "");
    printf("version: %d%s\n", m.version, m.authored ? "" : "  (known from imported minutes)");
    if (m.authored)
        next_steps(m.state, NULL);
    printf("agenda:  %zu case(s)\n", n);
    for (size_t i = 0; i < n; i++)
        printf("  %zu. case %lld  %s%s  [%s, v%d]\n", i + 1, (long long)refs[i].id,
               refs[i].title ? refs[i].title : "", refs[i].public ? "" : "  (Lukket)",
               refs[i].state ? refs[i].state : "imported", refs[i].version);
done:
    store_case_refs_free(refs, n);
    store_meeting_fini(&m);
    store_close(s);
    return rc < 0 ? st : 0;
}

static int meeting_step(int argc, char **argv)
{
    struct cli_args a;
    int64_t id, version;
    int st = cli_args_parse("meeting", argc, argv, opts, "drv", 2, 2, USAGE_STEP, NOTE, &a);
    if (st >= 0)
        return st;
    if (!cli_parse_id("meeting step", "ID", a.pos[0], &id))
        return 2;
    if (!a.opt['v']) {
        fputs("referat meeting step: --version N is required: the version you looked at "
              "(referat meeting show ID)\n", stderr);
        return 2;
    }
    if (!cli_parse_id("meeting step", "--version", a.opt['v'], &version))
        return 2;
    struct store *s = NULL;
    struct err e = {0};
    struct store_meeting m = {0};
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    rc = store_meeting_transition(s, id, (int)version, a.pos[1], a.opt['r'], cli_actor(), &e);
    if (rc < 0)
        /* An unknown step or a missing reason is a bad command line. */
        st = cli_fail(&e, rc == ERR_SYNTAX ? ERR_USAGE : rc);
    else if (store_meeting_get(s, id, &reader_all, &m, &e) == 0)
        printf("meeting %lld: %s, version %d\n", (long long)id, m.state, m.version);
    store_meeting_fini(&m);
    store_close(s);
    return rc < 0 ? st : 0;
}

/* ---- issue 9, publication: the minutes whose publish time has passed (as the server's
 * outbox thread does it); a refusal by the publish guard is recorded for the sekretær. ---- */
static int meeting_publish_due(int argc, char **argv)
{
    struct cli_args a;
    int st = cli_args_parse("meeting", argc, argv, opts, "d", 0, 0, USAGE_PUBLISH_DUE, NOTE, &a);
    if (st >= 0)
        return st;
    struct store *s = NULL;
    struct err e = {0};
    size_t done = 0, failed = 0;
    int rc = cli_store_open(a.opt['d'], 0, &s);
    if (rc < 0)
        return 1;
    rc = store_meetings_publish_due(s, &done, &failed, &e);
    if (rc < 0)
        st = cli_fail(&e, rc);
    else
        printf("%zu published, %zu refused\n", done, failed);
    store_close(s);
    return rc < 0 ? st : failed ? 1 : 0;
}
/* ---- end issue 9, publication ---- */

static const struct cli_verb verbs[] = {
    {"add", meeting_add, USAGE_ADD},
    {"list", meeting_list, USAGE_LIST},
    {"show", meeting_show, USAGE_SHOW},
    {"step", meeting_step, USAGE_STEP},
    {"publish-due", meeting_publish_due, USAGE_PUBLISH_DUE}, /* issue 9, publication */
};

int cmd_meeting(int argc, char **argv)
{
    return cli_verbs("meeting", verbs, sizeof verbs / sizeof verbs[0], NOTE, argc, argv);
}
