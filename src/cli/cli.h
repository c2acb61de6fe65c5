/* cli: the sub-commands of `referat`; each returns the process exit status. */
#ifndef REFERAT_CLI_H
#define REFERAT_CLI_H

#include "format/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int cmd_convert(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* The archive (issue 3). */
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_followups(int argc, char **argv);
int cmd_followup(int argc, char **argv);
int cmd_unit(int argc, char **argv); /* issue 10, followups */
int cmd_db(int argc, char **argv);
int cmd_search(int argc, char **argv);
/* The staff workspace (issue 7): accounts, tokens, bodies, settings, the ledger, meetings and
 * cases written in referat. */
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_body(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_meeting(int argc, char **argv);
int cmd_case(int argc, char **argv);
/* the body library (issue 8, library) */
int cmd_library(int argc, char **argv);
/* The guests' invitations (issue 8). */
int cmd_invitations(int argc, char **argv);
/* ---- issue 10, remind: follow-up reminders ---- */
int cmd_remind(int argc, char **argv);
/* ---- end issue 10, remind ---- */
/* ---- issue 10, notices ---- */
int cmd_notices(int argc, char **argv);
/* ---- end issue 10, notices ---- */

/* Shared by the commands: read FILE and parse it with the reader named by `from` (detected
 * when NULL). Prints errors compiler-style to stderr. Returns 0 or a negative ERR_*. */
int cli_read_case(const char *path, const char *from, int flags, struct case_doc **out,
                  struct warnings *w);
/* A document as `check` and `import` read it: a case export (c) or a whole-meeting document
 * (m), with its bytes. */
struct meeting_doc;
struct cli_doc {
    struct buf bytes;
    const struct fmt_reader *case_reader;
    const struct fmt_meeting_reader *meeting_reader;
    struct case_doc *c;
    struct meeting_doc *m;
};
/* Reads path with the reader named by `from` (md, txt, json, html, pdf, meeting-txt, ...) or
 * the one the content points to. Returns 0 or a negative ERR_* with e filled (file = path);
 * prints nothing. */
int cli_read_doc(const char *path, const char *from, int flags, struct cli_doc *d,
                 struct warnings *w, struct err *e);
void cli_doc_fini(struct cli_doc *d);

/* Print e as "file:line:col: error: msg" on stderr. */
void cli_print_err(const struct err *e);
void cli_print_warnings(const char *path, const struct warnings *w);
/* Prints e and returns the exit status for rc: 2 for ERR_USAGE (a malformed argument or
 * value, which is a bad command line), 1 for any other failure. */
int cli_fail(const struct err *e, int rc);
/* Parses a positive id (or version, with what "--version"); prints "referat CMD: WHAT: ..."
 * and returns false when arg is not one. */
bool cli_parse_id(const char *cmd, const char *what, const char *arg, int64_t *out);
/* Prints j (indented, keys in insertion order) on stdout and releases it. */
struct json_t;
void cli_print_json(struct json_t *j);

/* A verb of a command with verbs (`referat user add`): its name, its handler (argv[0] is the
 * verb) and its usage ("referat user add LOGIN ...\n", continuation lines indented). */
struct cli_verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
};
/* Runs the verb argv[1] of command cmd (argv[0]), or prints the usage of every verb and then
 * note: on stdout for --help (exit 0), on stderr for a missing or unknown verb (exit 2). */
int cli_verbs(const char *cmd, const struct cli_verb *v, size_t n, const char *note, int argc,
              char **argv);
/* "usage: " and usage, then note (may be NULL). */
void cli_usage(FILE *f, const char *usage, const char *note);

/* The options and positional arguments a verb was given: opt[c] is the argument of the
 * option whose getopt value is the letter c ("" for an option without one), NULL when absent.
 * The last of a repeated option counts. */
struct cli_args {
    const char *opt[128];
    char **pos;
    int npos;
};
/* Parses a verb's argv (argv[0] is the verb of command cmd) against opts, of which it accepts
 * only those whose letters are in allowed, and npos_min..npos_max positional arguments.
 * Returns -1 to go on, else the exit status: 0 after printing usage for --help (whose value
 * must be 'h'), 2 after saying what is wrong with the command line. */
struct option;
int cli_args_parse(const char *cmd, int argc, char **argv, const struct option *opts,
                   const char *allowed, int npos_min, int npos_max, const char *usage,
                   const char *note, struct cli_args *a);

/* Reads a secret (a password, a secret setting) named `field` for command cmd. On a terminal
 * it asks with prompt, echo off, and a second time to confirm; otherwise it reads one line
 * of standard input, without its line end ("\n" or "\r\n"). Empty input, a NUL byte or
 * more than CLI_SECRET_MAX bytes are refused. Returns a heap string to release with
 * cli_secret_free (which wipes it), or NULL after printing why (never the secret) with
 * *status the exit status. */
#define CLI_SECRET_MAX 65536
char *cli_read_secret(const char *cmd, const char *field, const char *prompt, int *status);
void cli_secret_free(char *secret);

#endif
