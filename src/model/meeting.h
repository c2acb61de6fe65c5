/* meeting: one meeting of a body: when and where, its state, agenda and attendance. No I/O. */
#ifndef REFERAT_MEETING_H
#define REFERAT_MEETING_H

#include "workflow.h"
#include "../util/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ownership as in case.h: every char * is a heap string owned by the struct that holds it, or
 * NULL; arrays are owned likewise, with their counts beside them, and grow only through the
 * functions below. meeting_free() releases everything. */

/* How one member of the body took part. */
enum attendee_status {
    ATTENDEE_PRESENT,        /* til stede */
    ATTENDEE_AFBUD,          /* sent apologies */
    ATTENDEE_FRAVAERENDE,    /* absent without apologies */
    ATTENDEE_STEDFORTRAEDER, /* represented by a substitute (named in substitute) */
};

/* The status's stable name ("stedfortraeder") and Danish label ("Stedfortræder"); NULL for
 * a value out of range. parse returns -1 for an unknown or NULL name. */
const char *attendee_status_name(int status);
const char *attendee_status_label(int status);
int attendee_status_parse(const char *name);

/* One row of the attendance list: a member of the body and how they took part. */
struct attendee {
    char *name;
    char *role; /* "formand", or NULL */
    enum attendee_status status;
    char *substitute; /* the substitute's name; set exactly when status is STEDFORTRAEDER */
    char *remark;     /* or NULL */
    /* The sub-item numbers (1-based) at which the person (or the substitute) came and went;
     * 0 = from the start / to the end. */
    unsigned arrived;
    unsigned left;
};

struct meeting {
    char *body_code; /* the body's code ("DIR") */
    unsigned number; /* the meeting's number within the year; 0 = not yet numbered */
    char *date;      /* ISO "2024-01-17" */
    char *start;     /* "HH:MM", or NULL when unknown */
    char *end;       /* "HH:MM", or NULL when unknown */
    char *place;     /* or NULL */
    enum wf_meeting_state state;
    char *cancel_reason; /* set exactly when state is WF_MEETING_AFLYST */
    int64_t *cases;      /* the agenda: case ids in order, each once */
    size_t ncases;
    struct attendee *attendees;
    size_t nattendees;
};

struct meeting *meeting_new(void);
void meeting_free(struct meeting *m); /* NULL does nothing */

/* The agenda. Positions are 0-based indices into cases.
 * add: appends case_id; ERR_SYNTAX for an id < 1, ERR_CONFLICT when it is already there.
 * remove: ERR_NOTFOUND when case_id is not on the agenda.
 * move: puts case_id at position pos, the others keeping their order; ERR_NOTFOUND as remove,
 * ERR_LIMIT when pos >= ncases. On error nothing changes and e says why. */
int meeting_add_case(struct meeting *m, int64_t case_id, struct err *e);
int meeting_remove_case(struct meeting *m, int64_t case_id, struct err *e);
int meeting_move_case(struct meeting *m, int64_t case_id, size_t pos, struct err *e);
/* The position of case_id on the agenda, or -1. */
ptrdiff_t meeting_case_index(const struct meeting *m, int64_t case_id);

/* Appends a zeroed attendee (status ATTENDEE_PRESENT) owned by m. */
struct attendee *meeting_add_attendee(struct meeting *m);

struct meeting *meeting_dup(const struct meeting *m);
bool meeting_equal(const struct meeting *a, const struct meeting *b);

/* The year of the meeting's date, or 0 when the date is not an ISO date. */
int meeting_year(const struct meeting *m);

/* Checks what a meeting must satisfy before it is stored: a body code; a real calendar date;
 * times HH:MM from 00:00 to 23:59, end after start when both are given; a known state; agenda
 * ids >= 1, none twice; attendees named, a substitute named exactly for a stedfortræder,
 * arrival and departure only for who took part, not departing before arriving; a cancellation
 * reason exactly for a cancelled meeting. Returns 0, or ERR_SYNTAX for the first problem with
 * a Danish message that starts with the field: "slut: skal ligge efter start (10:00)". */
int meeting_check(const struct meeting *m, struct err *e);

#endif
