/* fuzz_url: the request-target parser and the route table's argument rule on any bytes:
 * what parses is valid, control-free UTF-8 within the limits; its canonical key (the page
 * cache's) parses back to the same key; routing and dispatching without a store never crash. */
#include "web/web.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    assert(s && web_text_ok(s, strlen(s)));
}

/* The canonical key of target, which must parse. */
static char *key_of(const char *target, struct web_request *r)
{
    int rc = web_request_parse(r, "GET", target);
    assert(rc == 0);
    web_route(r);
    struct buf k = BUF_INIT;
    web_request_key(&k, r);
    return buf_detach(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The server hands the parser the target up to its first NUL, as C strings go. */
    char *t = malloc(size + 1);
    memcpy(t, data, size);
    t[size] = '\0';
    struct web_request r;
    if (web_request_parse(&r, "GET", t) == 0) {
        assert(r.nargs <= WEB_MAX_ARGS && r.nseg <= WEB_MAX_SEGS);
        assert(r.path[0] == '/');
        check_text(r.path);
        for (size_t i = 0; i < r.nseg; i++) {
            check_text(r.seg[i]);
            assert(r.seg[i][0] && !strchr(r.seg[i], '/'));
        }
        for (size_t i = 0; i < r.nargs; i++) {
            check_text(r.args[i].key);
            check_text(r.args[i].value);
        }
        if (r.authority)
            assert(web_authority_ok(r.authority, strlen(r.authority)));

        /* Routing keeps a subset of the arguments, each once, none empty. */
        size_t before = r.nargs;
        web_route(&r);
        assert(r.routed && r.nargs <= before);
        for (size_t i = 0; i < r.nargs; i++) {
            assert(r.args[i].value[0]);
            for (size_t j = 0; j < i; j++)
                assert(strcmp(r.args[i].key, r.args[j].key) != 0);
        }

        /* The key is a target of its own whose key is itself. */
        struct buf k = BUF_INIT;
        web_request_key(&k, &r);
        struct web_request r2;
        char *k2 = key_of(buf_cstr(&k), &r2);
        assert(strcmp(k2, buf_cstr(&k)) == 0);
        assert((r2.route == NULL) == (r.route == NULL));
        free(k2);
        web_request_fini(&r2);
        buf_free(&k);

        struct web_response res;
        web_response_init(&res);
        web_dispatch(&r, &res);
        assert(res.status >= 200 && res.status < 600);
        web_response_fini(&res);
    }
    web_request_fini(&r);
    free(t);
    return 0;
}
