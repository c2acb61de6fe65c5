/* store: the parts of the archive interface every backend shares: keys and body codes, the
 * re-import and unchanged rules, public sources, the ledger's hash, accounts' secrets, frees. */
#include "store.h"
#include "store_internal.h"
#include "../format/format.h"
#include "../util/buf.h"
#include "../util/clock.h"
#include "../util/utf8.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
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
    clock_iso(out);
}

/* ---- re-import, unchanged, public sources ---- */

static bool streq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

struct store_followup_match *store_followup_match(struct store_followup_match *old, size_t n,
                                                  const struct followup *f)
{
    for (size_t k = 0; k < n; k++) {
        struct store_followup_match *m = &old[k];
        if (!m->used && streq(m->owner, f->owner ? f->owner : "") && streq(m->role, f->role) &&
            streq(m->text, f->text ? f->text : "") && streq(m->due, f->due)) {
            m->used = true;
            return m;
        }
    }
    return NULL;
}

void store_followup_matches_free(struct store_followup_match *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].owner);
        free(v[i].role);
        free(v[i].text);
        free(v[i].due);
    }
    free(v);
}

bool store_unchanged(const char *latest_hash_same_format, const char *hash)
{
    return latest_hash_same_format && strcmp(latest_hash_same_format, hash) == 0;
}

bool store_source_is_public(const char *format, const char *bytes, size_t len)
{
    const struct fmt_reader *r = fmt_reader_find(format);
    struct case_doc *c = NULL;
    struct err pe = {0};
    struct warnings w = {0};
    bool ok = false;
    if (r && fmt_read(r, bytes, len, FMT_NOLAYOUT, &c, &pe, &w) == 0) {
        struct case_doc *v = case_view(c, AUDIENCE_PUBLIC);
        ok = c->public && case_equal(c, v, false);
        case_free(v);
    }
    case_free(c);
    warnings_fini(&w);
    return ok;
}

/* ---- the ledger's hash ---- */

const char store_ledger_genesis[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void put_field(crypto_generichash_state *h, const char *v)
{
    char len[32];
    if (!v) {
        crypto_generichash_update(h, (const unsigned char *)"-;", 2);
        return;
    }
    size_t n = strlen(v);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_generichash_update(h, (const unsigned char *)len, (size_t)k);
    crypto_generichash_update(h, (const unsigned char *)v, n);
    crypto_generichash_update(h, (const unsigned char *)";", 1);
}

static void put_int(crypto_generichash_state *h, long long v)
{
    char t[32];
    snprintf(t, sizeof t, "%lld", v);
    put_field(h, t);
}

void store_event_hash(const struct store_event_fields *f, char out[65])
{
    crypto_generichash_state h;
    unsigned char d[32];
    crypto_generichash_init(&h, NULL, 0, sizeof d);
    put_field(&h, "referat-ledger/1");
    put_int(&h, f->id);
    put_field(&h, f->at);
    put_int(&h, f->actor_id);
    put_field(&h, f->actor);
    put_field(&h, f->action);
    put_field(&h, f->object);
    put_int(&h, f->before);
    put_int(&h, f->after);
    put_field(&h, f->client);
    put_field(&h, f->detail);
    put_field(&h, f->prev);
    crypto_generichash_final(&h, d, sizeof d);
    sodium_bin2hex(out, 65, d, sizeof d);
}

/* ---- accounts' secrets ---- */

int store_check_login(const char *login, struct err *e)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || n > STORE_LOGIN_MAX) {
        err_set(e, ERR_USAGE, 0, 0, "login: expected 1 to %d characters", STORE_LOGIN_MAX);
        return ERR_USAGE;
    }
    for (size_t i = 0; i < n; i++) {
        char c = login[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-')) {
            err_set(e, ERR_USAGE, 0, (unsigned)i + 1,
                    "login: expected only a-z, 0-9, '.', '_' and '-' (lower case)");
            return ERR_USAGE;
        }
    }
    return 0;
}

