/* test_web: request-target decoding, argument helpers and routing of the portal, without a
 * socket or a store. */
#include "test.h"
#include "web/form.h"
#include "web/web.h"
#include "util/buf.h"

#include <string.h>

static int parse(struct web_request *r, const char *target)
{
    return web_request_parse(r, "GET", target);
}

static void test_path_and_segments(void)
{
    struct web_request r;
    CHECK_INT(parse(&r, "/organ/%C3%98K/2023"), 0);
    CHECK_STR(r.path, "/organ/ØK/2023");
    CHECK_INT(r.nseg, 3);
    CHECK_STR(r.seg[0], "organ");
    CHECK_STR(r.seg[1], "ØK");
    CHECK_STR(r.seg[2], "2023");
    CHECK_INT(r.nargs, 0);
    web_request_fini(&r);

    CHECK_INT(parse(&r, "/"), 0);
    CHECK_INT(r.nseg, 0);
    web_request_fini(&r);

    /* A trailing slash stays in path (the router redirects) but makes no segment. */
    CHECK_INT(parse(&r, "/sag/12/"), 0);
    CHECK_STR(r.path, "/sag/12/");
    CHECK_INT(r.nseg, 2);
    web_request_fini(&r);

    /* '+' is literal in a path, a space in a query. */
    CHECK_INT(parse(&r, "/a+b?q=a+b%2Bc"), 0);
    CHECK_STR(r.seg[0], "a+b");
    CHECK_STR(web_arg(&r, "q"), "a b+c");
    web_request_fini(&r);
}

static void test_query_arguments(void)
{
    struct web_request r;
    CHECK_INT(parse(&r, "/soeg?q=r%C3%A5derum&organ=&fra=2023-01-01&flag&side=3#frag"), 0);
    CHECK_INT(r.nargs, 5);
    CHECK_STR(web_arg(&r, "q"), "råderum");
    CHECK_STR(web_arg(&r, "organ"), NULL); /* empty counts as absent */
    CHECK_STR(web_arg(&r, "flag"), NULL);
    CHECK_STR(web_arg(&r, "fra"), "2023-01-01");
    CHECK_STR(web_arg(&r, "mangler"), NULL);
    CHECK_INT(web_arg_page(&r, "side"), 3);
    CHECK_INT(web_arg_page(&r, "mangler"), 1);
    web_request_fini(&r);

    CHECK_INT(parse(&r, "/x?side=-4&b=0&c=99999999999"), 0);
    CHECK_INT(web_arg_page(&r, "side"), 1);
    CHECK_INT(web_arg_page(&r, "b"), 1);
    CHECK_INT(web_arg_page(&r, "c"), 100000);
    web_request_fini(&r);

    CHECK_INT(parse(&r, "/x?&&a=1&&"), 0);
    CHECK_INT(r.nargs, 1);
    web_request_fini(&r);
}

static void test_rejected_targets(void)
{
    static const char *const bad[] = {
        "",                   /* empty */
        "sag/1",              /* no leading slash */
        "/sag/%00",           /* NUL */
        "/sag/%0a",           /* control character */
        "/sag/%7F",           /* DEL */
        "/%C2%85",            /* C1 control (NEL) */
        "/sag/%FF",           /* not UTF-8 */
        "/%C0%AF",            /* overlong '/' */
        "/%ED%A0%80",         /* surrogate */
        "/%F4%90%80%80",      /* above U+10FFFF */
        "/%C3",               /* truncated sequence */
        "/sag/%zz",           /* bad escape */
        "/sag/%4",            /* short escape */
        "/sag/%",             /* bare percent */
        "/a//b",              /* empty segment */
        "/a/../b",            /* traversal */
        "/a/./b",             /* dot segment */
        "/a/%2e%2e/b",        /* encoded traversal */
        "/?q=%00",            /* NUL in a value */
        "/?%FF=1",            /* bad key */
        "/?q=a%0Db",          /* CR in a value */
        "/1/2/3/4/5/6/7/8/9", /* too many segments */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct web_request r;
        int rc = parse(&r, bad[i]);
        if (rc != -1)
            fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
        CHECK_INT(rc, -1);
        web_request_fini(&r);
    }
    struct buf many = BUF_INIT;
    buf_puts(&many, "/soeg?");
    for (int i = 0; i <= WEB_MAX_ARGS; i++)
        buf_printf(&many, "a%d=1&", i);
    struct web_request r;
    CHECK_INT(parse(&r, buf_cstr(&many)), -1);
    web_request_fini(&r);
    buf_free(&many);
}

static void test_text_ok(void)
{
    CHECK(web_text_ok("Økonomiudvalget – råderum", strlen("Økonomiudvalget – råderum")));
    CHECK(web_text_ok("😀", 4));
    CHECK(!web_text_ok("a\tb", 3));
    CHECK(!web_text_ok("\xc3\x28", 2));
    CHECK(!web_text_ok("\xe2\x82", 2));
}

static void test_ids_and_dates(void)
{
    CHECK_INT(web_parse_id("42"), 42);
    CHECK_INT(web_parse_id("042"), 0);
    CHECK_INT(web_parse_id("0"), 0);
    CHECK_INT(web_parse_id("-1"), 0);
    CHECK_INT(web_parse_id("12.json"), 0);
    CHECK_INT(web_parse_id("99999999999999999999"), 0);
    CHECK_INT(web_parse_id(NULL), 0);
    CHECK(web_is_date("2024-02-29"));
    CHECK(!web_is_date("2023-02-29"));
    CHECK(!web_is_date("2023-13-01"));
    CHECK(!web_is_date("2023-1-01"));
    CHECK(!web_is_date("20231201"));
    CHECK(!web_is_date(NULL));
}

