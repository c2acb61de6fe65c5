/* cli: the sub-commands of `referat`; each returns the process exit status. */
#ifndef REFERAT_CLI_H
#define REFERAT_CLI_H

#include "format/format.h"

int cmd_convert(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* The archive (issue 3). */
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_followups(int argc, char **argv);
int cmd_followup(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_search(int argc, char **argv);

/* Shared by the commands: read FILE and parse it with the reader named by `from` (detected
 * when NULL). Prints errors compiler-style to stderr. Returns 0 or a negative ERR_*. */
int cli_read_case(const char *path, const char *from, int flags, struct case_doc **out,
                  struct warnings *w);
/* Print e as "file:line:col: error: msg" on stderr. */
void cli_print_err(const struct err *e);
void cli_print_warnings(const char *path, const struct warnings *w);

#endif
