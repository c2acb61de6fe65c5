/* page_body_settings: a body's settings for its sekretær and administrators
 * (/arbejde/organ/CODE/indstillinger): the agenda's deadline and late policy, a new meeting's
 * defaults, sign-off. Load, render from the defs table, check every field, save all in one
 * transaction. */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

#define MAX_KEYS 16

struct view {
    struct store_body body;
    char *value[MAX_KEYS];
    struct web_errors er;
    bool saved;
};

static void view_fini(struct view *v)
{
    store_body_fini(&v->body);
    for (size_t i = 0; i < MAX_KEYS; i++)
        free(v->value[i]);
}

static int load(const struct web_request *req, struct view *v, struct err *e)
{
    if (!req->store)
        return ERR_DB;
    int rc = store_body_get(req->store, req->seg[2], &v->body, e);
    for (size_t i = 0; rc == 0 && i < store_nbody_setting_defs && i < MAX_KEYS; i++)
        rc = store_body_setting_get(req->store, v->body.code, store_body_setting_defs[i].key,
                                    &v->value[i], e);
    return rc;
}

/* The choices of a setting, with the words people read. */
static const struct web_choice late_choices[] = {
    {"tilladt", "Tilladt: optages som andre sager"},
    {"markeret", "Markeret: optages og markeres som for sen"},
    {"afvist", "Afvist: kan ikke optages efter fristen"},
    {NULL, NULL},
};
static const struct web_choice signoff_choices[] = {
    {"1", "Ja: en godkender skal godkende sagen"},
    {"0", "Nej: sekretariatet skriver sagerne selv"},
    {NULL, NULL},
};

static void input_for(const struct store_setting_def *d, struct web_input *in)
{
    in->type = WEB_INPUT_TEXT;
    switch (d->kind) {
    case STORE_SETTING_DAYS:
        in->type = WEB_INPUT_NUMBER;
        in->attrs = " min=\"0\" max=\"365\" step=\"1\"";
        break;
    case STORE_SETTING_MINUTES:
        in->type = WEB_INPUT_NUMBER;
        in->attrs = " min=\"1\" max=\"240\" step=\"1\"";
        break;
    case STORE_SETTING_TIME: in->type = WEB_INPUT_TIME; break;
    case STORE_SETTING_CHOICE:
        in->type = WEB_INPUT_SELECT;
        in->choices = strcmp(d->key, "agenda.late") == 0 ? late_choices : signoff_choices;
        break;
    default: break;
    }
}

/* What a field takes, in Danish. */
static const char *expected(const struct store_setting_def *d)
{
    switch (d->kind) {
    case STORE_SETTING_DAYS: return "Skriv et helt antal dage fra 0 til 365.";
    case STORE_SETTING_MINUTES: return "Skriv et helt antal minutter fra 1 til 240.";
    case STORE_SETTING_TIME: return "Skriv et klokkeslæt som 09:00 (fra 00:00 til 23:59).";
    case STORE_SETTING_CHOICE: return "Vælg en af mulighederne.";
    case STORE_SETTING_LINE: return "Skriv tekst på én linje (højst 200 tegn).";
    /* issue 10, sdg */
    case STORE_SETTING_GOALS: return "Skriv numre fra 1 til 17, hvert én gang, adskilt af komma.";
    default: return "Værdien kan ikke bruges.";
    }
}

static void render(const struct web_request *req, struct web_response *res, struct view *v)
{
    const char *name = v->body.name ? v->body.name : v->body.code;
    struct buf title = BUF_INIT, action = BUF_INIT;
    buf_printf(&title, "Indstillinger for %s", name);
    web_work_begin(res, buf_cstr(&title), "moeder");
    buf_free(&title);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Indstillinger for ");
    html_text(b, name);
    buf_puts(b, "</h1>\n<p class=\"lead\">Dagsordenens frist, sager efter fristen, forslag til "
                "nye møder og godkendelse af sager. Hver ændring skrives i historikken.</p>\n");
    if (v->saved)
        buf_puts(b, "<p class=\"notice\" role=\"status\">Indstillingerne er gemt.</p>\n");
    web_errors_summary(b, &v->er);
    buf_puts(&action, "/arbejde/organ/");
    web_url(&action, v->body.code);
    buf_puts(&action, "/indstillinger");
    web_form_open(b, req, buf_cstr(&action), false);
    buf_free(&action);
    for (size_t i = 0; i < store_nbody_setting_defs && i < MAX_KEYS; i++) {
        const struct store_setting_def *d = &store_body_setting_defs[i];
        const char *def = store_body_setting_default(d, v->body.code, v->body.name);
        struct buf help = BUF_INIT;
        if (d->help)
            buf_puts(&help, d->help);
        if (def && d->kind != STORE_SETTING_CHOICE)
            buf_printf(&help, " Standard: %s.", def);
        struct web_input in = {.name = d->key, .label = d->label, .value = v->value[i],
                               .help = help.len ? buf_cstr(&help) : NULL};
        input_for(d, &in);
        web_input(b, &in, &v->er);
        buf_free(&help);
    }
    web_form_close(b, "Gem indstillinger");
    web_page_end(res);
}

void page_work_body_settings(const struct web_request *req, struct web_response *res)
{
    struct view v = {0};
    struct err e = {0};
    int rc = load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet udvalg med den kode.", &e);
    } else {
        v.saved = web_arg(req, "gemt") != NULL;
        render(req, res, &v);
    }
    view_fini(&v);
}

void page_work_body_settings_post(const struct web_request *req, struct web_response *res)
{
    struct view v = {0};
    const char *keys[MAX_KEYS], *values[MAX_KEYS];
    size_t n = 0;
    struct err e = {0};
    int rc = load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, "Der er intet udvalg med den kode.", &e);
        view_fini(&v);
        return;
    }
    /* Every field is checked before anything is written; what was typed is shown again. */
    for (size_t i = 0; i < store_nbody_setting_defs && i < MAX_KEYS; i++) {
        const struct store_setting_def *d = &store_body_setting_defs[i];
        const char *val = web_field(req, d->key);
        if (!val)
            continue; /* not sent: left as it is */
        struct err fe = {0};
        if (store_body_setting_check(d->key, val, &fe) < 0)
            web_errors_add(&v.er, d->key, d->label, "%s", expected(d));
        free(v.value[i]);
        v.value[i] = xstrdup(val);
        keys[n] = d->key;
        values[n] = val;
        n++;
    }
    if (v.er.n == 0) {
        struct store_actor a;
        web_actor(req, &a);
        rc = store_body_settings_set(req->store, v.body.code, keys, values, n, &a, &e);
        if (rc == 0) {
            struct buf loc = BUF_INIT;
            buf_puts(&loc, "/arbejde/organ/");
            web_url(&loc, v.body.code);
            buf_puts(&loc, "/indstillinger?gemt=1");
            web_redirect(res, 303, buf_cstr(&loc));
            buf_free(&loc);
            view_fini(&v);
            return;
        }
        web_fail(res, rc, false, NULL, &e);
        view_fini(&v);
        return;
    }
    render(req, res, &v);
    res->status = 400;
    view_fini(&v);
}
