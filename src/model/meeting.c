/* meeting: allocation, the agenda, copying, equality and the checks of a meeting. */
#include "meeting.h"
#include "grow.h"
#include "../util/buf.h"
#include "../util/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *label;
} statuses[] = {
    [ATTENDEE_PRESENT] = {"present", "Til stede"},
    [ATTENDEE_AFBUD] = {"afbud", "Afbud"},
    [ATTENDEE_FRAVAERENDE] = {"fravaerende", "Fraværende"},
    [ATTENDEE_STEDFORTRAEDER] = {"stedfortraeder", "Stedfortræder"},
};

#define NSTATUSES (sizeof statuses / sizeof statuses[0])

static bool status_ok(int status)
{
    return status >= 0 && (size_t)status < NSTATUSES;
}

const char *attendee_status_name(int status)
{
    return status_ok(status) ? statuses[status].name : NULL;
}

const char *attendee_status_label(int status)
{
    return status_ok(status) ? statuses[status].label : NULL;
}

int attendee_status_parse(const char *name)
{
    for (size_t i = 0; name && i < NSTATUSES; i++)
        if (strcmp(statuses[i].name, name) == 0)
            return (int)i;
    return -1;
}

struct meeting *meeting_new(void)
{
    return xcalloc(1, sizeof(struct meeting));
}

static void attendee_fini(struct attendee *a)
{
    free(a->name);
    free(a->role);
    free(a->substitute);
    free(a->remark);
}

void meeting_free(struct meeting *m)
{
    if (!m)
        return;
    free(m->body_code);
    free(m->date);
    free(m->start);
    free(m->end);
    free(m->place);
    free(m->cancel_reason);
    free(m->cases);
    for (size_t i = 0; i < m->nattendees; i++)
        attendee_fini(&m->attendees[i]);
    free(m->attendees);
    free(m);
}

struct attendee *meeting_add_attendee(struct meeting *m)
{
    return GROW(m->attendees, m->nattendees);
}

/* --- the agenda -------------------------------------------------------------------------- */

ptrdiff_t meeting_case_index(const struct meeting *m, int64_t case_id)
{
    for (size_t i = 0; i < m->ncases; i++)
        if (m->cases[i] == case_id)
            return (ptrdiff_t)i;
    return -1;
}

int meeting_add_case(struct meeting *m, int64_t case_id, struct err *e)
{
    if (case_id < 1) {
        err_set(e, ERR_SYNTAX, 0, 0, "dagsorden: ugyldigt sags-id (%lld)", (long long)case_id);
        return ERR_SYNTAX;
    }
    ptrdiff_t at = meeting_case_index(m, case_id);
    if (at >= 0) {
        err_set(e, ERR_CONFLICT, 0, 0, "dagsorden: sag %lld står der allerede (punkt %td)",
                (long long)case_id, at + 1);
        return ERR_CONFLICT;
    }
    *GROW(m->cases, m->ncases) = case_id;
    return 0;
}

static ptrdiff_t find(const struct meeting *m, int64_t case_id, struct err *e)
{
    ptrdiff_t at = meeting_case_index(m, case_id);
    if (at < 0)
        err_set(e, ERR_NOTFOUND, 0, 0, "dagsorden: sag %lld står der ikke", (long long)case_id);
    return at;
}

/* Shrinking the count keeps the array valid for GROW: the allocation stays at least the
 * capacity the smaller count implies. */
int meeting_remove_case(struct meeting *m, int64_t case_id, struct err *e)
{
    ptrdiff_t at = find(m, case_id, e);
    if (at < 0)
        return ERR_NOTFOUND;
    size_t i = (size_t)at;
    memmove(&m->cases[i], &m->cases[i + 1], (m->ncases - i - 1) * sizeof *m->cases);
    m->ncases--;
    return 0;
}

int meeting_move_case(struct meeting *m, int64_t case_id, size_t pos, struct err *e)
{
    ptrdiff_t at = find(m, case_id, e);
    if (at < 0)
        return ERR_NOTFOUND;
    if (pos >= m->ncases) {
        err_set(e, ERR_LIMIT, 0, 0, "dagsorden: kan kun flytte til plads 1-%zu", m->ncases);
        return ERR_LIMIT;
    }
    size_t i = (size_t)at;
    if (pos < i)
        memmove(&m->cases[pos + 1], &m->cases[pos], (i - pos) * sizeof *m->cases);
    else
        memmove(&m->cases[i], &m->cases[i + 1], (pos - i) * sizeof *m->cases);
    m->cases[pos] = case_id;
    return 0;
}

