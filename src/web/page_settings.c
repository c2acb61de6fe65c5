/* page_settings: the municipality's settings for administrators (/arbejde/indstillinger):
 * load, render the form from the settings table, parse and check it field by field, save all
 * in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "form.h"
#include "web.h"

#define MAX_SETTINGS 32

/* What the form shows: a value per setting, and an error per setting after a failed save. */
struct settings_view {
    char *value[MAX_SETTINGS];
    bool secret_set[MAX_SETTINGS];
    char error[MAX_SETTINGS][200];
    bool failed, saved;
};

static void view_fini(struct settings_view *v)
{
    for (size_t i = 0; i < MAX_SETTINGS; i++)
        free(v->value[i]);
}

static int load(const struct web_request *req, struct settings_view *v, struct err *e)
{
    for (size_t i = 0; i < store_nsetting_defs && i < MAX_SETTINGS; i++) {
        char *val = NULL;
        int rc = store_setting_get(req->store, store_setting_defs[i].key, &val, e);
        if (rc < 0)
            return rc;
        if (store_setting_defs[i].kind == STORE_SETTING_SECRET) {
            v->secret_set[i] = val && *val;
            free(val);
        } else {
            v->value[i] = val;
        }
    }
    return 0;
}

/* The form's sections, by the key's first part; a setting not named here goes under
 * "Andet". */
static const struct {
    const char *prefix, *legend;
} groups[] = {
    {"municipality.", "Kommunen"},        {"accessibility.", "Kommunen"},
    {"public.", "Portalens adresse"},     {"proxy.", "Portalens adresse"},
    {"session.", "Log ind og sessioner"}, {"login.", "Log ind og sessioner"},
    {"smtp.", "E-mail (SMTP)"},           {"attachment.", "Bilag"},
};

static const char *group_of(const char *key)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strncmp(key, groups[i].prefix, strlen(groups[i].prefix)) == 0)
            return groups[i].legend;
    return "Andet";
}

static enum web_input_type input_type(const struct store_setting_def *d)
{
    if (strcmp(d->key, "municipality.contact") == 0)
        return WEB_INPUT_TEXTAREA;
    switch (d->kind) {
    case STORE_SETTING_URL: return WEB_INPUT_URL;
    case STORE_SETTING_EMAIL: return WEB_INPUT_EMAIL;
    case STORE_SETTING_SECRET: return WEB_INPUT_PASSWORD;
    case STORE_SETTING_CHOICE: return WEB_INPUT_SELECT;
    case STORE_SETTING_PORT:
    case STORE_SETTING_COUNT:
    case STORE_SETTING_SECONDS: return WEB_INPUT_NUMBER;
    default: return WEB_INPUT_TEXT;
    }
}

/* A choice setting's options ("a|b|c"), into v (at most n - 1 of them) and their text. */
static void choices(const char *spec, struct web_choice *v, size_t n, struct buf *text)
{
    size_t k = 0, at[16];
    for (const char *p = spec; p && *p && k + 1 < n && k < 16;) {
        size_t len = strcspn(p, "|");
        at[k++] = text->len;
        buf_put(text, p, len);
        buf_putc(text, '\0');
        p += len + (p[len] == '|');
    }
    for (size_t i = 0; i < k; i++)
        v[i].value = v[i].label = text->ptr + at[i];
    v[k].value = v[k].label = NULL;
}

static void render(const struct web_request *req, struct web_response *res,
                   const struct settings_view *v)
{
    web_work_begin(res, "Indstillinger", "indstillinger");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Indstillinger</h1>\n<p class=\"lead\">Kommunens oplysninger, portalens "
                "adresse og e-mail-afsendelse. Hver ændring skrives i historikken.</p>\n");
    if (v->saved)
        buf_puts(b, "<p class=\"notice\" role=\"status\">Indstillingerne er gemt.</p>\n");
    if (v->failed)
        buf_puts(b, "<p class=\"alert\" role=\"alert\">Intet er gemt: ret de felter, der er "
                    "markeret nedenfor.</p>\n");
    /* The server checks every field and says what it expects at the field; the browser's own
     * check would refuse a path such as /tilgaengelighed in a url field. */
    web_form_open(b, req, "/arbejde/indstillinger", false);
    struct web_errors er = {0};
    const char *group = NULL;
    for (size_t i = 0; i < store_nsetting_defs && i < MAX_SETTINGS; i++) {
        const struct store_setting_def *d = &store_setting_defs[i];
        const char *g = group_of(d->key);
        if (!group || strcmp(g, group) != 0) {
            buf_puts(b, group ? "</fieldset>\n<fieldset><legend>" : "<fieldset><legend>");
            html_text(b, g);
            buf_puts(b, "</legend>\n");
            group = g;
        }
        struct buf help = BUF_INIT, text = BUF_INIT;
        if (d->help)
            buf_puts(&help, d->help);
        if (d->def)
            buf_printf(&help, "%sStandard: %s.", help.len ? " " : "", d->def);
        if (d->kind == STORE_SETTING_SECRET)
            buf_puts(&help, v->secret_set[i] ? " Er sat; lad feltet stå tomt for at beholde den."
                                             : " Er ikke sat.");
        struct web_choice opts[17];
        choices(d->kind == STORE_SETTING_CHOICE ? d->choices : NULL, opts, 17, &text);
        const char *val = v->value[i];
        if (d->kind == STORE_SETTING_CHOICE && !val)
            val = d->def ? d->def : "";
        const char *attrs = NULL;
        if (d->kind == STORE_SETTING_SECRET)
            attrs = " autocomplete=\"new-password\"";
        else if (d->kind == STORE_SETTING_ADDR || d->kind == STORE_SETTING_HOST)
            attrs = " autocapitalize=\"none\" spellcheck=\"false\"";
        struct web_input in = {.name = d->key, .label = d->label, .type = input_type(d),
                               .value = val, .help = help.len ? buf_cstr(&help) : NULL,
                               .error = v->error[i], .choices = opts, .rows = 3, .attrs = attrs};
        web_input(b, &in, &er);
        if (d->kind == STORE_SETTING_SECRET && v->secret_set[i]) {
            char key[96];
            snprintf(key, sizeof key, "%s.ryd", d->key);
            web_input(b, &(struct web_input){.name = key, .label = "Fjern den gemte værdi",
                                             .type = WEB_INPUT_CHECKBOX}, NULL);
        }
        buf_free(&help);
        buf_free(&text);
    }
    if (group)
        buf_puts(b, "</fieldset>\n");
    web_form_close(b, "Gem indstillinger");
    web_page_end(res);
}

