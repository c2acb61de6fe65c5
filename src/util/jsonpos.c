/* jsonpos: positions of values in JSON text, found again along their path (jsonpos.h). */
#include "jsonpos.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"

/* Each function takes and returns a byte offset. */

static size_t ws(const char *p, size_t n, size_t i)
{
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
        i++;
    return i;
}

static size_t skip_string(const char *p, size_t n, size_t i)
{
    for (i++; i < n && p[i] != '"'; i++)
        if (p[i] == '\\')
            i++;
    return i < n ? i + 1 : n;
}

static size_t skip_value(const char *p, size_t n, size_t i)
{
    if (i < n && p[i] == '"')
        return skip_string(p, n, i);
    if (i < n && (p[i] == '{' || p[i] == '[')) {
        size_t depth = 0;
        while (i < n) {
            if (p[i] == '"') {
                i = skip_string(p, n, i);
                continue;
            }
            if (p[i] == '{' || p[i] == '[')
                depth++;
            else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return n;
    }
    while (i < n && !strchr(",}] \t\r\n", p[i]))
        i++;
    return i;
}

/* Whether the string token p[i..j) spells key (escapes are decoded by jansson). */
static bool key_is(const char *p, size_t i, size_t j, const char *key)
{
    if (j - i < 2)
        return false;
    if (!memchr(p + i, '\\', j - i))
        return j - i - 2 == strlen(key) && memcmp(p + i + 1, key, j - i - 2) == 0;
    json_t *s = json_loadb(p + i, j - i, JSON_DECODE_ANY, NULL);
    bool same = json_is_string(s) && strcmp(json_string_value(s), key) == 0;
    json_decref(s);
    return same;
}

size_t jsonpos_locate(const char *p, size_t n, const struct jsonpos_step *path, size_t depth,
                      bool at_key)
{
    size_t i = ws(p, n, 0);
    for (size_t d = 0; d < depth; d++) {
        const struct jsonpos_step *s = &path[d];
        if (i >= n || p[i] != (s->key ? '{' : '['))
            return i;
        size_t at = i;
        i = ws(p, n, i + 1);
        if (s->key) {
            for (;;) {
                if (i >= n || p[i] != '"')
                    return at;
                size_t j = skip_string(p, n, i);
                bool hit = key_is(p, i, j, s->key);
                if (hit && at_key && d + 1 == depth)
                    return i;
                i = ws(p, n, j);
                i = ws(p, n, i + 1); /* the ':' */
                if (hit)
                    break;
                i = ws(p, n, skip_value(p, n, i));
                if (i >= n || p[i] != ',')
                    return at;
                i = ws(p, n, i + 1);
            }
        } else {
            for (size_t k = 0; k < s->index; k++) {
                i = ws(p, n, skip_value(p, n, i));
                if (i >= n || p[i] != ',')
                    return at;
                i = ws(p, n, i + 1);
            }
        }
    }
    return i;
}

void jsonpos_put_path(struct buf *b, const struct jsonpos_step *path, size_t depth)
{
    buf_putc(b, '$');
    for (size_t d = 0; d < depth; d++) {
        if (path[d].key)
            buf_printf(b, ".%s", path[d].key);
        else
            buf_printf(b, "[%zu]", path[d].index);
    }
}

bool jsonpos_key_printable(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(k[i] >= 'a' && k[i] <= 'z') && !(k[i] >= 'A' && k[i] <= 'Z') &&
            !(k[i] >= '0' && k[i] <= '9') && k[i] != '_' && k[i] != '-')
            return false;
    return true;
}

void jsonpos_syntax_error(const json_error_t *je, struct err *e)
{
    unsigned line = je->line > 0 ? (unsigned)je->line : 1;
    unsigned col = je->column > 0 ? (unsigned)je->column : 1;
    char text[JSON_ERROR_TEXT_LENGTH];
    snprintf(text, sizeof text, "%s", je->text);
    char *near = strstr(text, " near '");
    if (json_error_code(je) == json_error_duplicate_key && near) {
        /* The token is the key, in quotes: "duplicate object key near '"title"'". */
        char *k = near + strlen(" near '\"");
        size_t len = strlen(k);
        if (len >= 2 && k[len - 1] == '\'' && k[len - 2] == '"') {
            k[len - 2] = '\0';
            if (jsonpos_key_printable(k)) {
                err_set(e, ERR_SYNTAX, line, col, "duplicate key \"%s\"", k);
                return;
            }
        }
        err_set(e, ERR_SYNTAX, line, col, "duplicate key");
        return;
    }
    if (near)
        *near = '\0';
    err_set(e, ERR_SYNTAX, line, col, "%s", text);
}
