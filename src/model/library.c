/* library: the rules of a body's library items, templates applied to cases, standard texts
 * inserted, help text found. */
#include "library.h"
#include "grow.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/utf8.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const library_kinds[3] = {"text", "template", "recurring"};
static const char *const kind_labels[3] = {"Standardtekster", "Skabeloner", "Faste punkter"};
const char *const library_fields[3] = {"presentation", "intro", "recommendation"};
static const char *const field_labels[3] = {"Sagsfremstilling", "Indledning til tidsplanen",
                                            "Indstilling"};

static int index_of(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(v[i], s) == 0)
            return (int)i;
    return -1;
}

const char *library_kind_label(const char *kind)
{
    int i = index_of(library_kinds, 3, kind);
    return i < 0 ? NULL : kind_labels[i];
}

bool library_kind_valid(const char *kind)
{
    return index_of(library_kinds, 3, kind) >= 0;
}

const char *library_field_label(const char *field)
{
    int i = index_of(library_fields, 3, field);
    return i < 0 ? NULL : field_labels[i];
}

/* ---- sections ---- */

static char *dup_nonempty(const char *s)
{
    return s && *s ? xstrdup(s) : NULL;
}

void library_sections_free(struct library_section *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].field);
        free(v[i].text);
        free(v[i].help);
    }
    free(v);
}

/* A string-or-null member; false for another type. */
static bool opt_str(json_t *o, const char *key, char **out)
{
    json_t *x = json_object_get(o, key);
    if (!x || json_is_null(x))
        return true;
    if (!json_is_string(x))
        return false;
    *out = dup_nonempty(json_string_value(x));
    return true;
}

int library_sections_parse(const char *json, struct library_section **v_out, size_t *n_out,
                           struct err *e)
{
    json_error_t je;
    json_t *a = json_loads(json ? json : "", JSON_REJECT_DUPLICATES, &je);
    struct library_section *v = NULL;
    size_t n = 0;
    int rc = 0;
    if (!a || !json_is_array(a)) {
        rc = ERR_SYNTAX;
        err_set(e, rc, 0, 0, "sections: expected a JSON array of sections");
        goto done;
    }
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o)
    {
        if (!json_is_object(o)) {
            err_set(e, rc = ERR_SYNTAX, 0, 0, "section %zu: expected an object", i + 1);
            goto done;
        }
        const char *key;
        json_t *x;
        json_object_foreach(o, key, x)
        {
            if (index_of((const char *const[]){"name", "field", "text", "help"}, 4, key) < 0) {
                err_set(e, rc = ERR_SYNTAX, 0, 0,
                        "section %zu: unknown key (expected name, "
                        "field, text, help)",
                        i + 1);
                goto done;
            }
        }
        struct library_section *sec = GROW(v, n);
        json_t *name = json_object_get(o, "name");
        if (!json_is_string(name)) {
            err_set(e, rc = ERR_SYNTAX, 0, 0, "section %zu: expected a string \"name\"", i + 1);
            goto done;
        }
        sec->name = xstrdup(json_string_value(name));
        if (!opt_str(o, "field", &sec->field) || !opt_str(o, "text", &sec->text) ||
            !opt_str(o, "help", &sec->help)) {
            err_set(e, rc = ERR_SYNTAX, 0, 0,
                    "section %zu: field, text and help are strings "
                    "or null",
                    i + 1);
            goto done;
        }
    }
done:
    json_decref(a);
    if (rc < 0) {
        library_sections_free(v, n);
        return rc;
    }
    *v_out = v;
    *n_out = n;
    return 0;
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

char *library_sections_json(const struct library_section *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(v[i].name ? v[i].name : ""));
        json_object_set_new(o, "field", str_or_null(v[i].field));
        json_object_set_new(o, "text", str_or_null(v[i].text));
        json_object_set_new(o, "help", str_or_null(v[i].help));
        json_array_append_new(a, o);
    }
    char *out = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    if (!out) {
        fprintf(stderr, "referat: out of memory\n");
        abort();
    }
    return out;
}

/* ---- checks ---- */

