/* invite: one guest's calendar invitation to their slot, as iCalendar (RFC 5545) with an
 * iTIP method (RFC 5546: REQUEST, or CANCEL when the guest or their sub-item is gone).
 * Plain data in, text out: the store and the outbox fill it, nothing here does I/O. */
#ifndef REFERAT_INVITE_H
#define REFERAT_INVITE_H

#include <time.h>

#include "../util/buf.h"
#include "../util/err.h"

/* Strings are borrowed; NULL where there is nothing. summary, location and description are
 * what the guest may read: a closed case's public title, never its closed text. */
struct invite {
    const char *method;  /* "REQUEST" or "CANCEL" */
    const char *uid;     /* the same for the invitation's whole life */
    int sequence;        /* raised whenever the slot moves, and for the CANCEL */
    time_t dtstamp;      /* when this version was made */
    const char *start;   /* local time in tzid: "2024-01-05T10:30" */
    const char *end;
    const char *tzid;    /* NULL: DATE_TZID (Europe/Copenhagen) */
    const char *organizer, *organizer_name; /* the secretariat's e-mail (required) and name */
    const char *attendee, *attendee_name;   /* the guest's e-mail (required) and name */
    const char *summary;
    const char *location;
    const char *description;
    const char *url; /* the guest link, or NULL */
};

/* Appends the VCALENDAR (METHOD, the zone's VTIMEZONE, one VEVENT with UID, SEQUENCE,
 * DTSTAMP, DTSTART/DTEND with TZID, ORGANIZER, ATTENDEE with CN and RSVP, SUMMARY, LOCATION,
 * DESCRIPTION, STATUS) to out, CRLF line ends, folded at 75 octets. Returns 0, or ERR_USAGE
 * (out unchanged) for a missing method, uid, organizer or attendee, a start or end that is
 * not a local time, an end before the start, or an unknown zone. */
int fmt_invite_ics(const struct invite *iv, struct buf *out, struct err *e);

#endif
