/* page_password: a person changes their own password (/arbejde/adgangskode): the current one
 * proves it is them; afterwards every session of theirs ends, this one included. */
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "auth.h"
#include "web.h"

static void render(const struct web_request *req, struct web_response *res, const char *field,
                   const char *message)
{
    web_work_begin(res, "Skift adgangskode", "adgangskode");
    struct buf *b = &res->body;
    buf_printf(b, "<h1>Skift adgangskode</h1>\n<p class=\"lead\">Mindst %d tegn. Når den er "
                  "skiftet, bliver du logget ud alle steder og logger ind med den nye.</p>\n",
               STORE_PASSWORD_MIN);
    if (message) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\" id=\"pw-error\">");
        html_text(b, message);
        buf_puts(b, "</p>\n");
    }
    buf_puts(b, "<form class=\"form\" action=\"/arbejde/adgangskode\" method=\"post\">\n");
    web_csrf_field(b, req);
    /* The login, for password managers. */
    buf_puts(b, "<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"");
    html_attr(b, req->session->login);
    buf_puts(b, "\">\n");
    static const struct {
        const char *name, *label, *autocomplete;
    } fields[] = {{"current", "Nuværende adgangskode", "current-password"},
                  {"new", "Ny adgangskode", "new-password"},
                  {"repeat", "Gentag den nye", "new-password"}};
    for (size_t i = 0; i < 3; i++) {
        bool bad = field && strcmp(field, fields[i].name) == 0;
        buf_printf(b, "<div class=\"field\"><label for=\"pw-%s\">%s</label>"
                      "<input type=\"password\" id=\"pw-%s\" name=\"%s\" autocomplete=\"%s\" "
                      "required maxlength=\"%d\"%s></div>\n",
                   fields[i].name, fields[i].label, fields[i].name, fields[i].name,
                   fields[i].autocomplete, STORE_PASSWORD_MAX,
                   bad ? " aria-invalid=\"true\" aria-describedby=\"pw-error\" autofocus"
                       : "");
    }
    buf_puts(b, "<button type=\"submit\">Skift adgangskode</button>\n</form>\n");
    web_page_end(res);
}

void page_work_password(const struct web_request *req, struct web_response *res)
{
    render(req, res, NULL, NULL);
}

void page_work_password_post(const struct web_request *req, struct web_response *res)
{
    const char *cur = web_field(req, "current"), *nw = web_field(req, "new"),
               *rep = web_field(req, "repeat");
    struct err e = {0};
    int64_t account = 0;
    int retry = 0;
    if (!nw || !rep || strcmp(nw, rep) != 0) {
        render(req, res, "repeat", "De to nye adgangskoder er ikke ens.");
        res->status = 400;
        return;
    }
    if (store_check_password(nw, &e) < 0) {
        char msg[120];
        snprintf(msg, sizeof msg, "Den nye adgangskode skal have mindst %d tegn og højst %d "
                                  "bytes.", STORE_PASSWORD_MIN, STORE_PASSWORD_MAX);
        render(req, res, "new", msg);
        res->status = 400;
        return;
    }
    int rc = store_login(req->store, req->session->login, cur ? cur : "", req->client, &account,
                         NULL, &retry, &e);
    if (rc == ERR_AUTH || rc == ERR_BUSY || (rc == 0 && account != req->session->account_id)) {
        render(req, res, "current", rc == ERR_BUSY ? "For mange mislykkede forsøg. Prøv igen "
                                                     "senere."
                                                   : "Den nuværende adgangskode er forkert.");
        res->status = rc == ERR_BUSY ? 429 : 400;
        return;
    }
    struct store_actor a;
    web_actor(req, &a);
    if (rc == 0)
        rc = store_account_passwd(req->store, req->session->login, nw, &a, &e);
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_cookie_set(res, req, web_cookie_session(req->https), NULL);
    web_redirect(res, 303, "/log-ind?skiftet=1");
}
