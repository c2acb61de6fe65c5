/* form: the staff pages' form fields, rendered one way: a label, the help text, the error at
 * the field (in Danish, with aria-invalid and aria-describedby), what was typed kept after a
 * failed save, and the first field with an error taking the focus. Pages check every field
 * before anything is saved (collecting errors in a struct web_errors) and render the form again
 * with status 400 when one fails. */
#ifndef REFERAT_WEB_FORM_H
#define REFERAT_WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct web_request;

enum web_input_type {
    WEB_INPUT_TEXT,
    WEB_INPUT_TEXTAREA,
    WEB_INPUT_SELECT,
    WEB_INPUT_DATE,     /* <input type="date">: ISO 8601, 2026-12-01 */
    WEB_INPUT_TIME,     /* <input type="time">: 10:30 */
    WEB_INPUT_NUMBER,
    WEB_INPUT_EMAIL,
    WEB_INPUT_URL,
    WEB_INPUT_PASSWORD, /* the value is never written back */
    WEB_INPUT_FILE,
    WEB_INPUT_CHECKBOX, /* checked when value is non-NULL and not "" or "0" */
};

struct web_choice {
    const char *value;
    const char *label;
};

/* One field. Strings are borrowed. The id is the name with every character other than a
 * letter, digit, '-' or '_' as '-' ("subitem[2].time" -> "subitem-2--time"), unique within a
 * page as names are within a form. */
struct web_input {
    const char *name;
    const char *label;
    enum web_input_type type;
    const char *value;   /* what is shown (typed, or stored); NULL: empty */
    const char *help;    /* shown under the label, or NULL */
    const char *error;   /* shown at the field, or NULL/"" */
    const struct web_choice *choices; /* a select's options, ended by {NULL, NULL} */
    int rows;            /* a textarea's rows (default 4) */
    bool required;       /* marked "(skal udfyldes)" in the label; the server checks it */
    const char *attrs;   /* raw extra attributes (trusted, from the page's code): " min=\"0\"" */
};

/* Field errors collected while checking a form, in the form's order. */
enum { WEB_MAX_ERRORS = 64 };
struct web_errors {
    struct {
        char field[96];   /* the field's name */
        char label[96];   /* the field's label, for the summary */
        char message[256];
    } v[WEB_MAX_ERRORS];
    size_t n;
    bool focused; /* set once the first field with an error has taken the focus */
};

/* Records an error at a field (beyond WEB_MAX_ERRORS only the count of the summary grows). */
void web_errors_add(struct web_errors *er, const char *field, const char *label,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The error recorded at a field, or NULL. */
const char *web_errors_get(const struct web_errors *er, const char *field);
/* "Intet er gemt" and a list of the errors, each a link to its field; nothing when none. */
void web_errors_summary(struct buf *b, const struct web_errors *er);

/* The field's id for a name (see struct web_input). */
void web_input_id(struct buf *b, const char *name);
/* Renders a field inside <div class="field">. An error in *er (when er is given and in->error
 * is NULL) is shown too; the first field with an error gets the focus. */
void web_input(struct buf *b, const struct web_input *in, struct web_errors *er);

/* <form method="post" action="..." novalidate> with the session's CSRF token (multipart for a
 * form with files). The server checks every field and says at the field what it expects; the
 * browser's own checks would refuse values the server explains better. */
void web_form_open(struct buf *b, const struct web_request *req, const char *action,
                   bool multipart);
void web_form_close(struct buf *b, const char *submit_label);

#endif
