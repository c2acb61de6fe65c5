/* feed_ical: iCalendar feeds of meetings made with libical, for all bodies (/kalender.ics)
 * and per body (/organ/CODE/kalender.ics). A meeting with a start and an end is a timed event
 * in Europe/Copenhagen (with its VTIMEZONE) at its place; one without is an all-day event; a
 * cancelled one is STATUS:CANCELLED. Its cases (the tillægsdagsorden marked) and the
 * sub-items that have times are in the description. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "../store/store.h"
#include "../util/date.h"
#include "web.h"

#define MAX_MEETINGS 500
#define MAX_TIMES 20 /* issue 11, paging */

/* What the feed tells of one meeting: its cases ag[0..nag) and its timetable tm[0..nt), of
 * which at most MAX_TIMES are shown (nt is at most one more). */
static void describe(const struct store_feed_line *ag, size_t nag,
                     const struct store_feed_line *tm, size_t nt, struct buf *d)
{
    buf_puts(d, "Sager:\n");
    for (size_t i = 0; i < nag; i++)
        buf_printf(d, "%zu. %s%s%s\n", i + 1, ag[i].title ? ag[i].title : "(uden titel)",
                   ag[i].public ? "" : " (lukket sag)",
                   ag[i].supplement ? " (tillægsdagsorden)" : "");
    if (nt) {
        buf_puts(d, "\nTidsplan:\n");
        /* A long day's timetable is cut, so one event stays a few KB: the meeting's page
         * has all of it. */
        for (size_t i = 0; i < nt && i < MAX_TIMES; i++)
            buf_printf(d, "%s %s\n", tm[i].time, tm[i].title ? tm[i].title : "");
        if (nt > MAX_TIMES) /* one more was read to know */
            buf_puts(d, "... og flere punkter (se mødet)\n");
    }
}

/* The run of lines of meeting id at *at (the lines come grouped in the feed's order); *at
 * moves past it. */
static size_t lines_of(int64_t id, const struct store_feed_line *v, size_t n, size_t *at)
{
    size_t first = *at;
    while (*at < n && v[*at].meeting_id == id)
        (*at)++;
    return *at - first;
}

/* ---- issue 11, paging: the feed is a window of dates, [from, to) ----
 * Default: the 60 months before this month and the 24 after it (server clock), so a
 * subscriber sees the recent archive and what is planned. ?aar=YYYY is one year;
 * ?fra=YYYY-MM-DD&til=YYYY-MM-DD (both days included) at most MAX_WINDOW_DAYS. Anything else
 * answers 400 with what was expected. Within a window, the newest MAX_MEETINGS. */
#define MAX_WINDOW_DAYS 1830
static long day_number(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    return (long)(timegm(&tm) / 86400);
}

static bool window(const struct web_request *req, struct web_response *res, char from[24],
                   char to[24])
{
    const char *aar = web_arg(req, "aar"), *fra = web_arg(req, "fra"), *til = web_arg(req, "til");
    int y, m, d, y2, m2, d2;
    if (aar) {
        if (fra || til || strlen(aar) != 4 || strspn(aar, "0123456789") != 4 ||
            (y = atoi(aar)) < 1000) {
            web_error_page(res, 400, "aar skal være et årstal med fire cifre, fx aar=2024 "
                                     "(og kan ikke kombineres med fra og til).");
            return false;
        }
        snprintf(from, 24, "%04d-01-01", y);
        snprintf(to, 24, "%04d-01-01", (y + 1) % 100000);
        return true;
    }
    if (fra || til) {
        if (date_parse_iso(fra, &y, &m, &d) != 0 || date_parse_iso(til, &y2, &m2, &d2) != 0) {
            web_error_page(res, 400, "fra og til skal begge være datoer som 2024-01-31.");
            return false;
        }
        long span = day_number(y2, m2, d2) - day_number(y, m, d);
        if (span < 0 || span >= MAX_WINDOW_DAYS) {
            web_error_page(res, 400, "til skal ligge efter fra, og vinduet må højst være 1830 "
                                     "dage (fem år).");
            return false;
        }
        snprintf(from, 24, "%s", fra);
        /* til is included: the window ends the day after. */
        struct tm tm = {.tm_year = y2 - 1900, .tm_mon = m2 - 1, .tm_mday = d2 + 1, .tm_hour = 12};
        time_t t = timegm(&tm);
        gmtime_r(&t, &tm);
        strftime(to, 24, "%Y-%m-%d", &tm);
        return true;
    }
    char today[11];
    web_today(today);
    if (date_parse_iso(today, &y, &m, &d) != 0)
        y = 1970, m = 1;
    snprintf(from, 24, "%04d-%02d-01", (y - 5) % 10000, m % 100);
    snprintf(to, 24, "%04d-%02d-01", (y + 2) % 10000, m % 100);
    return true;
}

/* The time of day "HH:MM" on y-m-d in zone, or false. */
static bool local_time(int y, int mo, int d, const char *hhmm, icaltimezone *zone,
                       struct icaltimetype *out)
{
    int t = store_time_minutes(hhmm);
    if (t < 0)
        return false;
    struct icaltimetype v = icaltime_null_time();
    v.year = y;
    v.month = mo;
    v.day = d;
    v.hour = t / 60;
    v.minute = t % 60;
    *out = icaltime_set_timezone(&v, zone);
    return true;
}

/* DTSTART/DTEND with TZID=Europe/Copenhagen, the name calendar programs know. */
static icalproperty *with_tzid(icalproperty *p)
{
    icalproperty_add_parameter(p, icalparameter_new_tzid("Europe/Copenhagen"));
    return p;
}

