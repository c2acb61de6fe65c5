/* page_notice: citizens' e-mail subscriptions (issue 10, notices): the form on a body's page,
 * its POST (the same answer for a new and a known address), and the pages of the mails'
 * links: a confirmation and an unsubscribe page whose button POSTs (a link followed by a mail
 * scanner changes nothing), and RFC 8058's one-click POST. Addresses are never shown. */
#include <string.h>

#include "../format/html.h"
#include "../store/store.h"
#include "form.h"
#include "web.h"

static const struct web_choice topics[] = {
    {"begge", "Dagsordener og referater"},
    {"dagsordener", "Kun dagsordener"},
    {"referater", "Kun referater"},
    {NULL, NULL},
};

static const char *topic_label(const char *t)
{
    for (size_t i = 0; topics[i].value; i++)
        if (t && strcmp(t, topics[i].value) == 0)
            return topics[i].label;
    return "";
}

void web_notice_form(struct buf *b, const struct web_request *req, const char *body_code,
                     const char *email, const char *topic, struct web_errors *er)
{
    if (req->read_only)
        return; /* a mirror takes no subscriptions */
    struct buf action = BUF_INIT;
    buf_puts(&action, "/organ/");
    web_url(&action, body_code);
    buf_puts(&action, "/abonnement");
    buf_puts(b, "<section class=\"subscribe\" aria-labelledby=\"abonnement\">\n"
                "<h2 id=\"abonnement\">Abonnér på dagsordener og referater</h2>\n"
                "<p>Få en e-mail, når udvalget offentliggør en ny dagsorden eller et nyt "
                "referat. Du skal ikke oprette en konto: vi sender en mail med et link, som "
                "du bekræfter abonnementet med, og hver mail har et link til at afmelde. Din "
                "adresse bruges kun til disse mails.</p>\n");
    web_form_open(b, req, buf_cstr(&action), false);
    struct web_input in = {.name = "email", .label = "Din e-mailadresse",
                           .type = WEB_INPUT_EMAIL, .value = email, .required = true,
                           .attrs = " autocomplete=\"email\""};
    web_input(b, &in, er);
    struct web_input sel = {.name = "emne", .label = "Hvad vil du have besked om?",
                            .type = WEB_INPUT_SELECT, .value = topic ? topic : "begge",
                            .choices = topics};
    web_input(b, &sel, er);
    web_form_close(b, "Abonnér");
    buf_puts(b, "</section>\n");
    buf_free(&action);
}

/* The body of the path, or a 404 answered. */
static bool body_of(const struct web_request *req, struct web_response *res,
                    struct store_body *bd)
{
    struct err e = {0};
    int rc = req->store ? store_body_get(req->store, req->seg[1], bd, &e) : ERR_DB;
    if (rc == 0 && strcmp(bd->code ? bd->code : "", req->seg[1]) == 0)
        return true;
    if (rc == 0 || rc == ERR_NOTFOUND)
        web_error_page(res, 404, "Der er intet udvalg med den kode. Forsiden viser alle udvalg.");
    else
        web_fail(res, rc, false, NULL, &e);
    return false;
}

/* Never cached, never indexed. A link's URL (its token) is never sent to another site; the
 * policy is same-origin, not no-referrer, because with no-referrer a browser sends "Origin:
 * null" with the page's own form, which the Origin check must refuse. */
static void private_page(struct web_response *res)
{
    res->nocache = true;
    res->staff = true; /* Cache-Control: private, no-store */
    web_header_add(res, "Referrer-Policy", "same-origin");
    web_header_add(res, "X-Robots-Tag", "noindex");
}

/* GET of the form's address (a reload of its answer): the form on the body's page. */
void page_notice_subscribe(const struct web_request *req, struct web_response *res)
{
    struct buf loc = BUF_INIT;
    buf_puts(&loc, "/organ/");
    web_url(&loc, req->seg[1]);
    buf_puts(&loc, "#abonnement");
    web_redirect(res, 303, buf_cstr(&loc));
    buf_free(&loc);
}

void page_notice_subscribe_post(const struct web_request *req, struct web_response *res)
{
    struct store_body bd = {0};
    struct web_errors er = {0};
    struct err e = {0};
    if (req->read_only) {
        web_error_page(res, 503, "Dette er en kopi af arkivet: den tager ikke imod abonnementer.");
        return;
    }
    if (!body_of(req, res, &bd))
        goto done;
    private_page(res);
    const char *email = web_field(req, "email");
    const char *topic = web_field(req, "emne");
    struct store_actor a = {.name = "abonnent", .reader = NULL};
    int rc = store_notice_subscribe(req->store, bd.code, email, topic ? topic : "begge",
                                    req->client, &a, &e);
    const char *name = bd.name ? bd.name : bd.code;
    if (rc == ERR_USAGE) {
        if (strncmp(e.msg, "topic", 5) == 0)
            web_errors_add(&er, "emne", "Hvad vil du have besked om?",
                           "Vælg dagsordener, referater eller begge.");
        else if (!email || !*email)
            web_errors_add(&er, "email", "Din e-mailadresse", "Skriv din e-mailadresse.");
        else
            web_errors_add(&er, "email", "Din e-mailadresse",
                           "Det er ikke en e-mailadresse. Skriv den som navn@eksempel.dk.");
        res->status = 400;
        web_page_begin(res, "Abonnér på dagsordener og referater", NULL, NULL);
        buf_puts(&res->body, "<h1>");
        html_text(&res->body, name);
        buf_puts(&res->body, "</h1>\n");
        web_errors_summary(&res->body, &er);
        web_notice_form(&res->body, req, bd.code, email, topic, &er);
        web_page_end(res);
        goto done;
    }
    if (rc == ERR_BUSY) {
        web_error_page(res, 429, "Der er bedt om for mange abonnementer fra din forbindelse. "
                                 "Prøv igen om en time.");
        goto done;
    }
    if (rc < 0) {
        web_fail(res, rc, false, "Udvalget findes ikke.", &e);
        goto done;
    }
    /* The same answer whether the address was new, pending, confirmed or throttled. */
    web_page_begin(res, "Tjek din e-mail", NULL, NULL);
    struct buf *b = &res->body;
    buf_puts(b, "<h1>Tjek din e-mail</h1>\n<p>Hvis adressen kan modtage mail, får du om lidt en "
                "mail med et link. Abonnementet på ");
    html_text(b, name);
    buf_puts(b, " begynder, når du har bekræftet det på linket. Kommer der ingen mail, så "
                "kig i uønsket post, eller prøv igen senere.</p>\n<p><a href=\"/organ/");
    web_url(b, bd.code);
    buf_puts(b, "\">Tilbage til udvalget</a></p>\n");
    web_page_end(res);
done:
    store_body_fini(&bd);
}

