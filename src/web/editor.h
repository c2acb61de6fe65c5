/* editor: what the staff case editor's pages share (page_editor.c, page_merge.c,
 * page_work_case.c): the form as typed, its checks, the model it makes. */
#ifndef REFERAT_WEB_EDITOR_H
#define REFERAT_WEB_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/timetable.h"
#include "../store/store.h"

struct web_request;
struct web_response;
struct web_errors;
struct case_doc;
struct web_choice;

/* Rows the form takes at most (the form's fields stay under WEB_MAX_FIELDS with the blank
 * rows; more sub-items than this are kept, but not shown, by a later version). */
enum { ED_MAX_ROWS = 30, ED_MAX_GUESTS = 10, ED_MAX_BEFORE = 200 };

/* Strings are borrowed: from the request, the stored model or v->own. */
struct ed_guest {
    const char *name, *role, *unit, *email;
};
struct ed_sub {
    const char *title, *text, *start, *minutes;
    struct ed_guest g[ED_MAX_GUESTS];
    size_t ng;
    size_t grows; /* guest rows shown */
    const char *sdg; /* issue 10, sdg: the verdensmål as typed ("7, 13") */
};
struct ed_view {
    int64_t case_id, meeting_id;
    int version; /* the version the editor started from */
    const char *title, *access, *public_title, *public_text, *route, *presentation, *intro,
        *recommendation;
    struct ed_sub sub[ED_MAX_ROWS];
    size_t nsub, rows;
    bool adding; /* an add-row button was pressed: show the form again, save nothing */
    bool too_big; /* the stored case has more rows than the form takes: it cannot be edited */
    bool reflow;  /* "Beregn tiderne": every start where the one before ends (tt_reflow) */
    const char *notice;
    struct store_meeting meeting;
    bool have_meeting;
    /* The sub-items of the cases before this one on the meeting's agenda (their own starts and
     * durations): the time plan goes on from where they end. */
    struct tt_slot before[ED_MAX_BEFORE];
    size_t nbefore;
    struct case_doc *stored; /* the case as stored now (edit), owned */
    /* The body's library (integration, issue 8): the template a new case started from (its id
     * travels in the form) and its help per field, shown beside the field and never saved;
     * the body's standard texts for "Indsæt standardtekst", which re-renders and saves nothing
     * (insert: the field whose button was pressed). */
    int64_t template_id;
    const char *help_presentation, *help_intro, *help_recommendation, *help_other;
    const char *insert;
    size_t insert_row; /* the sub-item (1-based in sub[]) whose button was pressed */
    struct store_body_item *texts, *templates; /* owned */
    size_t ntexts, ntemplates;
    struct web_choice *text_choices;  /* owned; NULL until rendered */
    struct case_doc *prefill;         /* the template applied (a new case's GET), owned */
    char **own;
    size_t nown, capown;
    const char *sdg; /* issue 10, sdg: the case's verdensmål as typed ("7, 13") */
};

void ed_view_init(struct ed_view *v);
void ed_view_fini(struct ed_view *v);
void ed_view_from_model(struct ed_view *v, const struct case_doc *c);
void ed_view_from_form(struct ed_view *v, const struct web_request *req);
/* Every field's errors into er; true when there are none. */
bool ed_check(const struct ed_view *v, struct web_errors *er);
/* The model the form makes; what the editor does not show is taken from old (may be NULL). */
struct case_doc *ed_model(const struct ed_view *v, const struct case_doc *old);
/* Renders the form (with fewer blank rows when the fields would not fit WEB_MAX_FIELDS). */
void ed_render(const struct web_request *req, struct web_response *res, struct ed_view *v,
               struct web_errors *er);
/* Loads a case written in referat for editing (the page is answered when it cannot be). */
bool ed_load_case(const struct web_request *req, struct web_response *res, struct ed_view *v,
                  int64_t id);
/* The page for a stale save: the current version beside mine, field by field (page_merge.c).
 * note: a line above it, or NULL. */
void ed_merge_page(const struct web_request *req, struct web_response *res, int64_t case_id,
                   const struct case_doc *mine, const char *note);

#endif
