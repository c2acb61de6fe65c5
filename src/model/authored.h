/* authored: what a case written in referat (a form or the write API) must hold beyond what
 * the readers accept from published minutes: a title, a public title for a closed case,
 * times of day that exist, guests with a name and a plausible e-mail, and sub-items inside
 * their meeting. Imported minutes are taken as published and are not checked here. No I/O. */
#ifndef REFERAT_AUTHORED_H
#define REFERAT_AUTHORED_H

#include <stdbool.h>
#include <stddef.h>

struct case_doc;

/* Where the first problem is: field is a member of the JSON model (docs/json.md): "title",
 * "public_title", or of a sub-item ("time", "duration", "title") or of its guest
 * ("name", "email"); subitem and guest are 0-based, SIZE_MAX where they do not apply. */
struct authored_problem {
    const char *field;
    size_t subitem, guest;
    const char *message; /* Danish, for the person who wrote it */
    /* ---- issue 9, decisions: a problem in decision `decision`'s entry `entry` (0-based),
     * at its follow-up `followup` (SIZE_MAX: the entry itself); only when in_decision. ---- */
    bool in_decision;
    size_t decision, entry, followup;
};

/* 0 when c may be saved as authored content of a meeting from meeting_start to meeting_end
 * (minutes since midnight, TT_NONE when not set), else -1 with *p the first problem. A slot
 * that starts before the meeting, or at or after its end, is outside it; one that merely
 * runs past the end is a warning for the timetable (timetable.h), not a refusal. */
int authored_check(const struct case_doc *c, int meeting_start, int meeting_end,
                   struct authored_problem *p);

/* The problem's place as a JSON path: "$.subitems[1].guests[0].email". */
void authored_path(const struct authored_problem *p, char *out, size_t cap);

#endif
