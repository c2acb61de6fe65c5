/* timetable: computing a meeting's time plan (see timetable.h). */
#include "timetable.h"

#include <stdio.h>
#include <string.h>

int tt_parse(const char *s)
{
    int h = 0, m = 0, digits = 0;
    if (!s)
        return -1;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && digits < 2) {
        h = h * 10 + (*p++ - '0');
        digits++;
    }
    if (!digits)
        return -1;
    if (*p == '.' || *p == ':') {
        p++;
        if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'))
            return -1;
        m = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
    }
    if (*p || h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

void tt_format(int minutes, char out[6])
{
    if (minutes < 0 || minutes >= 24 * 60) {
        out[0] = '\0';
        return;
    }
    snprintf(out, 6, "%02d.%02d", minutes / 60, minutes % 60);
}

void tt_compute(struct timetable *t)
{
    int prev_end = t->start;
    bool first = true;
    for (size_t i = 0; i < t->nslots; i++) {
        struct tt_slot *s = &t->slots[i];
        s->problems = 0;
        s->start = s->given_start >= 0 ? s->given_start : prev_end;
        if (s->start == TT_NONE) {
            s->problems |= TT_UNKNOWN;
            s->end = TT_NONE;
        } else {
            s->end = s->duration ? s->start + (int)s->duration : TT_NONE;
            /* Against the slot before: only where both ends of the comparison are known. */
            if (!first && prev_end != TT_NONE && s->given_start >= 0) {
                if (s->start < prev_end)
                    s->problems |= TT_OVERLAP;
                else if (s->start > prev_end)
                    s->problems |= TT_GAP;
            }
            if (t->start != TT_NONE && s->start < t->start)
                s->problems |= TT_BEFORE_START;
            if (t->end != TT_NONE && s->end != TT_NONE && s->end > t->end)
                s->problems |= TT_PAST_END;
        }
        prev_end = s->end;
        first = false;
    }
}

void tt_reflow(struct timetable *t)
{
    int at = t->nslots && t->slots[0].given_start >= 0 ? t->slots[0].given_start : t->start;
    for (size_t i = 0; i < t->nslots; i++) {
        struct tt_slot *s = &t->slots[i];
        if (!s->duration) {
            /* An unplanned slot keeps what it had; having no end, nothing can follow it. */
            at = TT_NONE;
            continue;
        }
        if (at != TT_NONE)
            s->given_start = at;
        at = s->given_start >= 0 ? s->given_start + (int)s->duration : TT_NONE;
    }
    tt_compute(t);
}

void tt_move(struct timetable *t, size_t from, size_t to)
{
    if (from >= t->nslots || to >= t->nslots || from == to)
        return;
    struct tt_slot keep = t->slots[from];
    if (from < to)
        memmove(&t->slots[from], &t->slots[from + 1], (to - from) * sizeof keep);
    else
        memmove(&t->slots[to + 1], &t->slots[to], (from - to) * sizeof keep);
    t->slots[to] = keep;
}

size_t tt_problems(const struct timetable *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nslots; i++)
        n += t->slots[i].problems != 0;
    return n;
}

const char *tt_problem_label(unsigned bit)
{
    switch (bit) {
    case TT_OVERLAP: return "overlapper det forrige punkt";
    case TT_GAP: return "der er en pause før punktet";
    case TT_PAST_END: return "slutter efter mødets sluttidspunkt";
    case TT_BEFORE_START: return "begynder før mødet";
    case TT_UNKNOWN: return "har intet starttidspunkt (punktet før har ingen varighed)";
    default: return "";
    }
}
