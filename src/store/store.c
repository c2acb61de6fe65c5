/* store: the parts of the archive interface every backend shares (frees, keys, body codes). */
#include "store.h"
#include "store_internal.h"
#include "../util/buf.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *store_key(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    /* A leading dot starts a hidden name, not an extension. */
    if (!dot || dot == base)
        return xstrdup(base);
    return xstrndup(base, (size_t)(dot - base));
}

/* Bodies whose headings and codes are fixed in Danish municipal minutes. Others are learned
 * from the order of a case's route beside its decisions (see store_sqlite.c). */
static const struct {
    const char *name, *code;
} known_bodies[] = {
    {"Direktionen", "DIR"},
    {"Økonomiudvalget", "ØK"},
    {"Kommunalbestyrelsen", "KB"},
    {"Byrådet", "BY"},
};

const char *store_known_code(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof known_bodies / sizeof known_bodies[0]; i++)
        if (strcmp(name, known_bodies[i].name) == 0)
            return known_bodies[i].code;
    return NULL;
}

void store_hash(const void *p, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, p, n, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void store_now(char out[21])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- frees ---- */

static void case_ref_fini(struct store_case_ref *r)
{
    free(r->key);
    free(r->title);
    free(r->body);
    free(r->date);
}

void store_case_refs_free(struct store_case_ref *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        case_ref_fini(&v[i]);
    free(v);
}

void store_file_fini(struct store_file *f)
{
    if (!f)
        return;
    free(f->filename);
    free(f->mime);
    free(f->bytes);
    memset(f, 0, sizeof *f);
}

void store_source_fini(struct store_source *src)
{
    if (!src)
        return;
    free(src->name);
    free(src->format);
    free(src->hash);
    free(src->imported_at);
    free(src->bytes);
    memset(src, 0, sizeof *src);
}

void store_versions_free(struct store_version *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].imported_at);
        free(v[i].name);
        free(v[i].format);
        free(v[i].hash);
    }
    free(v);
}

void store_bodies_free(struct store_body *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].name);
    }
    free(v);
}

void store_meeting_fini(struct store_meeting *m)
{
    if (!m)
        return;
    free(m->body);
    free(m->body_name);
    free(m->date);
    memset(m, 0, sizeof *m);
}

void store_meetings_free(struct store_meeting *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_meeting_fini(&v[i]);
    free(v);
}

void store_followups_free(struct store_followup *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].case_title);
        free(v[i].body);
        free(v[i].meeting_date);
        free(v[i].entry_title);
        free(v[i].owner);
        free(v[i].role);
        free(v[i].text);
        free(v[i].due);
        free(v[i].done_by);
        free(v[i].done_at);
    }
    free(v);
}

void store_people_free(struct store_person *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].role);
    }
    free(v);
}

void store_appearances_free(struct store_appearance *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].case_title);
        free(v[i].subitem_title);
        free(v[i].role);
        free(v[i].body);
        free(v[i].date);
    }
    free(v);
}

void store_problems_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