/* --- copying and equality ---------------------------------------------------------------- */

struct meeting *meeting_dup(const struct meeting *m)
{
    struct meeting *d = meeting_new();
    d->body_code = xstrdup(m->body_code);
    d->number = m->number;
    d->date = xstrdup(m->date);
    d->start = xstrdup(m->start);
    d->end = xstrdup(m->end);
    d->place = xstrdup(m->place);
    d->state = m->state;
    d->cancel_reason = xstrdup(m->cancel_reason);
    for (size_t i = 0; i < m->ncases; i++)
        *GROW(d->cases, d->ncases) = m->cases[i];
    for (size_t i = 0; i < m->nattendees; i++) {
        const struct attendee *s = &m->attendees[i];
        struct attendee *t = meeting_add_attendee(d);
        t->name = xstrdup(s->name);
        t->role = xstrdup(s->role);
        t->status = s->status;
        t->substitute = xstrdup(s->substitute);
        t->remark = xstrdup(s->remark);
        t->arrived = s->arrived;
        t->left = s->left;
    }
    return d;
}

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool meeting_equal(const struct meeting *a, const struct meeting *b)
{
    if (!streq(a->body_code, b->body_code) || a->number != b->number || !streq(a->date, b->date) ||
        !streq(a->start, b->start) || !streq(a->end, b->end) || !streq(a->place, b->place) ||
        a->state != b->state || !streq(a->cancel_reason, b->cancel_reason) ||
        a->ncases != b->ncases || a->nattendees != b->nattendees)
        return false;
    for (size_t i = 0; i < a->ncases; i++)
        if (a->cases[i] != b->cases[i])
            return false;
    for (size_t i = 0; i < a->nattendees; i++) {
        const struct attendee *x = &a->attendees[i], *y = &b->attendees[i];
        if (!streq(x->name, y->name) || !streq(x->role, y->role) || x->status != y->status ||
            !streq(x->substitute, y->substitute) || !streq(x->remark, y->remark) ||
            x->arrived != y->arrived || x->left != y->left)
            return false;
    }
    return true;
}

int meeting_year(const struct meeting *m)
{
    int y, mo, d;
    return date_parse_iso(m->date, &y, &mo, &d) == 0 ? y : 0;
}

/* --- checks ------------------------------------------------------------------------------ */

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Values are quoted back only once their shape is known to be digits and separators. */
static int check_date(const char *s, struct err *e)
{
    int y, m, d;
    if (!s) {
        err_set(e, ERR_SYNTAX, 0, 0, "dato: mangler");
        return ERR_SYNTAX;
    }
    if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2)) {
        err_set(e, ERR_SYNTAX, 0, 0, "dato: skal skrives ÅÅÅÅ-MM-DD");
        return ERR_SYNTAX;
    }
    if (date_parse_iso(s, &y, &m, &d) != 0) {
        err_set(e, ERR_SYNTAX, 0, 0, "dato: %s findes ikke", s);
        return ERR_SYNTAX;
    }
    return 0;
}

static int check_time(const char *field, const char *s, struct err *e)
{
    if (!s)
        return 0;
    if (strlen(s) != 5 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2)) {
        err_set(e, ERR_SYNTAX, 0, 0, "%s: skal skrives TT:MM", field);
        return ERR_SYNTAX;
    }
    if ((s[0] - '0') * 10 + (s[1] - '0') > 23 || s[3] > '5') {
        err_set(e, ERR_SYNTAX, 0, 0, "%s: %s findes ikke (00:00-23:59)", field, s);
        return ERR_SYNTAX;
    }
    return 0;
}

struct slot {
    int64_t id;
    size_t pos;
};