/* What a field of this kind takes, in Danish (the value itself is never repeated: it may be a
 * secret). */
static void expected(char *out, size_t n, const struct store_setting_def *d)
{
    static const char *const what[] = {
        [STORE_SETTING_TEXT] = "tekst uden styretegn (højst 2000 tegn)",
        [STORE_SETTING_URL] = ("en adresse, der begynder med https:// (eller http://), eller "
                               "en sti, der begynder med /"),
        [STORE_SETTING_EMAIL] = "en e-mail-adresse som post@lindholm.dk",
        [STORE_SETTING_ADDR] = "en IP-adresse som 127.0.0.1",
        [STORE_SETTING_HOST] = "et værtsnavn som smtp.lindholm.dk",
        [STORE_SETTING_PORT] = "et portnummer fra 1 til 65535",
        [STORE_SETTING_SECRET] = "tekst på én linje",
        [STORE_SETTING_SECONDS] = "et antal sekunder fra 60 til 31622400",
        [STORE_SETTING_CHOICE] = "en af de viste muligheder",
        [STORE_SETTING_COUNT] = "et helt tal fra 1",
    };
    const char *w = d->kind >= 0 && (size_t)d->kind < sizeof what / sizeof what[0] && what[d->kind]
                        ? what[d->kind]
                        : "en anden værdi";
    snprintf(out, n, "Forventede %s.", w);
}

void page_work_settings(const struct web_request *req, struct web_response *res)
{
    struct settings_view v = {0};
    struct err e = {0};
    int rc = load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
    } else {
        v.saved = web_arg(req, "gemt") != NULL;
        render(req, res, &v);
    }
    view_fini(&v);
}

void page_work_settings_post(const struct web_request *req, struct web_response *res)
{
    struct settings_view v = {0};
    const char *keys[MAX_SETTINGS], *values[MAX_SETTINGS];
    size_t n = 0;
    struct err e = {0};
    int rc = load(req, &v, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        view_fini(&v);
        return;
    }
    /* Parse and check every field before anything is written; the form shows each error at
     * its field and keeps what was typed (a secret excepted). */
    for (size_t i = 0; i < store_nsetting_defs && i < MAX_SETTINGS; i++) {
        const struct store_setting_def *d = &store_setting_defs[i];
        const char *val = web_field(req, d->key);
        if (d->kind == STORE_SETTING_SECRET) {
            char clear[96];
            snprintf(clear, sizeof clear, "%s.ryd", d->key);
            if (web_field(req, clear))
                val = "";
            else if (!val || !*val)
                continue; /* unchanged */
        } else if (!val) {
            continue; /* a field the form did not send is left as it is */
        }
        struct err fe = {0};
        if (store_setting_check(d->key, val, &fe) < 0) {
            expected(v.error[i], sizeof v.error[i], d);
            v.failed = true;
        }
        if (d->kind != STORE_SETTING_SECRET) {
            free(v.value[i]);
            v.value[i] = xstrdup(val);
        }
        keys[n] = d->key;
        values[n] = val;
        n++;
    }
    if (!v.failed) {
        struct store_actor a;
        web_actor(req, &a);
        rc = store_settings_set(req->store, keys, values, n, &a, &e);
        if (rc == 0) {
            web_redirect(res, 303, "/arbejde/indstillinger?gemt=1");
            view_fini(&v);
            return;
        }
        if (rc != ERR_USAGE) {
            web_fail(res, rc, false, NULL, &e);
            view_fini(&v);
            return;
        }
        v.failed = true;
    }
    render(req, res, &v);
    res->status = 400;
    view_fini(&v);
}