void feed_ical(const struct web_request *req, struct web_response *res)
{
    struct store_meeting *m = NULL;
    size_t nm = 0;
    struct err e = {0};
    int rc = ERR_DB;
    const char *code = req->nseg == 3 ? req->seg[1] : NULL;
    icalcomponent *cal = NULL;
    struct store_feed_line *ag = NULL, *tm = NULL;
    size_t nag = 0, ntm = 0;
    if (!req->store) {
        web_fail(res, rc, false, NULL, NULL);
        goto done;
    }
    char from[24], to[24];
    if (!window(req, res, from, to))
        goto done;
    struct store_page pg = {0, MAX_MEETINGS};
    rc = store_meetings_between(req->store, code, from, to, NULL, &pg, &m, &nm, NULL, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet udvalg med den kode.", &e);
        goto done;
    }
    if (code && nm == 0) {
        /* Tell an unknown body from one without meetings. */
        struct store_body body = {0};
        bool known = store_body_get(req->store, code, &body, &e) == 0 &&
                     strcmp(body.code, code) == 0;
        store_body_fini(&body);
        if (!known) {
            web_error_page(res, 404, "Der er intet udvalg med den kode.");
            goto done;
        }
    }

    cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(
        cal, icalproperty_new_prodid("-//Referat//Referat " REFERAT_VERSION "//DA"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalproperty *name = icalproperty_new_x(code ? code : "Referat: alle møder");
    icalproperty_set_x_name(name, "X-WR-CALNAME");
    icalcomponent_add_property(cal, name);
    /* ---- issue 11, archive routes: every meeting's cases and times in two statements.
     * Feeds are public whoever fetches them: calendar programs share them, caches keep
     * them (reader NULL). ---- */
    int64_t *ids = xcalloc(nm ? nm : 1, sizeof *ids);
    for (size_t i = 0; i < nm; i++)
        ids[i] = m[i].id;
    if (store_feed_agendas(req->store, ids, nm, NULL, &ag, &nag, &e) < 0 ||
        store_feed_times(req->store, ids, nm, NULL, MAX_TIMES + 1, &tm, &ntm, &e) < 0) {
        free(ids);
        web_fail(res, ERR_DB, false, NULL, &e);
        goto done;
    }
    free(ids);
    size_t ai = 0, ti = 0;
    struct icaltimetype now = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
    icaltimezone *cph = icaltimezone_get_builtin_timezone("Europe/Copenhagen");
    bool timed_any = false;
    for (size_t i = 0; i < nm; i++) {
        int y, mo, d;
        size_t a0 = ai, t0 = ti;
        size_t na = lines_of(m[i].id, ag, nag, &ai), nt = lines_of(m[i].id, tm, ntm, &ti);
        if (date_parse_iso(m[i].date, &y, &mo, &d) != 0)
            continue;
        icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
        char uid[64], path[48];
        snprintf(uid, sizeof uid, "moede-%lld@referat", (long long)m[i].id);
        snprintf(path, sizeof path, "/moede/%lld", (long long)m[i].id);
        icalcomponent_add_property(ev, icalproperty_new_uid(uid));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(now));
        struct icaltimetype start = icaltime_null_date(), end;
        if (cph && m[i].start && m[i].end && local_time(y, mo, d, m[i].start, cph, &start) &&
            local_time(y, mo, d, m[i].end, cph, &end)) {
            icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtstart(start)));
            icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtend(end)));
            timed_any = true;
        } else {
            start = icaltime_null_date();
            start.year = y;
            start.month = mo;
            start.day = d;
            start.is_date = 1;
            end = start;
            icaltime_adjust(&end, 1, 0, 0, 0);
            icalcomponent_add_property(ev, icalproperty_new_dtstart(start));
            icalcomponent_add_property(ev, icalproperty_new_dtend(end));
        }
        if (m[i].place)
            icalcomponent_add_property(ev, icalproperty_new_location(m[i].place));
        if (m[i].state && strcmp(m[i].state, "aflyst") == 0)
            icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
        struct buf s = BUF_INIT;
        buf_printf(&s, "Møde i %s", m[i].body_name ? m[i].body_name : m[i].body);
        icalcomponent_add_property(ev, icalproperty_new_summary(buf_cstr(&s)));
        buf_truncate(&s, 0);
        if (m[i].cancel_reason)
            buf_printf(&s, "Mødet er aflyst: %s\n\n", m[i].cancel_reason);
        describe(ag ? ag + a0 : NULL, na, tm ? tm + t0 : NULL, nt, &s);
        icalcomponent_add_property(ev, icalproperty_new_description(buf_cstr(&s)));
        buf_truncate(&s, 0);
        web_abs_url(&s, req, path);
        icalcomponent_add_property(ev, icalproperty_new_url(buf_cstr(&s)));
        buf_free(&s);
        icalcomponent_add_component(cal, ev);
    }
    if (timed_any) {
        /* The zone's rules, under the TZID the events name. */
        icalcomponent *tz = icalcomponent_new_clone(icaltimezone_get_component(cph));
        icalproperty *id = icalcomponent_get_first_property(tz, ICAL_TZID_PROPERTY);
        if (id)
            icalproperty_set_tzid(id, "Europe/Copenhagen");
        icalcomponent_add_component(cal, tz);
    }
    char *text = icalcomponent_as_ical_string_r(cal);
    res->type = "text/calendar; charset=utf-8";
    buf_puts(&res->body, text ? text : "");
    free(text);
done:
    if (cal)
        icalcomponent_free(cal);
    store_feed_lines_free(ag, nag);
    store_feed_lines_free(tm, ntm);
    store_meetings_free(m, nm);
}