static int by_id_then_pos(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sorting a copy keeps the check O(n log n) on long agendas. The problem reported is the
 * earliest position that repeats an id, so the message does not depend on the sort. */
static int check_agenda(const struct meeting *m, struct err *e)
{
    for (size_t i = 0; i < m->ncases; i++)
        if (m->cases[i] < 1) {
            err_set(e, ERR_SYNTAX, 0, 0, "dagsorden, punkt %zu: ugyldigt sags-id (%lld)", i + 1,
                    (long long)m->cases[i]);
            return ERR_SYNTAX;
        }
    if (m->ncases < 2)
        return 0;
    struct slot *v = xmalloc(m->ncases * sizeof *v);
    for (size_t i = 0; i < m->ncases; i++)
        v[i] = (struct slot){m->cases[i], i};
    qsort(v, m->ncases, sizeof *v, by_id_then_pos);
    size_t first = 0, bad = m->ncases, bad_first = 0;
    for (size_t i = 1; i < m->ncases; i++) {
        if (v[i].id != v[i - 1].id)
            first = i;
        else if (v[i].pos < bad) {
            bad = v[i].pos;
            bad_first = v[first].pos;
        }
    }
    free(v);
    if (bad == m->ncases)
        return 0;
    err_set(e, ERR_SYNTAX, 0, 0, "dagsorden, punkt %zu: sag %lld står der også som punkt %zu",
            bad + 1, (long long)m->cases[bad], bad_first + 1);
    return ERR_SYNTAX;
}

/* Attendees are named by their place in the list, not by name: a message may be shown
 * where the list is not. */
static int check_attendee(const struct attendee *a, size_t n, struct err *e)
{
    const char *problem = NULL;
    char field[64];
    snprintf(field, sizeof field, "deltager %zu", n);
    if (!status_ok((int)a->status)) {
        err_set(e, ERR_SYNTAX, 0, 0, "%s, status: ukendt (%d)", field, (int)a->status);
        return ERR_SYNTAX;
    }
    bool took_part = a->status == ATTENDEE_PRESENT || a->status == ATTENDEE_STEDFORTRAEDER;
    if (blank(a->name))
        problem = "navn: mangler";
    else if (a->status == ATTENDEE_STEDFORTRAEDER && blank(a->substitute))
        problem = "stedfortræder: navnet mangler";
    else if (a->status != ATTENDEE_STEDFORTRAEDER && a->substitute)
        problem = "stedfortræder: kun for status stedfortraeder";
    else if (!took_part && a->arrived)
        problem = "ankom: kun for den, der deltog";
    else if (!took_part && a->left)
        problem = "gik: kun for den, der deltog";
    if (problem) {
        err_set(e, ERR_SYNTAX, 0, 0, "%s, %s", field, problem);
        return ERR_SYNTAX;
    }
    if (a->arrived && a->left && a->left < a->arrived) {
        err_set(e, ERR_SYNTAX, 0, 0, "%s, gik: punkt %u ligger før ankom (punkt %u)", field,
                a->left, a->arrived);
        return ERR_SYNTAX;
    }
    return 0;
}

int meeting_check(const struct meeting *m, struct err *e)
{
    int rc;
    if (blank(m->body_code)) {
        err_set(e, ERR_SYNTAX, 0, 0, "organ: mangler");
        return ERR_SYNTAX;
    }
    if ((rc = check_date(m->date, e)) || (rc = check_time("start", m->start, e)) ||
        (rc = check_time("slut", m->end, e)))
        return rc;
    if (m->start && m->end && strcmp(m->end, m->start) <= 0) {
        err_set(e, ERR_SYNTAX, 0, 0, "slut: skal ligge efter start (%s)", m->start);
        return ERR_SYNTAX;
    }
    if (!wf_state_name(&wf_meeting, (int)m->state)) {
        err_set(e, ERR_SYNTAX, 0, 0, "tilstand: ukendt (%d)", (int)m->state);
        return ERR_SYNTAX;
    }
    if (m->state == WF_MEETING_AFLYST && blank(m->cancel_reason)) {
        err_set(e, ERR_SYNTAX, 0, 0, "aflysningsgrund: mangler for et aflyst møde");
        return ERR_SYNTAX;
    }
    if (m->state != WF_MEETING_AFLYST && m->cancel_reason) {
        err_set(e, ERR_SYNTAX, 0, 0, "aflysningsgrund: kun for et aflyst møde");
        return ERR_SYNTAX;
    }
    if ((rc = check_agenda(m, e)))
        return rc;
    for (size_t i = 0; i < m->nattendees; i++)
        if ((rc = check_attendee(&m->attendees[i], i + 1, e)))
            return rc;
    return 0;
}
