/* icscheck: reads one iCalendar object (a file, or stdin) with libical and prints what an
 * invitation test asserts as one JSON object: method, the VTIMEZONE's TZID, and the first
 * VEVENT's uid, sequence, status, organizer, attendee and DTSTART/DTEND both as written
 * (local time, TZID) and as instants (seconds since the epoch, by the calendar's own
 * VTIMEZONE). Exit 1 when libical cannot parse it or an error property is in it. */
#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(FILE *f)
{
    size_t n = 0, cap = 4096;
    char *p = malloc(cap);
    size_t k;
    while (p && (k = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n < 2)
            p = realloc(p, cap *= 2);
    }
    if (p)
        p[n] = '\0';
    return p;
}

static json_t *str(icalcomponent *c, icalproperty_kind k)
{
    icalproperty *p = icalcomponent_get_first_property(c, k);
    const char *v = p ? icalproperty_get_value_as_string(p) : NULL;
    return v ? json_string(v) : json_null();
}

static void when(json_t *o, const char *name, icalcomponent *cal, icalcomponent *ev,
                 icalproperty_kind k)
{
    icalproperty *p = icalcomponent_get_first_property(ev, k);
    if (!p)
        return;
    struct icaltimetype t = k == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart(p)
                                                        : icalproperty_get_dtend(p);
    icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
    icaltimezone *tz = tzid ? icalcomponent_get_timezone(cal, tzid) : NULL;
    char local[32];
    snprintf(local, sizeof local, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour,
             t.minute);
    json_t *w = json_pack("{s:s,s:s?}", "local", local, "tzid", tzid);
    time_t at = tz ? icaltime_as_timet_with_zone(t, tz) : 0;
    json_object_set_new(w, "epoch", tz ? json_integer((json_int_t)at) : json_null());
    json_object_set_new(o, name, w);
}

int main(int argc, char **argv)
{
    FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    char *text = slurp(f);
    if (f != stdin)
        fclose(f);
    icalcomponent *cal = text ? icalparser_parse_string(text) : NULL;
    free(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        fputs("icscheck: not an iCalendar object\n", stderr);
        return 1;
    }
    int errors = icalcomponent_count_errors(cal);
    json_t *o = json_object();
    icalproperty_method m = icalcomponent_get_method(cal);
    json_object_set_new(o, "method", m == ICAL_METHOD_NONE
                                         ? json_null()
                                         : json_string(icalenum_method_to_string(m)));
    icalcomponent *tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
    json_object_set_new(o, "vtimezone", tz ? str(tz, ICAL_TZID_PROPERTY) : json_null());
    icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
    if (ev) {
        json_object_set_new(o, "uid", str(ev, ICAL_UID_PROPERTY));
        json_object_set_new(o, "sequence", json_integer(icalcomponent_get_sequence(ev)));
        json_object_set_new(o, "status", str(ev, ICAL_STATUS_PROPERTY));
        json_object_set_new(o, "organizer", str(ev, ICAL_ORGANIZER_PROPERTY));
        json_object_set_new(o, "attendee", str(ev, ICAL_ATTENDEE_PROPERTY));
        json_object_set_new(o, "summary", str(ev, ICAL_SUMMARY_PROPERTY));
        when(o, "dtstart", cal, ev, ICAL_DTSTART_PROPERTY);
        when(o, "dtend", cal, ev, ICAL_DTEND_PROPERTY);
    }
    json_object_set_new(o, "errors", json_integer(errors));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    puts(s ? s : "{}");
    free(s);
    json_decref(o);
    icalcomponent_free(cal);
    return errors ? 1 : 0;
}