void library_problem(struct library_problems *pr, const char *field, const char *danish,
                     const char *fmt, ...)
{
    if (!pr)
        return;
    if (pr->n < LIBRARY_PROBLEMS_MAX) {
        snprintf(pr->v[pr->n].field, sizeof pr->v[pr->n].field, "%s", field);
        snprintf(pr->v[pr->n].danish, sizeof pr->v[pr->n].danish, "%s", danish);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(pr->v[pr->n].message, sizeof pr->v[pr->n].message, fmt, ap);
        va_end(ap);
    }
    pr->n++;
}

/* 0 when s is valid UTF-8 of allowed characters within max bytes, else why not. */
static const char *text_fault(const char *s, size_t max, bool one_line)
{
    size_t n = strlen(s);
    if (n > max)
        return "long";
    if (utf8_invalid_at(s, n) != n)
        return "utf8";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool eol = *p == '\n' || *p == '\r';
        if ((*p < 0x20 && *p != '\t' && !eol) || *p == 0x7f || (one_line && eol))
            return one_line && eol ? "line" : "control";
    }
    return NULL;
}

/* Checks one text; true when it is fine. */
static bool check_text(struct library_problems *pr, const char *field, const char *s)
{
    const char *f = s ? text_fault(s, LIBRARY_TEXT_MAX, false) : NULL;
    if (!f)
        return true;
    if (strcmp(f, "long") == 0)
        library_problem(pr, field, "Teksten er for lang (højst 65536 byte).",
                        "%s: longer than %d bytes", field, LIBRARY_TEXT_MAX);
    else if (strcmp(f, "utf8") == 0)
        library_problem(pr, field, "Teksten er ikke gyldig UTF-8.", "%s: not valid UTF-8", field);
    else
        library_problem(pr, field, "Teksten indeholder kontroltegn.",
                        "%s: holds a control character", field);
    return false;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static void check_sections(const char *json, struct library_problems *pr)
{
    struct library_section *v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (blank(json)) {
        library_problem(pr, "sections", "En skabelon skal have mindst ét afsnit.",
                        "sections: a template needs at least one section");
        return;
    }
    if (library_sections_parse(json, &v, &n, &e) < 0) {
        library_problem(pr, "sections", "Afsnittene kunne ikke læses.", "%s", e.msg);
        return;
    }
    if (n == 0)
        library_problem(pr, "sections", "En skabelon skal have mindst ét afsnit.",
                        "sections: a template needs at least one section");
    if (n > LIBRARY_SECTIONS_MAX)
        library_problem(pr, "sections", "En skabelon kan højst have 40 afsnit.",
                        "sections: more than %d", LIBRARY_SECTIONS_MAX);
    for (size_t i = 0; i < n && i < LIBRARY_SECTIONS_MAX; i++) {
        char f[40];
        snprintf(f, sizeof f, "sections[%zu].name", i);
        const char *fault = v[i].name ? text_fault(v[i].name, LIBRARY_NAME_MAX * 4, true) : NULL;
        if (blank(v[i].name))
            library_problem(pr, f, "Afsnittet skal have et navn.", "%s: a section needs a name", f);
        else if (fault || utf8_chars(v[i].name, strlen(v[i].name)) > LIBRARY_NAME_MAX)
            library_problem(pr, f, "Navnet skal være én linje på højst 200 tegn.",
                            "%s: expected one line of at most %d characters", f, LIBRARY_NAME_MAX);
        for (size_t j = 0; j < i; j++)
            if (v[i].name && v[j].name && strcmp(v[i].name, v[j].name) == 0) {
                library_problem(pr, f, "To afsnit har samme navn.",
                                "%s: the same name as section %zu", f, j + 1);
                break;
            }
        snprintf(f, sizeof f, "sections[%zu].field", i);
        if (v[i].field && index_of(library_fields, 3, v[i].field) < 0)
            library_problem(pr, f,
                            "Ukendt felt (Sagsfremstilling, Indledning eller "
                            "Indstilling).",
                            "%s: expected presentation, intro, "
                            "recommendation or null",
                            f);
        for (size_t j = 0; v[i].field && j < i; j++)
            if (v[j].field && strcmp(v[i].field, v[j].field) == 0) {
                library_problem(pr, f, "Feltet bruges allerede af et andet afsnit.",
                                "%s: used by section %zu already", f, j + 1);
                break;
            }
        snprintf(f, sizeof f, "sections[%zu].text", i);
        check_text(pr, f, v[i].text);
        snprintf(f, sizeof f, "sections[%zu].help", i);
        check_text(pr, f, v[i].help);
    }
    library_sections_free(v, n);
}

size_t library_item_check(const struct library_item *it, struct library_problems *pr)
{
    struct library_problems local = {0};
    if (!pr)
        pr = &local;
    size_t before = pr->n;
    int kind = index_of(library_kinds, 3, it->kind);
    if (kind < 0) {
        library_problem(pr, "kind", "Ukendt slags.", "kind: expected text, template or recurring");
        return pr->n - before;
    }
    const char *fault = it->name ? text_fault(it->name, LIBRARY_NAME_MAX * 4, true) : NULL;
    if (blank(it->name))
        library_problem(pr, "name", "Skriv et navn.", "name: expected a name");
    else if (fault || utf8_chars(it->name, strlen(it->name)) > LIBRARY_NAME_MAX)
        library_problem(pr, "name", "Navnet skal være én linje på højst 200 tegn.",
                        "name: expected one line of at most %d characters", LIBRARY_NAME_MAX);
    if (check_text(pr, "text", it->text) && kind == 0 && blank(it->text))
        library_problem(pr, "text", "Skriv standardteksten.", "text: expected the text");
    if (kind == 1 && it->text && text_fault(it->text, LIBRARY_TEXT_MAX, true) &&
        !text_fault(it->text, LIBRARY_TEXT_MAX, false))
        library_problem(pr, "text", "Titlen skal være én linje.",
                        "text: a template's title is one line");
    if (kind == 1)
        check_sections(it->sections, pr);
    if (kind == 2 && (it->duration < 1 || it->duration > LIBRARY_DURATION_MAX))
        library_problem(pr, "duration", "Varigheden skal være 1 til 600 minutter.",
                        "duration: expected 1..%d minutes", LIBRARY_DURATION_MAX);
    return pr->n - before;
}

char *library_text_norm(const char *text)
{
    struct buf b = BUF_INIT;
    size_t blanks = 0;
    for (const char *p = text ? text : ""; *p;) {
        const char *eol = p + strcspn(p, "\n");
        size_t len = (size_t)(eol - p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
            len--;
        if (len == 0) {
            blanks++;
        } else {
            if (b.len)
                buf_puts(&b, blanks ? "\n\n" : "\n");
            buf_put(&b, p, len);
            blanks = 0;
        }
        p = *eol ? eol + 1 : eol;
    }
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* ---- templates ---- */

static char **field_of(struct case_doc *c, const char *field)
{
    switch (index_of(library_fields, 3, field)) {
    case 0:
        return &c->presentation;
    case 1:
        return &c->intro;
    case 2:
        return &c->recommendation;
    default:
        return NULL;
    }
}

static void append_paragraphs(char **to, const char *text)
{
    char *norm = library_text_norm(text);
    if (!norm)
        return;
    if (!*to) {
        *to = norm;
        return;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s\n\n%s", *to, norm);
    free(norm);
    free(*to);
    *to = buf_detach(&b);
}

int library_template_apply(const char *title, const char *sections, struct case_doc *c,
                           struct err *e)
{
    struct library_section *v = NULL;
    size_t n = 0;
    int rc = library_sections_parse(sections, &v, &n, e);
    if (rc < 0)
        return rc;
    if (!c->title && title && !blank(title))
        c->title = library_text_norm(title);
    for (size_t i = 0; i < n; i++) {
        char **to = field_of(c, v[i].field);
        if (to) {
            append_paragraphs(to, v[i].text);
        } else {
            struct section *s = case_add_section(c);
            s->name = xstrdup(v[i].name);
            s->text = library_text_norm(v[i].text);
        }
        /* v[i].help is left where it is: help text never enters a case. */
    }
    library_sections_free(v, n);
    return 0;
}

int library_template_help(const char *sections, const char *where, char **help, struct err *e)
{
    struct library_section *v = NULL;
    size_t n = 0;
    int rc = library_sections_parse(sections, &v, &n, e);
    if (rc < 0)
        return rc;
    char *out = NULL;
    bool is_field = index_of(library_fields, 3, where) >= 0;
    for (size_t i = 0; where && i < n && !out; i++) {
        bool match = is_field ? v[i].field && strcmp(v[i].field, where) == 0
                              : !v[i].field && strcmp(v[i].name, where) == 0;
        if (match && v[i].help)
            out = xstrdup(v[i].help);
    }
    library_sections_free(v, n);
    *help = out;
    return 0;
}

/* ---- standard texts ---- */

int library_text_insert(char **paragraphs, size_t at, const char *text, struct err *e)
{
    char *norm = library_text_norm(text);
    if (!norm) {
        err_set(e, ERR_USAGE, 0, 0, "the standard text is empty");
        return ERR_USAGE;
    }
    char *old = library_text_norm(*paragraphs);
    struct buf b = BUF_INIT;
    const char *p = old ? old : "";
    /* Paragraph `at` starts after `at` separators; with fewer, the text goes at the end. */
    const char *split = NULL;
    if (*p) {
        split = p;
        for (size_t i = 0; i < at && split; i++) {
            const char *sep = strstr(split, "\n\n");
            split = sep ? sep + 2 : NULL;
        }
    }
    if (!*p) {
        buf_puts(&b, norm);
    } else if (!split) {
        buf_printf(&b, "%s\n\n%s", p, norm);
    } else {
        buf_put(&b, p, (size_t)(split - p));
        buf_printf(&b, "%s\n\n%s", norm, split);
    }
    free(norm);
    free(old);
    free(*paragraphs);
    *paragraphs = buf_detach(&b);
    return 0;
}

/* ---- help text in a text ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s with every run of white space as one space and none at either end; map[i] (when map is
 * not NULL) is the offset in s of output byte i, map[len] the end of the last byte taken. */
static char *squeeze(const char *s, size_t **map, size_t *len)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    size_t *m = map ? xmalloc((n + 1) * sizeof *m) : NULL;
    size_t k = 0, last = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i])) {
            space = k > 0;
            continue;
        }
        if (space) {
            if (m)
                m[k] = i;
            out[k++] = ' ';
            space = false;
        }
        if (m)
            m[k] = i;
        out[k++] = s[i];
        last = i + 1;
    }
    out[k] = '\0';
    if (m)
        m[k] = last;
    if (map)
        *map = m;
    *len = k;
    return out;
}

