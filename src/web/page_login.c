/* page_login: logging in (/log-ind, GET and POST) and out (POST /log-ud). */
#include <stdio.h>
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "../util/secret.h"
#include "auth.h"
#include "web.h"

/* Where to go after logging in: a path on this site only (never "//host" or a scheme). */
static const char *back_to(const char *v)
{
    if (!v || v[0] != '/' || v[1] == '/' || v[1] == '\\' || strlen(v) > 500)
        return "/arbejde";
    return v;
}

struct login_view {
    const char *login;   /* what was typed, to keep it */
    const char *back;    /* where to go after */
    const char *message; /* an error, or NULL */
    const char *notice;  /* "Du er logget ud.", or NULL */
    const char *token;   /* the pre-login CSRF token */
};

static void render(const struct web_request *req, struct web_response *res,
                   const struct login_view *v)
{
    (void)req;
    web_page_begin(res, "Log ind", NULL, "log-ind");
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Log ind</h1>\n<p class=\"lead\">For kommunens medarbejdere, udvalgenes "
                "medlemmer og sekretariater. Borgere kan læse alt offentligt uden at logge "
                "ind.</p>\n");
    if (v->notice) {
        buf_puts(b, "<p class=\"notice\" role=\"status\">");
        html_text(b, v->notice);
        buf_puts(b, "</p>\n");
    }
    if (v->message) {
        buf_puts(b, "<p class=\"alert\" role=\"alert\" id=\"login-error\">");
        html_text(b, v->message);
        buf_puts(b, "</p>\n");
    }
    const char *describe = v->message ? " aria-describedby=\"login-error\"" : "";
    /* After an error the focus goes to the field to type next, whose description reads the
     * error out: the password when the login was kept, else the login. */
    const char *focus_login = v->message && !v->login ? " autofocus" : "";
    const char *focus_password = v->message && v->login ? " autofocus" : "";
    buf_puts(b, "<form class=\"form\" action=\"/log-ind\" method=\"post\">\n"
                "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_attr(b, v->token);
    buf_puts(b, "\">\n<input type=\"hidden\" name=\"tilbage\" value=\"");
    html_attr(b, v->back);
    buf_printf(b, "\">\n<div class=\"field\"><label for=\"login\">Brugernavn</label>"
                  "<input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\" "
                  "autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"%d\"%s%s",
               STORE_LOGIN_MAX, describe, focus_login);
    if (v->login) {
        buf_puts(b, " value=\"");
        html_attr(b, v->login);
        buf_puts(b, "\"");
    }
    buf_printf(b, "></div>\n<div class=\"field\"><label for=\"password\">Adgangskode</label>"
                  "<input type=\"password\" id=\"password\" name=\"password\" "
                  "autocomplete=\"current-password\" required maxlength=\"%d\"%s%s></div>\n"
                  "<button type=\"submit\">Log ind</button>\n</form>\n",
               STORE_PASSWORD_MAX, describe, focus_password);
    web_page_end(res);
}

/* The pre-login cookie: made when absent, so that the form's token has a secret to come
 * from. Returns the token for the form into token. */
static void login_token(const struct web_request *req, struct web_response *res,
                        char token[65])
{
    char fresh[STORE_SESSION_ID_LEN + 1];
    const char *secret = req->cookie_login;
    if (!secret || strlen(secret) != STORE_SESSION_ID_LEN) {
        secret_random(NULL, fresh, sizeof fresh);
        web_cookie_set(res, req, web_cookie_login(req->https), fresh);
        secret = fresh;
    }
    web_csrf_token(secret, "login", token);
}

void page_login(const struct web_request *req, struct web_response *res)
{
    const char *back = back_to(web_arg(req, "tilbage"));
    if (req->read_only) {
        web_error_page(res, 503, "Denne portal er skrivebeskyttet: her kan man kun læse. "
                                 "Medarbejdere logger ind på kommunens interne adresse.");
        return;
    }
    if (req->session) {
        web_redirect(res, 303, back);
        return;
    }
    char token[65];
    login_token(req, res, token);
    struct login_view v = {.back = back, .token = token};
    if (web_arg(req, "ud"))
        v.notice = "Du er logget ud.";
    else if (web_arg(req, "skiftet"))
        v.notice = "Din adgangskode er skiftet. Log ind med den nye.";
    render(req, res, &v);
    res->staff = true; /* never cached: it carries a cookie and a token */
}

void page_login_post(const struct web_request *req, struct web_response *res)
{
    const char *login = web_field(req, "login"), *password = web_field(req, "password");
    const char *back = back_to(web_field(req, "tilbage"));
    char sid[STORE_SESSION_ID_LEN + 1] = "";
    char token[65];
    struct err e = {0};
    int64_t account = 0;
    int retry = 0;
    res->staff = true;
    if (!req->store) {
        web_fail(res, ERR_DB, false, NULL, NULL);
        return;
    }
    int rc = store_login(req->store, login ? login : "", password ? password : "", req->client,
                         &account, sid, &retry, &e);
    if (rc == 0) {
        /* A new id at every login: whatever id the browser held before is worthless. */
        web_cookie_set(res, req, web_cookie_session(req->https), sid);
        web_cookie_set(res, req, web_cookie_login(req->https), NULL);
        web_redirect(res, 303, back);
        return;
    }
    if (rc == ERR_DB) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    login_token(req, res, token);
    struct login_view v = {.back = back, .token = token};
    /* The typed login is shown again only when it could be one: it might be a password
     * typed into the wrong field. */
    if (login && store_check_login(login, NULL) == 0)
        v.login = login;
    char msg[160];
    if (rc == ERR_BUSY) {
        snprintf(msg, sizeof msg, "For mange mislykkede forsøg. Prøv igen om %d minut%s.",
                 (retry + 59) / 60, (retry + 59) / 60 == 1 ? "" : "ter");
        char after[16];
        snprintf(after, sizeof after, "%d", retry > 0 ? retry : 60);
        web_header_add(res, "Retry-After", after);
        res->status = 429;
    } else {
        snprintf(msg, sizeof msg, "Forkert brugernavn eller adgangskode.");
        res->status = 401;
    }
    v.message = msg;
    int status = res->status;
    render(req, res, &v);
    res->status = status;
}

void page_logout(const struct web_request *req, struct web_response *res)
{
    struct err e = {0};
    if (req->store && req->session_id)
        store_session_end(req->store, req->session_id, req->client, &e);
    web_cookie_set(res, req, web_cookie_session(req->https), NULL);
    web_redirect(res, 303, "/log-ind?ud=1");
}
