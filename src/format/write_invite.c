/* write_invite: a guest's invitation as iCalendar with libical (format/invite.h): METHOD,
 * the zone's VTIMEZONE from libical's time zone database, one VEVENT. */
#include "invite.h"
#include "../util/date.h"

#include <libical/ical.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(struct err *e, const char *what)
{
    err_set(e, ERR_USAGE, 0, 0, "invitation: %s", what);
    return ERR_USAGE;
}

/* "2024-01-05T10:30" as a floating icaltime (the TZID parameter names its zone). */
static bool local_time(const char *s, struct icaltimetype *t)
{
    time_t ignored;
    if (date_local_instant(s, DATE_TZID, &ignored) != 0)
        return false;
    *t = icaltime_null_time();
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d", &t->year, &t->month, &t->day, &t->hour, &t->minute) != 5)
        return false;
    return true;
}

static icalproperty *with_tzid(icalproperty *p, const char *tzid)
{
    icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
    return p;
}

static char *mailto(const char *addr)
{
    size_t n = strlen(addr) + 8;
    char *s = xmalloc(n);
    snprintf(s, n, "mailto:%s", addr);
    return s;
}

/* The zone's definition as libical knows it, under the plain IANA name (libical's own
 * TZIDs carry a prefix that calendar programs do not recognise). */
static icalcomponent *vtimezone(icaltimezone *tz, const char *tzid)
{
    icalcomponent *c = icalcomponent_new_clone(icaltimezone_get_component(tz));
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
    if (p)
        icalproperty_set_tzid(p, tzid);
    else
        icalcomponent_add_property(c, icalproperty_new_tzid(tzid));
    return c;
}

int fmt_invite_ics(const struct invite *iv, struct buf *out, struct err *e)
{
    const char *tzid = iv->tzid ? iv->tzid : DATE_TZID;
    bool cancel = iv->method && strcmp(iv->method, "CANCEL") == 0;
    struct icaltimetype start, end;
    time_t t0, t1;
    if (!iv->method || (!cancel && strcmp(iv->method, "REQUEST") != 0))
        return bad(e, "method: expected REQUEST or CANCEL");
    if (!iv->uid || !*iv->uid)
        return bad(e, "uid: missing");
    if (!iv->organizer || !*iv->organizer)
        return bad(e, "organizer: the secretariat's e-mail (municipality.email or smtp.from) "
                      "is not set");
    if (!iv->attendee || !*iv->attendee)
        return bad(e, "attendee: missing");
    icaltimezone *tz = icaltimezone_get_builtin_timezone(tzid);
    if (!tz)
        return bad(e, "unknown time zone");
    if (!iv->start || !local_time(iv->start, &start) || !iv->end || !local_time(iv->end, &end))
        return bad(e, "start and end: expected local times YYYY-MM-DDTHH:MM");
    if (date_local_instant(iv->start, tzid, &t0) != 0 ||
        date_local_instant(iv->end, tzid, &t1) != 0 || t1 < t0)
        return bad(e, "end: before the start");

    icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
    icalcomponent_add_property(cal, icalproperty_new_prodid("-//Referat//Referat "
                                                            REFERAT_VERSION "//DA"));
    icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
    icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
    icalcomponent_add_property(cal, icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL
                                                                   : ICAL_METHOD_REQUEST));
    icalcomponent_add_component(cal, vtimezone(tz, tzid));

    icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(iv->uid));
    icalcomponent_add_property(ev, icalproperty_new_sequence(iv->sequence));
    icalcomponent_add_property(
        ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
                iv->dtstamp, 0, icaltimezone_get_utc_timezone())));
    icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtstart(start), tzid));
    icalcomponent_add_property(ev, with_tzid(icalproperty_new_dtend(end), tzid));
    char *who = mailto(iv->organizer);
    icalproperty *org = icalproperty_new_organizer(who);
    free(who);
    if (iv->organizer_name && *iv->organizer_name)
        icalproperty_add_parameter(org, icalparameter_new_cn(iv->organizer_name));
    icalcomponent_add_property(ev, org);
    who = mailto(iv->attendee);
    icalproperty *att = icalproperty_new_attendee(who);
    free(who);
    if (iv->attendee_name && *iv->attendee_name)
        icalproperty_add_parameter(att, icalparameter_new_cn(iv->attendee_name));
    icalproperty_add_parameter(att, icalparameter_new_cutype(ICAL_CUTYPE_INDIVIDUAL));
    icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter(att, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
    icalproperty_add_parameter(att, icalparameter_new_rsvp(cancel ? ICAL_RSVP_FALSE
                                                                  : ICAL_RSVP_TRUE));
    icalcomponent_add_property(ev, att);
    if (iv->summary && *iv->summary)
        icalcomponent_add_property(ev, icalproperty_new_summary(iv->summary));
    if (iv->location && *iv->location)
        icalcomponent_add_property(ev, icalproperty_new_location(iv->location));
    if (iv->description && *iv->description)
        icalcomponent_add_property(ev, icalproperty_new_description(iv->description));
    if (iv->url && *iv->url)
        icalcomponent_add_property(ev, icalproperty_new_url(iv->url));
    icalcomponent_add_property(ev, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED
                                                                  : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
    icalcomponent_add_component(cal, ev);

    char *text = icalcomponent_as_ical_string_r(cal);
    buf_puts(out, text ? text : "");
    free(text);
    icalcomponent_free(cal);
    return 0;
}
