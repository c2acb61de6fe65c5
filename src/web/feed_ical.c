/* feed_ical: iCalendar feeds of meetings made with libical, for all bodies (/kalender.ics)
 * and per body (/organ/CODE/kalender.ics). A meeting with a start and an end is a timed event
 * in Europe/Copenhagen (with its VTIMEZONE) at its place; one without is an all-day event; a
 * cancelled one is STATUS:CANCELLED. Its cases (the tillægsdagsorden marked) and the
 * sub-items that have times are in the description. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "../store/store.h"
#include "../util/date.h"
#include "web.h"

#define MAX_MEETINGS 500

static void describe(const struct web_request *req, int64_t meeting, struct buf *d)
{
    struct store_agenda_item *items = NULL;
    size_t n = 0;
    struct err e = {0};
    /* Feeds are public whoever fetches them: calendar programs share them, caches keep them. */
    if (store_agenda(req->store, meeting, NULL, &items, &n, &e) < 0)
        return;
    buf_puts(d, "Sager:\n");
    struct buf times = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        const struct store_case_ref *r = &items[i].ref;
        buf_printf(d, "%u. %s%s%s\n", items[i].number, r->title ? r->title : "(uden titel)",
                   r->public ? "" : " (lukket sag)",
                   items[i].supplement ? " (tillægsdagsorden)" : "");
        struct case_doc *c = NULL;
        if (!r->public || store_case_get(req->store, r->id, NULL, &c, &e) < 0)
            continue;
        for (size_t k = 0; k < c->nsubitems; k++)
            if (c->subitems[k].time)
                buf_printf(&times, "%s %s\n", c->subitems[k].time,
                           c->subitems[k].title ? c->subitems[k].title : "");
        case_free(c);
    }
    if (times.len) {
        buf_puts(d, "\nTidsplan:\n");
        buf_put(d, times.ptr, times.len);
    }
    buf_free(&times);
    store_agenda_free(items, n);
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
    if (!req->store) {
        web_fail(res, rc, false, NULL, NULL);
        goto done;
    }
    struct store_page pg = {0, MAX_MEETINGS};
    rc = store_meetings(req->store, code, 0, NULL, &pg, &m, &nm, NULL, &e);
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
    struct icaltimetype now = icaltime_current_time_with_zone(icaltimezone_get_utc_timezone());
    icaltimezone *cph = icaltimezone_get_builtin_timezone("Europe/Copenhagen");
    bool timed_any = false;
    for (size_t i = 0; i < nm; i++) {
        int y, mo, d;
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
        describe(req, m[i].id, &s);
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
    store_meetings_free(m, nm);
}
