/* api_v1: what the write API's resources share (api_v1_meetings.c, api_v1_cases.c). */
#ifndef REFERAT_API_V1_H
#define REFERAT_API_V1_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"
#include "web.h"

struct case_doc;
struct wf_machine;

/* A case in the JSON model (docs/json.md), or NULL after answering with the member's path. */
struct case_doc *api_v1_case_of(json_t *doc, struct web_response *res);

/* An action's name in the API beside the workflow's own step ("afvis" for send_tilbage). */
struct api_v1_name {
    const char *api, *wf;
};
/* What POST .../actions/NAME brings: the workflow's step, the version acted on, the reason
 * a step may need, and who acts. */
struct api_v1_step {
    const char *wf;
    int version;
    const char *reason; /* NULL when not given; owned by root */
    json_t *root;       /* the body: the caller releases it */
    struct store_actor actor;
};
/* Reads the step of machine m named by the request's last segment (one of names[0..n), or
 * the workflow's own name), and its body {"version", "reason"}; false after answering (404
 * with `unknown` for a step m does not have, 400 for the body). */
bool api_v1_step(const struct web_request *req, struct web_response *res,
                 const struct wf_machine *m, const struct api_v1_name *names, size_t n,
                 const char *unknown, struct api_v1_step *st);

#endif
