/* fuzz_library: the body library's file and the model on any bytes: the parser never crashes,
 * every error has a position inside the input; what parses, its items' problems are located
 * inside the input; an item without problems survives write -> parse unchanged; applying a
 * template copies no help text into the case unless its prefilled text held it already. */
#include "format/library_file.h"
#include "model/library.h"
#include "util/buf.h"
#include "util/err.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0) || (!a && b && !*b) || (a && !*a && !b);
}

/* The help texts of a template's sections, and whether any prefilled text holds one. */
static void check_apply(const struct library_item *it)
{
    struct library_section *v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (library_sections_parse(it->sections, &v, &n, &e) < 0)
        return;
    const char **helps = calloc(n ? n : 1, sizeof *helps);
    struct buf prefilled = BUF_INIT;
    buf_puts(&prefilled, it->text ? it->text : "");
    for (size_t i = 0; i < n; i++) {
        helps[i] = v[i].help;
        buf_printf(&prefilled, "\n\n%s", v[i].text ? v[i].text : "");
    }
    struct case_doc *c = case_new();
    int rc = library_template_apply(it->text, it->sections, c, &e);
    assert(rc == 0);
    if (!library_holds_help(buf_cstr(&prefilled), helps, n, NULL)) {
        assert(!library_holds_help(c->presentation, helps, n, NULL));
        assert(!library_holds_help(c->intro, helps, n, NULL));
        assert(!library_holds_help(c->recommendation, helps, n, NULL));
        for (size_t i = 0; i < c->nsections; i++)
            assert(!library_holds_help(c->sections[i].text, helps, n, NULL));
    }
    case_free(c);
    buf_free(&prefilled);
    free(helps);
    library_sections_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct library_file f = {0};
    struct err e = {0};
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (library_file_parse((const char *)data, size, &f, &e) < 0) {
        assert(e.code < 0 && e.line >= 1 && e.line <= lines);
        return 0;
    }
    for (size_t i = 0; i < f.n; i++) {
        struct library_problems pr = {0};
        size_t np = library_item_check(&f.v[i], &pr);
        for (size_t k = 0; k < np && k < LIBRARY_PROBLEMS_MAX; k++) {
            unsigned line = 0, col = 0;
            library_file_locate(&f, i, pr.v[k].field, &line, &col);
            assert(line >= 1 && line <= lines && col >= 1);
        }
        if (np)
            continue;
        if (strcmp(f.v[i].kind, "template") == 0)
            check_apply(&f.v[i]);
        /* One good item alone, written and read again, is the same item. */
        char *out = library_file_write("X", &f.v[i], 1);
        struct library_file g = {0};
        int rc = library_file_parse(out, strlen(out), &g, &e);
        assert(rc == 0 && g.n == 1);
        assert(strcmp(g.v[0].kind, f.v[i].kind) == 0 && same(g.v[0].name, f.v[i].name));
        assert(g.v[0].duration == f.v[i].duration || strcmp(f.v[i].kind, "recurring") != 0);
        library_file_fini(&g);
        free(out);
    }
    library_file_fini(&f);
    return 0;
}
