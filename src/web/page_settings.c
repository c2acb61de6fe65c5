/* page_settings: the municipality's settings for administrators (/arbejde/indstillinger):
 * load, render the form from the settings table, parse and check it field by field, save all
 * in one transaction. */
#include <stdlib.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
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

static const char *input_type(int kind)
{
    switch (kind) {
    case STORE_SETTING_URL: return "url";
    case STORE_SETTING_EMAIL: return "email";
    case STORE_SETTING_SECRET: return "password";
    case STORE_SETTING_PORT:
    case STORE_SETTING_COUNT:
    case STORE_SETTING_SECONDS: return "number";
    default: return "text";
    }
}

/* The form's sections, by the key's first part; a setting not named here goes under
 * "Andet". */
static const struct {
    const char *prefix, *legend;
} groups[] = {
    {"municipality.", "Kommunen"},        {"accessibility.", "Kommunen"},
    {"public.", "Portalens adresse"},     {"proxy.", "Portalens adresse"},
    {"session.", "Log ind og sessioner"}, {"login.", "Log ind og sessioner"},
    {"smtp.", "E-mail (SMTP)"},
};

static const char *group_of(const char *key)
{
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
        if (strncmp(key, groups[i].prefix, strlen(groups[i].prefix)) == 0)
            return groups[i].legend;
    return "Andet";
}

/* The form field's id: the key with '.' as '-'. */
static void field_id(struct buf *b, const char *key)
{
    for (const char *p = key; *p; p++)
        buf_putc(b, *p == '.' ? '-' : *p);
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
    /* novalidate: the server checks every field and says what it expects at the field; the
     * browser's own check would refuse a path such as /tilgaengelighed in a url field. */
    buf_puts(b, "<form class=\"form\" action=\"/arbejde/indstillinger\" method=\"post\" "
                "novalidate>\n");
    web_csrf_field(b, req);
    bool focused = false; /* the first field with an error takes the focus */
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
        struct buf id = BUF_INIT;
        field_id(&id, d->key);
        const char *fid = buf_cstr(&id);
        buf_printf(b, "<div class=\"field\"><label for=\"%s\">", fid);
        html_text(b, d->label);
        buf_puts(b, "</label>");
        if (d->help || d->def || d->kind == STORE_SETTING_SECRET) {
            buf_printf(b, "<span class=\"help\" id=\"%s-help\">", fid);
            if (d->help)
                html_text(b, d->help);
            if (d->def) {
                buf_puts(b, d->help ? " Standard: " : "Standard: ");
                html_text(b, d->def);
                buf_puts(b, ".");
            }
            if (d->kind == STORE_SETTING_SECRET)
                buf_puts(b, v->secret_set[i] ? " Er sat; lad feltet stå tomt for at beholde "
                                               "den."
                                             : " Er ikke sat.");
            buf_puts(b, "</span>");
        }
        if (v->error[i][0]) {
            buf_printf(b, "<p class=\"error\" id=\"%s-error\">", fid);
            html_text(b, v->error[i]);
            buf_puts(b, "</p>");
        }
        bool help = d->help || d->def || d->kind == STORE_SETTING_SECRET;
        struct buf described = BUF_INIT;
        if (help)
            buf_printf(&described, "%s-help", fid);
        if (v->error[i][0])
            buf_printf(&described, "%s%s-error", help ? " " : "", fid);
        const char *val = v->value[i];
        if (d->kind == STORE_SETTING_CHOICE) {
            buf_printf(b, "<select id=\"%s\" name=\"%s\"", fid, d->key);
        } else if (strcmp(d->key, "municipality.contact") == 0) {
            buf_printf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"3\"", fid, d->key);
        } else {
            buf_printf(b, "<input type=\"%s\" id=\"%s\" name=\"%s\"", input_type(d->kind), fid,
                       d->key);
            if (d->kind == STORE_SETTING_SECRET)
                buf_puts(b, " autocomplete=\"new-password\"");
            if (d->kind == STORE_SETTING_URL || d->kind == STORE_SETTING_EMAIL ||
                d->kind == STORE_SETTING_ADDR || d->kind == STORE_SETTING_HOST)
                buf_puts(b, " autocapitalize=\"none\" spellcheck=\"false\"");
            if (val && d->kind != STORE_SETTING_SECRET) {
                buf_puts(b, " value=\"");
                html_attr(b, val);
                buf_puts(b, "\"");
            }
        }
        if (described.len)
            buf_printf(b, " aria-describedby=\"%s\"", buf_cstr(&described));
        if (v->error[i][0]) {
            buf_puts(b, focused ? " aria-invalid=\"true\"" : " aria-invalid=\"true\" autofocus");
            focused = true;
        }
        buf_puts(b, ">");
        if (d->kind == STORE_SETTING_CHOICE) {
            const char *cur = val ? val : d->def ? d->def : "";
            for (const char *p = d->choices; p && *p;) {
                size_t k = strcspn(p, "|");
                buf_puts(b, "<option");
                if (strlen(cur) == k && strncmp(cur, p, k) == 0)
                    buf_puts(b, " selected");
                buf_puts(b, ">");
                html_textn(b, p, k);
                buf_puts(b, "</option>");
                p += k + (p[k] == '|');
            }
            buf_puts(b, "</select>");
        } else if (strcmp(d->key, "municipality.contact") == 0) {
            html_text(b, val ? val : "");
            buf_puts(b, "</textarea>");
        }
        if (d->kind == STORE_SETTING_SECRET && v->secret_set[i])
            buf_printf(b, "<label><input type=\"checkbox\" name=\"%s.ryd\" value=\"1\"> Fjern "
                          "den gemte værdi</label>", d->key);
        buf_puts(b, "</div>\n");
        buf_free(&described);
        buf_free(&id);
    }
    if (group)
        buf_puts(b, "</fieldset>\n");
    buf_puts(b, "<button type=\"submit\">Gem indstillinger</button>\n</form>\n");
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