int store_check_password(const char *password, struct err *e)
{
    size_t n = password ? strlen(password) : 0;
    if (n > STORE_PASSWORD_MAX) {
        err_set(e, ERR_USAGE, 0, 0, "password: at most %d bytes", STORE_PASSWORD_MAX);
        return ERR_USAGE;
    }
    if (utf8_invalid_at(password ? password : "", n) != n) {
        err_set(e, ERR_USAGE, 0, 0, "password: expected valid UTF-8");
        return ERR_USAGE;
    }
    if (utf8_chars(password ? password : "", n) < STORE_PASSWORD_MIN) {
        err_set(e, ERR_USAGE, 0, 0, "password: expected at least %d characters",
                STORE_PASSWORD_MIN);
        return ERR_USAGE;
    }
    return 0;
}

int store_password_hash(const char *password, char *out, struct err *e)
{
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        err_set(e, ERR_IO, 0, 0, "hashing the password: out of memory");
        return ERR_IO;
    }
    return 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    static const char pw[] = "referat: no such login";
    if (crypto_pwhash_str(dummy_hash, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

bool store_password_verify(const char *hash, const char *password)
{
    size_t n = password ? strlen(password) : 0;
    /* Made on the first check of any kind, so that no first answer differs. */
    pthread_once(&dummy_once, make_dummy);
    if (!hash || !*hash) {
        /* The answer is known (false); the work is what matters. */
        if (dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password ? password : "", n))
            return false;
        return false;
    }
    return password && crypto_pwhash_str_verify(hash, password, n) == 0;
}

void store_throttle_key_name(const char *login, char out[80])
{
    char lower[STORE_LOGIN_MAX * 4 + 1];
    size_t n = 0;
    for (const char *p = login ? login : ""; *p && n < sizeof lower - 1; p++)
        lower[n++] = (char)tolower((unsigned char)*p);
    lower[n] = '\0';
    char h[65];
    store_hash(lower, n, h);
    snprintf(out, 80, "name:%s", h);
}

/* ---- frees ---- */

void store_case_ref_fini(struct store_case_ref *r)
{
    if (!r)
        return;
    free(r->key);
    free(r->title);
    free(r->state);
    free(r->body);
    free(r->date);
    free(r->subitems);
    memset(r, 0, sizeof *r);
}

void store_case_refs_free(struct store_case_ref *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_case_ref_fini(&v[i]);
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
    free(src->actor);
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
        free(v[i].actor);
    }
    free(v);
}

void store_body_fini(struct store_body *b)
{
    if (!b)
        return;
    free(b->code);
    free(b->name);
    memset(b, 0, sizeof *b);
}

void store_bodies_free(struct store_body *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_body_fini(&v[i]);
    free(v);
}

void store_meeting_fini(struct store_meeting *m)
{
    if (!m)
        return;
    free(m->body);
    free(m->body_name);
    free(m->date);
    free(m->start);
    free(m->end);
    free(m->place);
    free(m->state);
    free(m->cancel_reason);
    free(m->released_at);
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
        free(v[i].state);
    }
    free(v);
}

void store_person_fini(struct store_person *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->role);
    memset(p, 0, sizeof *p);
}

void store_people_free(struct store_person *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_person_fini(&v[i]);
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

void store_account_fini(struct store_account *a)
{
    if (!a)
        return;
    free(a->login);
    free(a->name);
    free(a->email);
    free(a->created_at);
    for (size_t i = 0; i < a->ngrants; i++) {
        free(a->grants[i].body);
        free(a->grants[i].body_name);
    }
    free(a->grants);
    memset(a, 0, sizeof *a);
}

void store_accounts_free(struct store_account *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_account_fini(&v[i]);
    free(v);
}

void store_reader_fini(struct store_reader *r)
{
    if (!r)
        return;
    free(r->bodies);
    free(r->login);
    free(r->name);
    memset(r, 0, sizeof *r);
}

void store_tokens_free(struct store_token *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].login);
        free(v[i].label);
        free(v[i].created_at);
        free(v[i].used_at);
        free(v[i].revoked_at);
    }
    free(v);
}

void store_events_free(struct store_event *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].at);
        free(v[i].actor);
        free(v[i].action);
        free(v[i].object);
        free(v[i].client);
        free(v[i].detail);
        free(v[i].hash);
    }
    free(v);
}