/* The page of a link: a button that POSTs back to it. confirm: the confirmation, else the
 * unsubscribe page. */
static void link_page(const struct web_request *req, struct web_response *res, bool confirm)
{
    struct store_notice_link l = {0};
    struct err e = {0};
    private_page(res);
    const char *token = req->seg[2];
    int rc = req->store ? store_notice_link_get(req->store, token, confirm ? "confirm"
                                                                             : "unsubscribe",
                                                &l, &e)
                        : ERR_DB;
    if (rc == ERR_NOTFOUND) {
        web_error_page(res, 404, confirm ? "Linket er ukendt eller udløbet (det virker i 7 "
                                           "dage). Abonnér igen fra udvalgets side."
                                         : "Linket er ukendt.");
        return;
    }
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    const char *name = l.body_name ? l.body_name : l.body_code;
    struct buf action = BUF_INIT;
    buf_printf(&action, "/abonnement/%s/", confirm ? "bekraeft" : "afmeld");
    web_url(&action, token);
    web_page_begin(res, confirm ? "Bekræft abonnement" : "Afmeld abonnement", NULL, NULL);
    struct buf *b = &res->body;
    if (confirm) {
        buf_puts(b, "<h1>Bekræft abonnement</h1>\n<p>Du får besked fra ");
        html_text(b, name);
        buf_puts(b, " om: ");
        html_text(b, topic_label(l.topic));
        buf_puts(b, ".</p>\n");
    } else if (strcmp(l.state, "unsubscribed") == 0) {
        buf_puts(b, "<h1>Afmeldt</h1>\n<p>Du får ikke flere mails fra ");
        html_text(b, name);
        buf_puts(b, ".</p>\n");
        web_page_end(res);
        goto done;
    } else {
        buf_puts(b, "<h1>Afmeld abonnement</h1>\n<p>Du får ikke flere mails fra ");
        html_text(b, name);
        buf_puts(b, ", når du afmelder.</p>\n");
    }
    web_form_open(b, req, buf_cstr(&action), false);
    web_form_close(b, confirm ? "Bekræft abonnement" : "Afmeld");
    web_page_end(res);
done:
    buf_free(&action);
    store_notice_link_fini(&l);
}

static void link_post(const struct web_request *req, struct web_response *res, bool confirm)
{
    struct err e = {0};
    private_page(res);
    if (req->read_only) {
        web_error_page(res, 503, "Dette er en kopi af arkivet: den ændrer ingen abonnementer.");
        return;
    }
    struct store_actor a = {.name = "abonnent", .reader = NULL};
    const char *token = req->seg[2];
    int rc = !req->store ? ERR_DB
             : confirm   ? store_notice_confirm(req->store, token, &a, &e)
                         : store_notice_unsubscribe(req->store, token, &a, &e);
    if (rc == ERR_NOTFOUND) {
        web_error_page(res, 404, "Linket er ukendt eller udløbet.");
        return;
    }
    if (rc < 0) {
        web_fail(res, rc, false, NULL, &e);
        return;
    }
    web_page_begin(res, confirm ? "Abonnementet er bekræftet" : "Afmeldt", NULL, NULL);
    buf_puts(&res->body, confirm ? "<h1>Abonnementet er bekræftet</h1>\n<p>Du får en mail, "
                                   "når udvalget offentliggør en ny dagsorden eller et nyt "
                                   "referat, som du har valgt. Hver mail har et link til at "
                                   "afmelde.</p>\n"
                                 : "<h1>Afmeldt</h1>\n<p>Du får ikke flere mails.</p>\n");
    web_page_end(res);
}

void page_notice_confirm(const struct web_request *req, struct web_response *res)
{
    link_page(req, res, true);
}

void page_notice_confirm_post(const struct web_request *req, struct web_response *res)
{
    link_post(req, res, true);
}

void page_notice_unsubscribe(const struct web_request *req, struct web_response *res)
{
    link_page(req, res, false);
}

void page_notice_unsubscribe_post(const struct web_request *req, struct web_response *res)
{
    link_post(req, res, false);
}