/* Routing without a store: pages that need one answer 503, the rest answer themselves. */
static void route(const char *target, int want_status, const char *want_type)
{
    struct web_request r;
    struct web_response res;
    CHECK_INT(parse(&r, target), 0);
    web_response_init(&res);
    web_dispatch(&r, &res);
    if (res.status != want_status)
        fprintf(stderr, "%s\n", target);
    CHECK_INT(res.status, want_status);
    CHECK(strncmp(res.type, want_type, strlen(want_type)) == 0);
    web_response_fini(&res);
    web_request_fini(&r);
}

static void test_routes(void)
{
    route("/static/referat.css", 200, "text/css");
    route("/robots.txt", 200, "text/plain");
    route("/api", 200, "application/json");
    route("/findes/ikke", 404, "text/html");
    route("/api/findes/ikke", 404, "application/json");
    route("/organ/DIR/", 301, "text/html");
    route("/", 503, "text/html");
    route("/sag/1", 503, "text/html");
    route("/sag/abc", 404, "text/html");
    route("/sag/1/bilag/x", 404, "text/html");
    route("/moede/x", 404, "text/html");
    route("/api/cases/1", 503, "application/json");
    route("/organ/DIR/20x3", 404, "text/html");
}

static void test_redirect_location(void)
{
    struct web_request r;
    struct web_response res;
    CHECK_INT(parse(&r, "/organ/%C3%98K/"), 0);
    web_response_init(&res);
    web_dispatch(&r, &res);
    CHECK_INT(res.status, 301);
    CHECK_INT(res.nheaders, 1);
    CHECK_STR(res.headers[0].name, "Location");
    CHECK_STR(res.headers[0].value, "/organ/%C3%98K");
    web_response_fini(&res);
    web_request_fini(&r);
}

static void test_error_page_escapes(void)
{
    struct web_response res;
    web_response_init(&res);
    web_error_page(&res, 404, "<script>alert(1)</script>");
    CHECK_INT(res.status, 404);
    CHECK(strstr(buf_cstr(&res.body), "&lt;script&gt;") != NULL);
    CHECK(strstr(buf_cstr(&res.body), "<script>") == NULL);
    CHECK(strstr(buf_cstr(&res.body), "<html lang=\"da\">") != NULL);
    web_response_fini(&res);
}

/* The staff forms' fields: escaped values, ids from names, the error at its field, the focus
 * on the first error only, a password never written back. */
static void test_form_fields(void)
{
    struct buf b = BUF_INIT;
    struct web_errors er = {0};
    web_errors_add(&er, "subitem[2].time", "Tidspunkt", "Forventede et klokkeslæt som 10:30.");
    web_errors_add(&er, "title", "Titel", "Skal udfyldes.");
    web_input(&b, &(struct web_input){.name = "subitem[2].time", .label = "Tid",
                                      .type = WEB_INPUT_TIME, .value = "25:\"<x>"}, &er);
    const char *h = buf_cstr(&b);
    CHECK(strstr(h, "id=\"subitem-2--time\"") != NULL);
    CHECK(strstr(h, "value=\"25:&quot;&lt;x&gt;\"") != NULL);
    CHECK(strstr(h, "<p class=\"error\" id=\"subitem-2--time-error\">Forventede") != NULL);
    CHECK(strstr(h, "aria-invalid=\"true\" autofocus") != NULL);
    buf_truncate(&b, 0);
    web_input(&b, &(struct web_input){.name = "title", .label = "Titel", .required = true}, &er);
    h = buf_cstr(&b);
    CHECK(strstr(h, "aria-invalid=\"true\"") != NULL);
    CHECK(strstr(h, "autofocus") == NULL);
    CHECK(strstr(h, "(skal udfyldes)") != NULL);
    buf_truncate(&b, 0);
    web_input(&b, &(struct web_input){.name = "pw", .label = "Kode", .type = WEB_INPUT_PASSWORD,
                                      .value = "hemmelig"}, NULL);
    CHECK(strstr(buf_cstr(&b), "hemmelig") == NULL);
    buf_truncate(&b, 0);
    static const struct web_choice open[] = {{"1", "Åben"}, {"0", "Lukket"}, {NULL, NULL}};
    web_input(&b, &(struct web_input){.name = "public", .label = "Åben/Lukket",
                                      .type = WEB_INPUT_SELECT, .value = "0", .choices = open},
              NULL);
    CHECK(strstr(buf_cstr(&b), "<option value=\"0\" selected>Lukket</option>") != NULL);
    buf_truncate(&b, 0);
    web_errors_summary(&b, &er);
    CHECK(strstr(buf_cstr(&b), "<a href=\"#subitem-2--time\">Tidspunkt: Forventede") != NULL);
    CHECK_INT(er.n, 2);
    buf_free(&b);
}

int main(void)
{
    RUN(test_path_and_segments);
    RUN(test_query_arguments);
    RUN(test_rejected_targets);
    RUN(test_text_ok);
    RUN(test_ids_and_dates);
    RUN(test_routes);
    RUN(test_redirect_location);
    RUN(test_error_page_escapes);
    RUN(test_form_fields);
    return TEST_REPORT();
}
