/* workflow: the state machines of cases, meetings and follow-ups, as tables. No I/O here. */
#ifndef REFERAT_WORKFLOW_H
#define REFERAT_WORKFLOW_H

#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>

/* Each machine is data: its states, its actions and one row per transition {from, action, to,
 * who}. Names are stable ASCII ("til_godkendelse"): the database, the ledger and URLs use
 * them. Labels are the Danish words the interface shows ("Til godkendelse"). docs/workflow.md
 * renders the tables; a unit test keeps it in step. */

enum wf_case_state {
    WF_CASE_KLADDE,
    WF_CASE_TIL_GODKENDELSE,
    WF_CASE_GODKENDT,
    WF_CASE_PAA_DAGSORDEN,
    WF_CASE_BEHANDLET,
    WF_CASE_UDSAT,
};

enum wf_meeting_state {
    WF_MEETING_PLANLAGT,
    WF_MEETING_DAGSORDEN_FRIGIVET,
    WF_MEETING_I_GANG,
    WF_MEETING_AFHOLDT,
    WF_MEETING_REFERAT_TIL_GODKENDELSE,
    WF_MEETING_REFERAT_GODKENDT,
    WF_MEETING_OFFENTLIGGJORT,
    WF_MEETING_AFLYST,
};

enum wf_followup_state {
    WF_FOLLOWUP_AABEN,
    WF_FOLLOWUP_I_GANG,
    WF_FOLLOWUP_UDFOERT,
    WF_FOLLOWUP_BORTFALDET,
    /* ---- issue 10, followups: handed to another body's planned meeting ---- */
    WF_FOLLOWUP_VIDERESENDT,
};

struct wf_state {
    const char *name;
    const char *label;
    /* The record is append-only here (approved minutes may be corrected only by addition).
     * No row leads from a locked state to one that is not. */
    bool locked;
};

struct wf_action {
    const char *name;
    const char *label;
};

/* Row flags. */
enum {
    WF_REASON = 1 << 0, /* the person must give a reason (kept in the ledger) */
    WF_OWNER = 1 << 1,  /* the object's own owner may do it too, whatever their roles */
};

/* ---- issue 9, minutes: reopening approved minutes ---- */
enum {
    /* The step leaves a locked state only by opening a new numbered version: the approved one
     * is kept as it was (never overwritten). The only rows allowed out of a locked state into
     * an unlocked one; they need a reason too. */
    WF_NEWVERSION = 1 << 2,
};
/* ---- end issue 9, minutes ---- */

/* ---- issue 10, followups ---- */
enum {
    /* The step names a target: the planned meeting a follow-up is handed to (videresend).
     * The store checks it (a meeting not yet held) and keeps it as the reason. */
    WF_TARGET = 1 << 3,
};
/* True when a follow-up in this state counts as closed (status 'done'). */
bool wf_followup_closed(int state);
/* ---- end issue 10, followups ---- */

struct wf_row {
    int from;       /* state index */
    int action;     /* index into the machine's actions */
    int to;         /* state index */
    int roles;      /* enum role bits (model/access.h), ROLE_ADMIN included, that may do it */
    unsigned flags; /* WF_REASON, WF_OWNER */
};

struct wf_machine {
    const char *name;  /* "case", "meeting", "followup" */
    const char *label; /* "Sag" */
    int initial;       /* the state a new object starts in */
    const struct wf_state *states;
    size_t nstates;
    const struct wf_action *actions;
    size_t nactions;
    const struct wf_row *rows; /* no two rows share from and action */
    size_t nrows;
};

extern const struct wf_machine wf_case, wf_meeting, wf_followup;

/* Who acts (NULL: nobody): the roles a person holds on the object's body, and whether the
 * object is their own (a follow-up's owner); the model cannot know that, so the caller says. */
struct wf_actor {
    int roles;
    bool owner;
};

/* Names and labels; NULL (or false) for a state or action out of range. parse returns the
 * index, or -1 for an unknown or NULL name. */
int wf_state_parse(const struct wf_machine *m, const char *name);
const char *wf_state_name(const struct wf_machine *m, int state);
const char *wf_state_label(const struct wf_machine *m, int state);
bool wf_state_locked(const struct wf_machine *m, int state);
int wf_action_parse(const struct wf_machine *m, const char *name);
const char *wf_action_name(const struct wf_machine *m, int action);
const char *wf_action_label(const struct wf_machine *m, int action);

/* The row for action from state `from`, or NULL when there is none. */
const struct wf_row *wf_find(const struct wf_machine *m, int from, int action);

/* True when who may take row (by role or, for WF_OWNER rows, as owner). */
bool wf_allowed(const struct wf_row *row, const struct wf_actor *who);

/* Takes the action named `action` from state `from` on behalf of who. reason is what the
 * person wrote (NULL for nothing); rows with WF_REASON need one that is not blank. Returns 0
 * and sets *to, or (with *to untouched and e filled with a Danish message):
 *   ERR_SYNTAX   unknown action, unknown state, or a required reason missing;
 *   ERR_CONFLICT the action is not possible from this state (the message lists those that are);
 *   ERR_DENIED   who may not take it (the message names who may).
 * Messages use the stable names, which is what API and CLI users type; the interface shows
 * only the actions wf_actions() offers. */
int wf_apply(const struct wf_machine *m, int from, const char *action, const struct wf_actor *who,
             const char *reason, int *to, struct err *e);

/* The rows who may take from state `from`, in table order (the interface's buttons). Stores up
 * to max of them in out and returns how many there are in all. */
size_t wf_actions(const struct wf_machine *m, int from, const struct wf_actor *who,
                  const struct wf_row **out, size_t max);

#endif
