/* authored: the checks on a case written in referat (authored.h). */
#include "authored.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "../util/email.h"
#include "case.h"
#include "timetable.h"

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static int fail(struct authored_problem *p, const char *field, size_t sub, size_t guest,
                const char *message)
{
    *p = (struct authored_problem){.field = field, .subitem = sub, .guest = guest,
                                   .message = message}; /* named: issue 9 added fields */
    return -1;
}

/* ---- issue 9, decisions: an entry points at a sub-item of the case (or none: 0), and no
 * follow-up is due before the decision's date (ISO dates compare as strings). ---- */
static int decision_fail(struct authored_problem *p, const char *field, size_t d, size_t e,
                         size_t f, const char *message)
{
    *p = (struct authored_problem){field, SIZE_MAX, SIZE_MAX, message, true, d, e, f};
    return -1;
}

static int decisions_check(const struct case_doc *c, struct authored_problem *p)
{
    for (size_t d = 0; d < c->ndecisions; d++) {
        const struct decision *dc = &c->decisions[d];
        bool dated = dc->date && strlen(dc->date) == 10;
        for (size_t i = 0; i < dc->nentries; i++) {
            const struct entry *en = &dc->entries[i];
            if (en->subitem > c->nsubitems)
                return decision_fail(p, "subitem", d, i, SIZE_MAX,
                                     "Beslutningen hører til et punkt, der ikke er på sagen.");
            for (size_t f = 0; dated && f < en->nfollowups; f++) {
                const char *due = en->followups[f].due;
                if (due && strlen(due) == 10 && strcmp(due, dc->date) < 0)
                    return decision_fail(p, "due", d, i, f,
                                         "Fristen ligger før mødet: vælg en dato fra mødets "
                                         "dato og frem.");
            }
        }
    }
    return 0;
}
/* ---- end issue 9, decisions ---- */

int authored_check(const struct case_doc *c, int meeting_start, int meeting_end,
                   struct authored_problem *p)
{
    if (blank(c->title))
        return fail(p, "title", SIZE_MAX, SIZE_MAX, "Sagen skal have en titel.");
    if (!c->public && blank(c->public_title))
        return fail(p, "public_title", SIZE_MAX, SIZE_MAX,
                    "En lukket sag skal have en offentlig titel, som borgerne ser i stedet.");
    /* Where each slot starts, to tell whether it lies inside the meeting. */
    struct timetable t = {meeting_start, meeting_end, NULL, 0};
    if (c->nsubitems)
        t.slots = xcalloc(c->nsubitems, sizeof *t.slots);
    int rc = 0;
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        int start = TT_NONE;
        if (blank(s->title))
            rc = fail(p, "title", i, SIZE_MAX, "Punktet skal have en titel.");
        else if (s->time && (start = tt_parse(s->time)) < 0)
            rc = fail(p, "time", i, SIZE_MAX,
                      "Forventede et klokkeslæt, der findes, som 10.30 eller 10:30.");
        else if (s->duration > 24 * 60)
            rc = fail(p, "duration", i, SIZE_MAX, "Varigheden skal være højst et døgn.");
        for (size_t j = 0; j < s->nguests && rc == 0; j++) {
            const struct guest *g = &s->guests[j];
            if (blank(g->name))
                rc = fail(p, "name", i, j, "Gæsten skal have et navn.");
            else if (g->email && !email_ok(g->email))
                rc = fail(p, "email", i, j, "Forventede en e-mailadresse som navn@kommune.dk.");
        }
        if (rc < 0)
            goto done;
        t.slots[t.nslots++] = (struct tt_slot){.given_start = start, .duration = s->duration};
    }
    tt_compute(&t);
    for (size_t i = 0; i < t.nslots && rc == 0; i++) {
        const struct tt_slot *s = &t.slots[i];
        if (s->start == TT_NONE)
            continue;
        if (meeting_start != TT_NONE && s->start < meeting_start)
            rc = fail(p, "time", i, SIZE_MAX, "Punktet begynder, før mødet begynder.");
        else if (meeting_end != TT_NONE && s->start >= meeting_end)
            rc = fail(p, "time", i, SIZE_MAX, "Punktet begynder, efter mødet er slut.");
    }
    if (rc == 0) /* issue 9, decisions */
        rc = decisions_check(c, p);
done:
    free(t.slots);
    return rc;
}

void authored_path(const struct authored_problem *p, char *out, size_t cap)
{
    if (p->in_decision) { /* issue 9, decisions */
        if (p->followup == SIZE_MAX)
            snprintf(out, cap, "$.decisions[%zu].entries[%zu].%s", p->decision, p->entry,
                     p->field);
        else
            snprintf(out, cap, "$.decisions[%zu].entries[%zu].followups[%zu].%s", p->decision,
                     p->entry, p->followup, p->field);
    } else if (p->subitem == SIZE_MAX)
        snprintf(out, cap, "$.%s", p->field);
    else if (p->guest == SIZE_MAX)
        snprintf(out, cap, "$.subitems[%zu].%s", p->subitem, p->field);
    else
        snprintf(out, cap, "$.subitems[%zu].guests[%zu].%s", p->subitem, p->guest, p->field);
}