bool library_holds_help(const char *text, const char *const *help, size_t n,
                        struct library_help_hit *hit)
{
    if (!text || !*text)
        return false;
    size_t *map, tlen;
    char *t = squeeze(text, &map, &tlen);
    bool found = false;
    size_t best = 0, best_end = 0, which = 0;
    for (size_t h = 0; h < n; h++) {
        for (const char *p = help[h] ? help[h] : ""; *p;) {
            const char *eol = p + strcspn(p, "\n");
            char *line = xstrndup(p, (size_t)(eol - p));
            size_t llen;
            char *needle = squeeze(line, NULL, &llen);
            free(line);
            if (utf8_chars(needle, llen) >= LIBRARY_HELP_MIN) {
                const char *at = strstr(t, needle);
                if (at && (!found || (size_t)(at - t) < best)) {
                    found = true;
                    best = (size_t)(at - t);
                    best_end = best + llen;
                    which = h;
                }
            }
            free(needle);
            p = *eol ? eol + 1 : eol;
        }
    }
    if (found && hit) {
        hit->help = which;
        hit->offset = map[best];
        hit->len = map[best_end - 1] + 1 - map[best];
        utf8_position(text, hit->offset, &hit->line, &hit->col);
    }
    free(map);
    free(t);
    return found;
}
