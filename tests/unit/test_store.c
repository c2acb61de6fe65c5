/* test_store: the archive on SQLite: import, identity, history, follow-ups, audiences, errors,
 * and fault injection on the Nth write through a wrapped SQLite VFS. */
#include "test.h"
#include "tmp_fixture.h"
#include "format/format.h"
#include "search/search.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/buf.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

/* Lists in these tests are small: one page holds them. */
static const struct store_page ALL = {0, STORE_PAGE_MAX};

/* ---- documents ---- */

struct doc {
    char *name;
    char *bytes;
    size_t len;
    const struct fmt_reader *reader;
    struct case_doc *model;
};

static bool doc_parse(struct doc *d, const char *name, const char *bytes, size_t len)
{
    struct err e = {0};
    struct warnings w = {0};
    d->name = xstrdup(name);
    d->bytes = xstrndup(bytes, len);
    d->len = len;
    d->reader = fmt_detect(bytes, len);
    d->model = NULL;
    if (d->reader)
        fmt_read(d->reader, bytes, len, 0, &d->model, &e, &w);
    warnings_fini(&w);
    return d->model != NULL;
}

static bool doc_load(struct doc *d, const char *path)
{
    size_t len;
    char *p = test_read_file(path, &len);
    if (!p) {
        memset(d, 0, sizeof *d);
        return false;
    }
    bool ok = doc_parse(d, path, p, len);
    free(p);
    return ok;
}

static void doc_fini(struct doc *d)
{
    free(d->name);
    free(d->bytes);
    case_free(d->model);
    memset(d, 0, sizeof *d);
}

static int import(struct store *s, const struct doc *d, enum store_outcome *out, int64_t *id,
                  struct err *e)
{
    struct store_doc sd = {d->name, d->reader->name, d->bytes, d->len, d->model};
    return store_import(s, &sd, NULL, out, id, e);
}

static struct store *open_new(const char *name)
{
    struct store *s = NULL;
    struct err e = {0};
    remove_db(tmp_path(name));
    if (store_open(tmp_path(name), STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open %s: %s\n", name, e.msg);
    return s;
}

#define SEED_MD SEEDS_DIR "/000_7786c9215fe5c01a.txt"
#define SEED_TXT SEEDS_DIR "/001_e4fe47f4266e6382.txt"
#define EX(name) EXAMPLES_DIR "/" name

static const char *const example_names[] = {
    "01-digitaliseringsstrategi", "02-trivselsmaaling",   "03-kultur-og-fritidsstrategi",
    "04-lukkede-personalepunkter", "05-budgetopfoelgning", "06-dagsorden-uden-beslutning",
    "07-uden-bilag",              "08-nytaarskur-2025",   "09-trafiksikkerhedsplan",
    "10-mange-punkter",           "11-lukket-grundsalg",
};
#define NEXAMPLES (sizeof example_names / sizeof example_names[0])

/* ---- a content digest of the whole database ---- */

/* BLAKE2b over every row of every ordinary table (FTS5 shadow tables included), so two
 * databases with the same content give the same digest whatever their page layout. */
static void db_digest(sqlite3 *db, char out[65])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    sqlite3_stmt *t = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                       "sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name", -1, &t, NULL);
    while (t && sqlite3_step(t) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(t, 0);
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
        crypto_generichash_update(&h, (const unsigned char *)name, strlen(name) + 1);
        sqlite3_stmt *r = NULL;
        sqlite3_prepare_v2(db, sql, -1, &r, NULL);
        while (r && sqlite3_step(r) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(r); i++) {
                unsigned char type = (unsigned char)sqlite3_column_type(r, i);
                const void *p = sqlite3_column_blob(r, i);
                int n = sqlite3_column_bytes(r, i);
                crypto_generichash_update(&h, &type, 1);
                crypto_generichash_update(&h, (const unsigned char *)&n, sizeof n);
                if (n)
                    crypto_generichash_update(&h, p, (size_t)n);
            }
        }
        sqlite3_finalize(r);
    }
    sqlite3_finalize(t);
    unsigned char bin[32];
    crypto_generichash_final(&h, bin, sizeof bin);
    sodium_bin2hex(out, 65, bin, sizeof bin);
}

static void file_digest(const char *path, char out[65])
{
    sqlite3 *db = NULL;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    db_digest(db, out);
    sqlite3_close(db);
}

static size_t count_problems(struct store *s)
{
    char **v = NULL;
    size_t n = 0;
    struct err e = {0};
    if (store_check(s, &v, &n, &e) != 0)
        return 9999;
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  check: %s\n", v[i]);
    store_problems_free(v, n);
    return n;
}

/* ---- tests ---- */

static void test_key(void)
{
    char *k;
    CHECK_STR(k = store_key("dir/sub/2023-12-20-punkter.md"), "2023-12-20-punkter");
    free(k);
    CHECK_STR(k = store_key("a.b.txt"), "a.b");
    free(k);
    CHECK_STR(k = store_key("noext"), "noext");
    free(k);
    CHECK_STR(k = store_key("x/.hidden"), ".hidden");
    free(k);
    CHECK_STR(store_known_code("Økonomiudvalget"), "ØK");
    CHECK_STR(store_known_code("Fritids- og Kulturudvalget"), NULL);
}

static void test_open_errors(void)
{
    struct store *s = NULL;
    struct err e = {0};
    remove_db(tmp_path("missing.db"));
    CHECK_INT(store_open(tmp_path("missing.db"), 0, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "no archive here") != NULL);
    CHECK(s == NULL);
    CHECK(access(tmp_path("missing.db"), F_OK) != 0);

    /* Garbage where the archive should be. */
    FILE *f = fopen(tmp_path("garbage.db"), "wb");
    for (int i = 0; i < 4096; i++)
        fputc('x', f);
    fclose(f);
    e = (struct err){0};
    CHECK_INT(store_open(tmp_path("garbage.db"), 0, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "corrupt or not a referat archive") != NULL);
    CHECK_STR(e.file, tmp_path("garbage.db"));

    /* Another program's SQLite database is refused, not migrated into. */
    sqlite3 *db = NULL;
    remove_db(tmp_path("other.db"));
    sqlite3_open(tmp_path("other.db"), &db);
    sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL, NULL, NULL);
    sqlite3_close(db);
    e = (struct err){0};
    CHECK_INT(store_open(tmp_path("other.db"), STORE_CREATE, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "not a referat archive") != NULL);

    /* A newer schema than this program knows. */
    s = open_new("newer.db");
    CHECK(s != NULL);
    sqlite3_exec(store_sqlite_db(s), "PRAGMA user_version = 99", NULL, NULL, NULL);
    store_close(s);
    s = NULL;
    e = (struct err){0};
    CHECK_INT(store_open(tmp_path("newer.db"), 0, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "newer than this referat knows") != NULL);
}

static void test_import_roundtrip(void)
{
    struct store *s = open_new("roundtrip.db");
    struct doc d[2];
    bool have = (int)doc_load(&d[0], SEED_MD) & (int)doc_load(&d[1], SEED_TXT);
    CHECK(have);
    if (!s || !have)
        goto done;
    for (int i = 0; i < 2; i++) {
        struct err e = {0};
        enum store_outcome out = 0;
        int64_t id = 0;
        CHECK_INT(import(s, &d[i], &out, &id, &e), 0);
        CHECK_INT(out, STORE_IMPORTED);
        CHECK_INT(id, i + 1);
        struct case_doc *c = NULL;
        CHECK_INT(store_case_get(s, id, &reader_all, &c, &e), 0);
        CHECK(c && case_equal(c, d[i].model, true));
        struct buf b = BUF_INIT;
        if (c)
            fmt_write(fmt_writer_find(d[i].reader->name), c, 0, &b);
        CHECK(b.len == d[i].len && memcmp(buf_cstr(&b), d[i].bytes, d[i].len) == 0);
        buf_free(&b);
        case_free(c);
        struct store_source src = {0};
        CHECK_INT(store_source_get(s, id, 0, &reader_all, &src, &e), 0);
        CHECK(src.len == d[i].len && memcmp(src.bytes, d[i].bytes, d[i].len) == 0);
        CHECK_INT(src.version, 1);
        CHECK_STR(src.format, i == 0 ? "md" : "txt");
        CHECK_INT(strlen(src.hash), 64);
        store_source_fini(&src);
    }
    int64_t id = 0;
    struct err e = {0};
    CHECK_INT(store_case_lookup(s, "000_7786c9215fe5c01a", &id, &e), 0);
    CHECK_INT(id, 1);
    CHECK_INT(store_case_lookup(s, "2", &id, &e), 0);
    CHECK_INT(id, 2);
    CHECK_INT(store_case_lookup(s, "nope", &id, &e), ERR_NOTFOUND);
    struct store_stats st = {0};
    CHECK_INT(store_stats(s, &st, &e), 0);
    CHECK_INT(st.cases, 2);
    CHECK_INT(st.subitems, 7);
    CHECK_INT(st.attachments, 10);
    CHECK_INT(st.meetings, 2); /* Direktionen on 2023-12-20 and 2023-11-01 */
    CHECK_INT(st.bodies, 1);
    CHECK_INT(count_problems(s), 0);
done:
    doc_fini(&d[0]);
    doc_fini(&d[1]);
    store_close(s);
}

/* Every example, in both formats: the stored model is the parsed one, and export gives the
 * source bytes back. */
static void test_examples_roundtrip(void)
{
    static const char *const ext[] = {"md", "txt"};
    for (int f = 0; f < 2; f++) {
        struct store *s = open_new("examples.db");
        for (size_t i = 0; s && i < NEXAMPLES; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s.%s", EXAMPLES_DIR, example_names[i], ext[f]);
            struct doc d;
            if (!doc_load(&d, path)) {
                fprintf(stderr, "cannot read %s\n", path);
                test_case_failed = 1;
                continue;
            }
            struct err e = {0};
            int64_t id = 0;
            CHECK_INT(import(s, &d, NULL, &id, &e), 0);
            struct case_doc *c = NULL;
            CHECK_INT(store_case_get(s, id, &reader_all, &c, &e), 0);
            bool same = c && case_equal(c, d.model, true);
            if (!same)
                fprintf(stderr, "model differs after storing %s\n", path);
            CHECK(same);
            struct buf b = BUF_INIT;
            if (c)
                fmt_write(fmt_writer_find(ext[f]), c, 0, &b);
            CHECK(b.len == d.len && memcmp(buf_cstr(&b), d.bytes, d.len) == 0);
            buf_free(&b);
            case_free(c);
            doc_fini(&d);
        }
        if (s)
            CHECK_INT(count_problems(s), 0);
        store_close(s);
    }
}

static size_t total_changes(struct store *s)
{
    return (size_t)sqlite3_total_changes(store_sqlite_db(s));
}

static void test_identity_and_history(void)
{
    struct store *s = open_new("history.db");
    struct doc md, txt;
    bool have = (int)doc_load(&md, EX("01-digitaliseringsstrategi.md")) &
                (int)doc_load(&txt, EX("01-digitaliseringsstrategi.txt"));
    CHECK(have);
    if (!s || !have)
        goto done;
    struct err e = {0};
    enum store_outcome out = 0;
    int64_t id1 = 0, id2 = 0;
    CHECK_INT(import(s, &md, &out, &id1, &e), 0);
    CHECK_INT(out, STORE_IMPORTED);
    char before[65], after[65];
    db_digest(store_sqlite_db(s), before);
    size_t changes = total_changes(s);
    CHECK_INT(import(s, &md, &out, &id2, &e), 0);
    CHECK_INT(out, STORE_UNCHANGED);
    CHECK_INT(id2, id1);
    CHECK_INT(total_changes(s), changes); /* nothing written */
    db_digest(store_sqlite_db(s), after);
    CHECK_STR(after, before);
    /* The text export of the same case is the same key: it replaces the case. */
    CHECK_INT(import(s, &txt, &out, &id2, &e), 0);
    CHECK_INT(out, STORE_UPDATED);
    CHECK_INT(id2, id1);
    /* Both again: each is already the latest of its format. */
    CHECK_INT(import(s, &md, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UNCHANGED);
    CHECK_INT(import(s, &txt, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UNCHANGED);
    struct store_version *v = NULL;
    size_t n = 0;
    CHECK_INT(store_versions(s, id1, &reader_all, &v, &n, &e), 0);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].format, "md");
        CHECK_STR(v[1].format, "txt");
        CHECK_INT(v[0].size, md.len);
    }
    store_versions_free(v, n);
    /* Version 1 is still there, from its own bytes. */
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get_version(s, id1, 1, &reader_all, &c, &e), 0);
    CHECK(c && case_equal(c, md.model, true));
    case_free(c);
    c = NULL;
    CHECK_INT(store_case_get_version(s, id1, 0, &reader_all, &c, &e), 0);
    CHECK(c && case_equal(c, txt.model, true));
    case_free(c);
    struct store_source src = {0};
    CHECK_INT(store_source_get(s, id1, 1, &reader_all, &src, &e), 0);
    CHECK(src.len == md.len && memcmp(src.bytes, md.bytes, md.len) == 0);
    store_source_fini(&src);
    CHECK_INT(store_source_get(s, id1, 3, &reader_all, &src, &e), ERR_NOTFOUND);
    CHECK_INT(count_problems(s), 0);
done:
    doc_fini(&md);
    doc_fini(&txt);
    store_close(s);
}

/* Replaces the first occurrence of from with to in the document's bytes, and re-parses. */
static bool doc_edit(struct doc *d, const char *from, const char *to)
{
    char *at = strstr(d->bytes, from);
    if (!at)
        return false;
    struct buf b = BUF_INIT;
    buf_put(&b, d->bytes, (size_t)(at - d->bytes));
    buf_puts(&b, to);
    buf_puts(&b, at + strlen(from));
    char *name = xstrdup(d->name);
    doc_fini(d);
    bool ok = doc_parse(d, name, buf_cstr(&b), b.len);
    free(name);
    buf_free(&b);
    return ok;
}

static const struct store_followup *find_fu(const struct store_followup *v, size_t n,
                                            const char *text_part)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].text && strstr(v[i].text, text_part))
            return &v[i];
    return NULL;
}

static void test_followups_survive_update(void)
{
    struct store *s = open_new("followups.db");
    struct doc d;
    bool have = (int)doc_load(&d, SEED_MD);
    CHECK(have);
    if (!s || !have)
        goto done;
    struct err e = {0};
    int64_t id = 0;
    CHECK_INT(import(s, &d, NULL, &id, &e), 0);
    struct store_followup *v = NULL;
    size_t n = 0;
    struct store_followup_filter all = {0};
    CHECK_INT(store_followups(s, &all, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    size_t nbefore = n;
    CHECK(n >= 3);
    const struct store_followup *led = find_fu(v, n, "Ledelsessekretariatet følger op.");
    const struct store_followup *tonny = find_fu(v, n, "indarbejder");
    CHECK(led && tonny);
    int64_t led_id = led ? led->id : 0, tonny_id = tonny ? tonny->id : 0;
    if (tonny) {
        CHECK_STR(tonny->owner, "Tonny Olsen");
        CHECK_STR(tonny->body, "DIR");
        CHECK_STR(tonny->meeting_date, "2023-12-20");
        CHECK(!tonny->done);
    }
    store_followups_free(v, n);
    bool was = true;
    CHECK_INT(store_followup_done(s, led_id, "Anne Sekretær", "2024-01-03T09:00:00Z", NULL, &was, &e),
              0);
    CHECK(!was);
    CHECK_INT(store_followup_done(s, led_id, "Someone Else", NULL, NULL, &was, &e), 0);
    CHECK(was); /* already done: unchanged */
    CHECK_INT(store_followup_done(s, 999999, NULL, NULL, NULL, NULL, &e), ERR_NOTFOUND);

    /* A change elsewhere in the case: the follow-ups keep id and status. */
    CHECK(doc_edit(&d, "Det indstilles, at punkterne behandles.",
                   "Det indstilles, at punkterne behandles samlet."));
    enum store_outcome out = 0;
    CHECK_INT(import(s, &d, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UPDATED);
    CHECK_INT(store_followups(s, &all, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, nbefore);
    led = find_fu(v, n, "Ledelsessekretariatet følger op.");
    CHECK(led && led->id == led_id && led->done);
    if (led) {
        CHECK_STR(led->done_by, "Anne Sekretær");
        CHECK_STR(led->done_at, "2024-01-03T09:00:00Z");
        CHECK_STR(led->entry_title,
                  "Udpegning af kommunalbestyrelsesmedlemmer i bestyrelser, samt on-boarding "
                  "og introduktion.");
    }
    store_followups_free(v, n);

    /* The follow-up's own sentence changes: it is a new, open follow-up; the others stay. */
    CHECK(doc_edit(&d, "Tonny Olsen indarbejder bemærkninger",
                   "Tonny Olsen indarbejder alle bemærkninger"));
    CHECK_INT(import(s, &d, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UPDATED);
    CHECK_INT(store_followups(s, &all, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, nbefore);
    led = find_fu(v, n, "Ledelsessekretariatet følger op.");
    CHECK(led && led->id == led_id && led->done);
    tonny = find_fu(v, n, "indarbejder alle");
    CHECK(tonny && tonny->id != tonny_id && !tonny->done);
    CHECK(find_fu(v, n, "indarbejder bemærkninger") == NULL);
    store_followups_free(v, n);

    /* Filters. */
    struct store_followup_filter f = {.status = STORE_DONE};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    store_followups_free(v, n);
    f = (struct store_followup_filter){.status = STORE_OPEN, .owner = "tonny olsen"};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    store_followups_free(v, n);
    f = (struct store_followup_filter){.owner = "Ledelsessekretariatet"};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 2); /* "følger op." and "Ledelsessekretariatet og Økonomichef ... følger op." */
    store_followups_free(v, n);
    CHECK_INT(store_followup_reopen(s, led_id, NULL, &e), 0);
    f = (struct store_followup_filter){.status = STORE_DONE};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(v, n);
    CHECK_INT(count_problems(s), 0);
done:
    doc_fini(&d);
    store_close(s);
}

static void test_overdue(void)
{
    struct store *s = open_new("overdue.db");
    struct doc d;
    bool have = (int)doc_load(&d, SEED_TXT);
    CHECK(have);
    if (!s || !have)
        goto done;
    struct err e = {0};
    CHECK_INT(import(s, &d, NULL, NULL, &e), 0);
    struct store_followup *v = NULL;
    size_t n = 0, with_due = 0;
    struct store_followup_filter all = {0};
    CHECK_INT(store_followups(s, &all, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    for (size_t i = 0; i < n; i++)
        with_due += v[i].due != NULL;
    /* Due dates first, in order. */
    for (size_t i = 1; i < n; i++)
        CHECK(!v[i - 1].due || !v[i].due ? !v[i - 1].due <= !v[i].due
                                         : strcmp(v[i - 1].due, v[i].due) <= 0);
    store_followups_free(v, n);
    /* The seed's follow-ups due 2023-11-08 (two), 2023-11-29 and 2023-12-14. */
    CHECK_INT(with_due, 4);
    struct store_followup_filter f = {.overdue_on = "2000-01-01"};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(v, n);
    f.overdue_on = "2023-12-01";
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(v[0].due, "2023-11-08");
        CHECK_STR(v[2].due, "2023-11-29");
        CHECK_STR(v[2].owner, "Lene Mehlsen");
        CHECK_STR(v[2].role, "Velfærdsdirektør");
    }
    store_followups_free(v, n);
    f.overdue_on = "2100-01-01";
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 4);
    int64_t first = n ? v[0].id : 0;
    store_followups_free(v, n);
    /* Done ones are not overdue. */
    CHECK_INT(store_followup_done(s, first, NULL, NULL, NULL, NULL, &e), 0);
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 3);
    store_followups_free(v, n);
done:
    doc_fini(&d);
    store_close(s);
}

/* ---- issue 10, flat follow-ups ---- */
/* 03's last decision has no entries; its "Kultur- og fritidschef Anders Lykke Brandt følger
 * op." is a follow-up of the decision itself: listed with the deciding body and date, kept
 * (id and state) by a re-import that leaves it alone, removed with its sentence. */
static long long sql_int(sqlite3 *db, const char *sql);

static void test_decision_followups(void)
{
    struct store *s = open_new("flatfu.db");
    struct doc d = {0}, same = {0}, gone = {0};
#define EX03 EX("03-kultur-og-fritidsstrategi.md")
    bool have = doc_load(&d, EX03) && doc_load(&same, EX03) && doc_load(&gone, EX03);
    have = have && doc_edit(&same, "Godkendt.", "Godkendt enstemmigt.");
    have = have && doc_edit(&gone, " Kultur- og fritidschef Anders Lykke Brandt følger op.", "");
#undef EX03
    CHECK(have);
    if (!s || !have)
        goto done;
    CHECK_INT(d.model->ndecisions, 3);
    CHECK_INT(d.model->decisions[2].nfollowups, 1);
    CHECK_INT(gone.model->decisions[2].nfollowups, 0);
    struct err e = {0};
    int64_t cid = 0;
    CHECK_INT(import(s, &d, NULL, &cid, &e), 0);
    struct store_followup *v = NULL;
    size_t n = 0;
    struct store_followup_filter f = {.case_id = cid};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    int64_t fid = 0;
    if (n == 1) {
        fid = v[0].id;
        CHECK_STR(v[0].owner, "Anders Lykke Brandt");
        CHECK_STR(v[0].role, "Kultur- og fritidschef");
        CHECK_STR(v[0].body, "KB");
        CHECK_STR(v[0].meeting_date, "2023-09-26");
        CHECK(v[0].entry_title == NULL);
        CHECK(!v[0].done);
    }
    store_followups_free(v, n);
    /* The deciding body's list (the agenda's standing item) finds it; another body's not. */
    f = (struct store_followup_filter){.body = "KB"};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    store_followups_free(v, n);
    f = (struct store_followup_filter){.body = "ØK"};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(v, n);
    CHECK_INT(sql_int(store_sqlite_db(s), "SELECT count(*) FROM followup WHERE entry_id IS "
                                          "NULL AND decision_id = (SELECT id FROM decision "
                                          "WHERE pos = 2)"), 1);
    /* The archive gives the decision its follow-up back. */
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, &reader_all, &c, &e), 0);
    CHECK(c && c->ndecisions == 3 && c->decisions[2].nfollowups == 1 &&
          case_equal(c, d.model, true));
    case_free(c);
    /* Closed, then the case imported again with another sentence changed: the same row. */
    CHECK_INT(store_followup_done(s, fid, "Anne", "2024-01-03T09:00:00Z", NULL, NULL, &e), 0);
    enum store_outcome out;
    CHECK_INT(import(s, &same, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UPDATED);
    f = (struct store_followup_filter){.case_id = cid};
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK(v[0].id == fid);
        CHECK(v[0].done);
        CHECK_STR(v[0].done_by, "Anne");
        CHECK_STR(v[0].body, "KB");
    }
    store_followups_free(v, n);
    CHECK_INT(count_problems(s), 0);
    /* The sentence edited away: the follow-up goes with it. */
    CHECK_INT(import(s, &gone, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_UPDATED);
    CHECK_INT(store_followups(s, &f, &reader_all, &ALL, &v, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(v, n);
    CHECK_INT(sql_int(store_sqlite_db(s), "SELECT count(*) FROM followup"), 0);
    CHECK_INT(count_problems(s), 0);
done:
    doc_fini(&d);
    doc_fini(&same);
    doc_fini(&gone);
    store_close(s);
}
/* ---- end issue 10, flat follow-ups ---- */

static bool contains(const char *hay, size_t n, const char *needle)
{
    return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_public_audience(void)
{
    struct store *s = open_new("public.db");
    struct doc closed, mixed, plain;
    bool have = (int)doc_load(&closed, EX("04-lukkede-personalepunkter.md")) &
                (int)doc_load(&mixed, EX("02-trivselsmaaling.md")) &
                (int)doc_load(&plain, EX("07-uden-bilag.md"));
    CHECK(have);
    if (!s || !have)
        goto done;
    CHECK(contains(closed.bytes, closed.len, "KANARIE"));
    struct err e = {0};
    int64_t cid = 0, mid = 0, pid = 0;
    CHECK_INT(import(s, &closed, NULL, &cid, &e), 0);
    CHECK_INT(import(s, &mixed, NULL, &mid, &e), 0);
    CHECK_INT(import(s, &plain, NULL, &pid, &e), 0);

    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, NULL, &c, &e), 0);
    CHECK(c && !c->public && case_is_redacted(c) && !c->nsubitems && !c->presentation);
    if (c)
        CHECK_STR(c->title, closed.model->title);
    struct buf b = BUF_INIT;
    if (c)
        fmt_write(&fmt_write_html, c, FMT_PUBLIC, &b);
    CHECK(!contains(buf_cstr(&b), b.len, "KANARIE"));
    buf_free(&b);
    case_free(c);
    struct store_source src = {0};
    CHECK_INT(store_source_get(s, cid, 0, NULL, &src, &e), ERR_CLOSED);
    CHECK(!strstr(e.msg, "KANARIE"));
    /* An open case with closed attachments: its source holds their metadata. */
    CHECK_INT(store_source_get(s, mid, 0, NULL, &src, &e), ERR_CLOSED);
    CHECK_INT(store_source_get(s, pid, 0, NULL, &src, &e), 0);
    CHECK(src.len == plain.len);
    store_source_fini(&src);
    c = NULL;
    CHECK_INT(store_case_get(s, mid, NULL, &c, &e), 0);
    CHECK(c && c->public && case_is_redacted(c) && c->nattachments == mixed.model->nattachments);
    case_free(c);
    struct store_version *v = NULL;
    size_t n = 0;
    CHECK_INT(store_versions(s, cid, NULL, &v, &n, &e), ERR_CLOSED);

    /* Follow-ups and people of the closed case are for staff only. */
    struct store_followup *fu = NULL;
    struct store_followup_filter f = {.case_id = cid};
    CHECK_INT(store_followups(s, &f, NULL, &ALL, &fu, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_followups_free(fu, n);
    struct store_person *p = NULL;
    size_t np = 0;
    bool seen_staff = false, seen_public = false;
    CHECK_INT(store_people(s, &reader_all, &ALL, &p, &np, NULL, &e), 0);
    for (size_t i = 0; i < np; i++)
        seen_staff |= strcmp(p[i].name, "Pernille Vestergaard Krogh") == 0;
    store_people_free(p, np);
    CHECK_INT(store_people(s, NULL, &ALL, &p, &np, NULL, &e), 0);
    for (size_t i = 0; i < np; i++) {
        seen_public |= strcmp(p[i].name, "Pernille Vestergaard Krogh") == 0;
        CHECK(!p[i].role || !strstr(p[i].role, "KANARIE"));
    }
    store_people_free(p, np);
    CHECK(seen_staff);
    CHECK(!seen_public);
    int64_t person = 0;
    CHECK_INT(store_person_lookup(s, "Pernille Vestergaard Krogh", &person, &e), 0);
    struct store_appearance *ap = NULL;
    CHECK_INT(store_person_appearances(s, person, NULL, &ALL, &ap, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_appearances_free(ap, n);
    CHECK_INT(store_person_appearances(s, person, &reader_all, &ALL, &ap, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_INT(ap[0].case_id, cid);
    store_appearances_free(ap, n);

    /* Attachment files follow their attachment's and case's visibility. */
    CHECK_INT(store_attachment_put(s, mid, 1, "a.pdf", "application/pdf", "%PDF-1", 6, NULL, &e), 0);
    struct store_file file = {0};
    CHECK_INT(store_attachment_get(s, mid, 1, &reader_all, &file, &e), 0);
    CHECK(file.len == 6 && memcmp(file.bytes, "%PDF-1", 6) == 0);
    CHECK_STR(file.filename, "a.pdf");
    store_file_fini(&file);
    bool first_public = mixed.model->nattachments && mixed.model->attachments[0].public;
    CHECK_INT(store_attachment_get(s, mid, 1, NULL, &file, &e),
              first_public ? 0 : ERR_NOTFOUND);
    store_file_fini(&file);
    CHECK_INT(store_attachment_put(s, cid, 1, "b.pdf", NULL, "x", 1, NULL, &e), 0);
    /* D7: a closed attachment answers as one that does not exist. */
    CHECK_INT(store_attachment_get(s, cid, 1, NULL, &file, &e), ERR_NOTFOUND);
    CHECK_INT(store_attachment_get(s, cid, 7, &reader_all, &file, &e), ERR_NOTFOUND);
    CHECK_INT(store_attachment_put(s, 4242, 1, "c.pdf", NULL, "x", 1, NULL, &e), ERR_NOTFOUND);
done:
    doc_fini(&closed);
    doc_fini(&mixed);
    doc_fini(&plain);
    store_close(s);
}

static void test_bodies_and_meetings(void)
{
    struct store *s = open_new("bodies.db");
    struct doc route3, dir;
    bool have = (int)doc_load(&route3, EX("03-kultur-og-fritidsstrategi.md")) &
                (int)doc_load(&dir, SEED_MD);
    CHECK(have);
    if (!s || !have)
        goto done;
    struct err e = {0};
    int64_t rid = 0, did = 0;
    CHECK_INT(import(s, &route3, NULL, &rid, &e), 0);
    CHECK_INT(import(s, &dir, NULL, &did, &e), 0);
    struct store_body *b = NULL;
    size_t n = 0;
    CHECK_INT(store_bodies(s, &ALL, &b, &n, NULL, &e), 0);
    CHECK_INT(n, 4);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(b[i].code, "FU") == 0)
            CHECK_STR(b[i].name, "Fritids- og Kulturudvalget");
        else if (strcmp(b[i].code, "ØK") == 0)
            CHECK_STR(b[i].name, "Økonomiudvalget");
        else if (strcmp(b[i].code, "KB") == 0)
            CHECK_STR(b[i].name, "Kommunalbestyrelsen");
        else
            CHECK_STR(b[i].code, "DIR");
        CHECK_INT(b[i].nmeetings, 1);
    }
    store_bodies_free(b, n);
    struct store_meeting *m = NULL;
    CHECK_INT(store_meetings(s, "FU", 2023, NULL, &ALL, &m, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    int64_t meeting = n ? m[0].id : 0;
    if (n) {
        CHECK_STR(m[0].date, "2023-09-05");
        CHECK_STR(m[0].body_name, "Fritids- og Kulturudvalget");
        CHECK_INT(m[0].ncases, 1);
    }
    store_meetings_free(m, n);
    CHECK_INT(store_meetings(s, "Økonomiudvalget", 2024, NULL, &ALL, &m, &n, NULL, &e), 0);
    CHECK_INT(n, 0);
    store_meetings_free(m, n);
    CHECK_INT(store_meetings(s, NULL, 0, NULL, &ALL, &m, &n, NULL, &e), 0);
    CHECK_INT(n, 4);
    if (n == 4)
        CHECK_STR(m[0].date, "2023-12-20"); /* newest first */
    store_meetings_free(m, n);
    struct store_case_ref *r = NULL;
    CHECK_INT(store_meeting_cases(s, meeting, NULL, &ALL, &r, &n, NULL, &e), 0);
    CHECK_INT(n, 1);
    if (n) {
        CHECK_INT(r[0].id, rid);
        CHECK_STR(r[0].body, "FU");
        CHECK_STR(r[0].date, "2023-09-05");
    }
    store_case_refs_free(r, n);
    size_t total = 0;
    CHECK_INT(store_cases(s, NULL, &(struct store_page){0, 1}, &r, &n, &total, &e), 0);
    CHECK_INT(total, 2);
    CHECK_INT(n, 1);
    if (n)
        CHECK_INT(r[0].id, did);
    store_case_refs_free(r, n);
done:
    doc_fini(&route3);
    doc_fini(&dir);
    store_close(s);
}

/* An archive written before the search tables existed (schema 1) is upgraded on open,
 * keeping every case and indexing them. */
/* sql's first column of its first row as an integer (-1 when there is none). */
static long long sql_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* An archive written by the release before the workspace schema (tests/fixtures/README.md)
 * is upgraded in place: its cases, follow-up statuses and search index survive, and the new
 * tables are filled from what it held. */
static void test_migrate_old(void)
{
    const char *path = fixture_copy(SOURCE_DIR "/tests/fixtures/archive-v2.db", "old.db");
    CHECK(path != NULL);
    if (!path)
        return;
    struct store *s = NULL;
    struct err e = {0};
    /* Read-only opens refuse it and say what to do. */
    CHECK_INT(store_open(path, STORE_READONLY, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "referat db migrate") != NULL);
    if (store_open(path, 0, &s, &e) != 0) {
        fprintf(stderr, "migrating: %s\n", e.msg);
        test_case_failed = 1;
        return;
    }
    int version = 0;
    CHECK_INT(store_version(s, &version, &e), 0);
    CHECK_INT(version, store_schema_version());
    struct store_stats stt = {0};
    CHECK_INT(store_stats(s, &stt, &e), 0);
    CHECK_INT(stt.cases, 6);
    CHECK_INT(count_problems(s), 0);
    sqlite3 *db = store_sqlite_db(s);
    /* Every decided case is on its meeting's agenda and belongs to its bodies. */
    CHECK_INT(sql_int(db, "SELECT count(*) FROM decision d WHERE d.meeting_id IS NOT NULL AND "
                          "NOT EXISTS (SELECT 1 FROM agenda a WHERE a.meeting_id = d.meeting_id "
                          "AND a.case_id = d.case_id)"), 0);
    CHECK(sql_int(db, "SELECT count(*) FROM agenda") > 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM \"case\" c WHERE c.body_id IS NOT NULL AND "
                          "NOT EXISTS (SELECT 1 FROM case_body b WHERE b.case_id = c.id)"), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM meeting WHERE state <> 'offentliggjort' "
                          "OR NOT published OR authored"), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM \"case\" WHERE NOT published OR authored"), 0);
    /* The closed follow-up stays closed; the ledger starts with the upgrade. */
    CHECK_INT(sql_int(db, "SELECT count(*) FROM followup WHERE id = 1 AND status = 'done' "
                          "AND done_by = 'Anne'"), 1);
    /* Step 10 gives it the state udført; step 11 the visibility indexes of issue 9's rules. */
    CHECK_INT(sql_int(db, "SELECT count(*) FROM followup WHERE id = 1 AND state = 'udfoert'"), 1);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                          "('case_visibility', 'case_date_visibility', 'subitem_id_case', 'followup_person_role', 'case_title_listed')"), 5);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('case_visible', "
                          "'case_date_listed')"), 0);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM ledger WHERE id = 1 AND action = "
                          "'archive.upgrade'"), 1);
    struct search_params p = {.query = "digitaliseringsstrategi", .limit = 10};
    struct search_result r = {0};
    CHECK_INT(store_search(s, &p, &r, &e), 0);
    CHECK(r.nhits >= 1);
    search_result_fini(&r);
    /* ---- issue 10, flat follow-ups: the upgrade reads the sources again for the follow-ups
     * of decisions without entries: 03's "Kultur- og fritidschef Anders Lykke Brandt følger
     * op." ---- */
    CHECK_INT(sql_int(db, "SELECT count(*) FROM followup f JOIN person p ON p.id = f.person_id "
                          "JOIN decision d ON d.id = f.decision_id WHERE f.entry_id IS NULL "
                          "AND d.case_id = 3 AND d.pos = 2 AND p.name = 'Anders Lykke Brandt' "
                          "AND f.role = 'Kultur- og fritidschef' AND f.status = 'open'"), 1);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM followup WHERE decision_id IS NOT NULL"), 1);
    /* Each case reads back as its source reads now. */
    for (int64_t id = 1; id <= 6; id++) {
        struct case_doc *c = NULL;
        struct store_source src = {0};
        CHECK_INT(store_case_get(s, id, &reader_all, &c, &e), 0);
        CHECK_INT(store_source_get(s, id, 0, &reader_all, &src, &e), 0);
        struct doc d;
        CHECK(doc_parse(&d, src.name, src.bytes, src.len));
        CHECK(c && d.model && case_equal(c, d.model, true));
        doc_fini(&d);
        store_source_fini(&src);
        case_free(c);
    }
    store_close(s);
}

/* ---- issue 11, archive routes: a list's total is remembered per connection while the
 * archive is unchanged (sqlite_count.c): asked again it is not counted again; a commit here
 * or through another connection counts anew; each reader has their own ---- */
static int counted;

static int on_count(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    (void)x;
    const char *sql = type == SQLITE_TRACE_STMT ? sqlite3_sql(p) : NULL;
    if (sql && strncmp(sql, "SELECT count(*)", 15) == 0)
        counted++;
    return 0;
}

static size_t open_total(struct store *s, const struct reader *r, int64_t *first)
{
    struct store_followup_filter f = {.status = STORE_OPEN, .by_owner = true, .portal = true};
    struct store_page pg = {0, 5};
    struct store_followup *v = NULL;
    size_t n = 0, total = 0;
    struct err e = {0};
    CHECK_INT(store_followups(s, &f, r, &pg, &v, &n, &total, &e), 0);
    if (first)
        *first = n ? v[0].id : 0;
    store_followups_free(v, n);
    return total;
}

static void test_count_memo(void)
{
    struct store *s = open_new("memo.db");
    for (size_t i = 0; s && i < NEXAMPLES; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.md", EXAMPLES_DIR, example_names[i]);
        struct doc d;
        struct err e = {0};
        int64_t id = 0;
        if (doc_load(&d, path))
            CHECK_INT(import(s, &d, NULL, &id, &e), 0);
        doc_fini(&d);
    }
    if (!s)
        return;
    sqlite3 *db = store_sqlite_db(s);
    long long want = sql_int(db, "SELECT count(*) FROM followup WHERE status = 'open'");
    int64_t fu = 0;
    CHECK(want > 1);
    CHECK_INT(open_total(s, &reader_all, &fu), (size_t)want);
    counted = 0;
    sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_count, NULL);
    CHECK_INT(open_total(s, &reader_all, NULL), (size_t)want);
    CHECK_INT(counted, 0); /* remembered */
    /* Another reader is counted for themselves. */
    size_t pub = open_total(s, NULL, NULL);
    CHECK_INT(counted, 1);
    CHECK((long long)pub <= want);
    /* A commit through another connection: counted anew. */
    struct store *other = NULL;
    struct err e = {0};
    CHECK_INT(store_open(tmp_path("memo.db"), 0, &other, &e), 0);
    CHECK(fu > 0);
    if (other)
        CHECK_INT(store_followup_done(other, fu, "Anne", NULL, NULL, NULL, &e), 0);
    store_close(other);
    CHECK_INT(open_total(s, &reader_all, NULL), (size_t)want - 1);
    CHECK_INT(counted, 2);
    /* And one through this connection. */
    CHECK_INT(store_followup_reopen(s, fu, NULL, &e), 0);
    CHECK_INT(open_total(s, &reader_all, NULL), (size_t)want);
    CHECK_INT(counted, 3);
    sqlite3_trace_v2(db, 0, NULL, NULL);
    store_close(s);
}

/* ---- issue 11, archive routes: step 11 replaces schema 10's visibility indexes, and a
 * read-only open of a schema-10 archive asks for the upgrade instead of failing later on a
 * missing index ---- */
static void test_migrate_v10_indexes(void)
{
    /* A real schema-10 archive (tests/fixtures/README.md), with case_visible and
     * case_date_listed, not one made to look like it. */
    struct store *s = NULL;
    struct err e = {0};
    const char *path = fixture_copy(SOURCE_DIR "/tests/fixtures/archive-v10.db", "v10.db");
    CHECK(path != NULL);
    if (!path)
        return;
    CHECK_INT(store_open(path, STORE_READONLY, &s, &e), ERR_DB);
    CHECK(strstr(e.msg, "referat db migrate") != NULL);
    e = (struct err){0};
    CHECK_INT(store_open(path, 0, &s, &e), 0);
    if (!s)
        return;
    sqlite3 *db = store_sqlite_db(s);
    CHECK_INT(sql_int(db, "PRAGMA user_version"), store_schema_version());
    CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                          "('case_visibility', 'case_date_visibility', 'subitem_id_case', "
                          "'followup_person_role', 'case_title_listed')"), 5);
    CHECK_INT(sql_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('case_visible', "
                          "'case_date_listed')"), 0);
    store_close(s);
}

static void test_locked_full_readonly(void)
{
    struct store *a = open_new("locked.db"), *b = NULL;
    struct doc d;
    bool have = (int)doc_load(&d, SEED_TXT);
    CHECK(have);
    if (!a || !have)
        goto done;
    struct err e = {0};
    CHECK_INT(store_open(tmp_path("locked.db"), 0, &b, &e), 0);
    if (!b)
        goto done;
    store_set_busy_timeout(b, 50);
    CHECK_INT(sqlite3_exec(store_sqlite_db(a), "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(import(b, &d, NULL, NULL, &e), ERR_DB);
    CHECK(strstr(e.msg, "locked by another process") != NULL);
    CHECK_STR(e.file, tmp_path("locked.db"));
    sqlite3_exec(store_sqlite_db(a), "ROLLBACK", NULL, NULL, NULL);
    enum store_outcome out = 0;
    CHECK_INT(import(b, &d, &out, NULL, &e), 0);
    CHECK_INT(out, STORE_IMPORTED);
    store_close(b);
    b = NULL;

    /* Full: the archive may not grow past its current pages. */
    struct doc other;
    if (doc_load(&other, SEED_MD)) {
        sqlite3_exec(store_sqlite_db(a), "PRAGMA max_page_count = 1", NULL, NULL, NULL);
        e = (struct err){0};
        CHECK_INT(import(a, &other, NULL, NULL, &e), ERR_DB);
        CHECK(strstr(e.msg, "full") != NULL);
        doc_fini(&other);
    }
    struct store_stats st = {0};
    CHECK_INT(store_stats(a, &st, &e), 0);
    CHECK_INT(st.cases, 1);
    CHECK_INT(count_problems(a), 0);

    /* Read-only: an import is refused with a message that says so. */
    CHECK_INT(store_open(tmp_path("locked.db"), STORE_READONLY, &b, &e), 0);
    e = (struct err){0};
    if (b && (int)doc_load(&other, SEED_MD)) {
        CHECK_INT(import(b, &other, NULL, NULL, &e), ERR_DB);
        doc_fini(&other);
    }
    CHECK(strstr(e.msg, "read-only") != NULL);
done:
    doc_fini(&d);
    store_close(b);
    store_close(a);
}

/* ---- fault injection: a VFS that fails the Nth write ---- */

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static long fault_writes;    /* writes seen since armed */
static long fault_at;        /* the write that fails (1-based); 0: never */
static bool fault_sticky;    /* after the first failure, every write fails (a full disk) */
static int fault_code;
static bool fault_hit;

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real;
};

static bool fault_now(void)
{
    if (!fault_at)
        return false;
    ++fault_writes;
    if (fault_writes == fault_at || (fault_sticky && fault_writes > fault_at)) {
        fault_hit = true;
        return true;
    }
    return false;
}

#define REAL(f) (((struct fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    return fault_now() ? fault_code : REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return fault_now() ? fault_code : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
    return fault_now() ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shmlock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
    3,         f_close,   f_read,  f_write,  f_truncate, f_sync,       f_size,
    f_lock,    f_unlock,  f_check, f_fcntl,  f_sector,   f_devchar,    f_shmmap,
    f_shmlock, f_shmbarrier, f_shmunmap, f_fetch, f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    ff->base.pMethods = ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

static void fault_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    fault_vfs = *real_vfs;
    fault_vfs.zName = "fault";
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
    fault_vfs.xOpen = f_open;
    sqlite3_vfs_register(&fault_vfs, 1);
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *p = test_read_file(from, &n);
    FILE *f = fopen(to, "wb");
    if (p && f)
        fwrite(p, 1, n, f);
    if (f)
        fclose(f);
    free(p);
}

/* One write to inject faults into: run makes it and returns want (0, or the refusal of a
 * write that is refused); done checks after it got through that all of it is there (NULL for
 * a refusal that writes nothing). */
struct fault_op {
    const char *name;
    int (*run)(struct store *s, const void *arg, struct err *e);
    bool (*done)(struct store *s, const void *arg);
    const void *arg;
    int want;
};

static size_t events_of(struct store *s)
{
    struct store_stats st = {0};
    struct err e = {0};
    return store_stats(s, &st, &e) == 0 ? st.events : 0;
}

static bool ledger_intact(struct store *s)
{
    int64_t broken = -1;
    char *why = NULL, head[65];
    size_t n = 0;
    struct err e = {0};
    int rc = store_ledger_verify(s, &broken, &why, &n, head, &e);
    if (rc != 0 || broken)
        fprintf(stderr, "  ledger: rc %d, event %lld: %s\n", rc, (long long)broken,
                why ? why : e.msg);
    free(why);
    return rc == 0 && broken == 0;
}

/* Makes op on a copy of the archive at base, failing the Nth write for N = 1, 2, ... until it
 * gets through. After each failure: the error is ERR_DB, the archive's content is what it was
 * (in the open connection and after reopening), its ledger is intact and it passes
 * store_check. A success despite a fault (the failing write came after the commit) must have
 * written all of it, with exactly one ledger event. Returns the number of failures injected. */
/* Where the loops' work copy lives: in memory when /dev/shm is there, since each of the
 * thousands of closes syncs the file, and what is tested is the store's handling of the
 * failure, not the disk. */
static char fault_dir[256];

static const char *fault_work(void)
{
    static char path[300];
    if (!fault_dir[0]) {
        snprintf(fault_dir, sizeof fault_dir, "/dev/shm/referat-fault-XXXXXX");
        if (access("/dev/shm", W_OK) != 0 || !mkdtemp(fault_dir))
            snprintf(fault_dir, sizeof fault_dir, "%s", tmpdir);
    }
    snprintf(path, sizeof path, "%s/fault-work.db", fault_dir);
    return path;
}

static void fault_dir_remove(void)
{
    if (fault_dir[0] && strcmp(fault_dir, tmpdir) != 0) {
        remove_db(fault_work());
        rmdir(fault_dir);
    }
    fault_dir[0] = '\0';
}

static long fault_loop(const char *base, const struct fault_op *op, bool sticky, int code)
{
    char want[65];
    file_digest(base, want);
    const char *work = fault_work();
    long injected = 0;
    size_t events = 0;
    for (long n = 1; n < 10000; n++) {
        remove_db(work);
        copy_file(base, work);
        struct store *s = NULL;
        struct err e = {0};
        fault_at = 0;
        if (store_open(work, 0, &s, &e) != 0) {
            fprintf(stderr, "open: %s\n", e.msg);
            test_case_failed = 1;
            return injected;
        }
        if (n == 1)
            events = events_of(s);
        fault_writes = 0;
        fault_hit = false;
        fault_sticky = sticky;
        fault_code = code;
        fault_at = n;
        int rc = op->run(s, op->arg, &e);
        if (!fault_hit) {
            fault_at = 0;
            if (rc != op->want)
                fprintf(stderr, "%s: %s\n", op->name, e.msg);
            CHECK_INT(rc, op->want);
            if (rc == op->want && op->done) {
                CHECK_INT(events_of(s), events + 1);
                CHECK(op->done(s, op->arg));
            }
            CHECK(ledger_intact(s));
            store_close(s);
            return injected;
        }
        injected++;
        if (rc == op->want && op->done) {
            fault_at = 0;
            store_close(s);
            s = NULL;
            CHECK_INT(store_open(work, 0, &s, &e), 0);
            if (s) {
                CHECK_INT(events_of(s), events + 1);
                CHECK(op->done(s, op->arg));
                CHECK(ledger_intact(s));
                CHECK_INT(count_problems(s), 0);
            }
            store_close(s);
            continue;
        }
        if (rc != ERR_DB)
            fprintf(stderr, "%s N=%ld: %s\n", op->name, n, e.msg);
        CHECK_INT(rc, ERR_DB);
        char got[65];
        fault_at = 0;
        db_digest(store_sqlite_db(s), got);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "%s N=%ld: the open connection sees a changed archive\n", op->name,
                    n);
            test_case_failed = 1;
        }
        /* Close with the fault still in force when it is sticky: a full disk stays full. */
        fault_at = sticky ? 1 : 0;
        fault_writes = 1;
        store_close(s);
        fault_at = 0;
        s = NULL;
        if (store_open(work, 0, &s, &e) != 0) {
            fprintf(stderr, "%s N=%ld: reopen failed: %s\n", op->name, n, e.msg);
            test_case_failed = 1;
            continue;
        }
        db_digest(store_sqlite_db(s), got);
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "%s N=%ld: the archive changed after a failed write\n", op->name, n);
            test_case_failed = 1;
        }
        if (!ledger_intact(s)) {
            fprintf(stderr, "%s N=%ld: the ledger is broken after a failed write\n", op->name,
                    n);
            test_case_failed = 1;
        }
        size_t problems = count_problems(s);
        if (problems) {
            fprintf(stderr, "%s N=%ld: %zu problem(s) after a failed write\n", op->name, n,
                    problems);
            test_case_failed = 1;
        }
        store_close(s);
    }
    return injected;
}

static int op_import(struct store *s, const void *arg, struct err *e)
{
    return import(s, arg, NULL, NULL, e);
}

static bool done_import(struct store *s, const void *arg)
{
    const struct doc *next = arg;
    struct err e = {0};
    int64_t id = 0;
    char *key = store_key(next->name);
    bool ok = store_case_lookup(s, key, &id, &e) == 0;
    free(key);
    struct case_doc *c = NULL;
    ok = ok && store_case_get(s, id, &reader_all, &c, &e) == 0 && case_equal(c, next->model, true);
    case_free(c);
    return ok;
}

static void test_fault_injection(void)
{
    struct doc first, second, changed;
    bool have = (int)doc_load(&first, SEED_TXT) & (int)doc_load(&second, SEED_MD) &
                (int)doc_load(&changed, SEED_MD);
    CHECK(have);
    if (!have)
        goto done;
    CHECK(doc_edit(&changed, "Ledelsessekretariatet følger op.",
                   "Ledelsessekretariatet følger op senest d. 9. januar."));
    fault_install();
    /* The base: one case imported, checkpointed into the main file. */
    const char *base = tmp_path("fault-base.db");
    remove_db(base);
    struct store *s = NULL;
    struct err e = {0};
    CHECK_INT(store_open(base, STORE_CREATE, &s, &e), 0);
    if (s)
        CHECK_INT(import(s, &first, NULL, NULL, &e), 0);
    store_close(s);
    struct fault_op add = {"import", op_import, done_import, &second, 0};
    long n1 = fault_loop(base, &add, false, SQLITE_IOERR_WRITE);
    long n2 = fault_loop(base, &add, true, SQLITE_FULL);
    /* An update: the earlier version must survive every failure. */
    const char *base2 = tmp_path("fault-base2.db");
    remove_db(base2);
    s = NULL;
    CHECK_INT(store_open(base2, STORE_CREATE, &s, &e), 0);
    if (s) {
        CHECK_INT(import(s, &first, NULL, NULL, &e), 0);
        CHECK_INT(import(s, &second, NULL, NULL, &e), 0);
    }
    store_close(s);
    struct fault_op update = {"import update", op_import, done_import, &changed, 0};
    long n3 = fault_loop(base2, &update, false, SQLITE_IOERR_WRITE);
    long n4 = fault_loop(base2, &update, true, SQLITE_FULL);
    fprintf(stderr, "fault injection: %ld + %ld + %ld + %ld failing writes tried\n", n1, n2,
            n3, n4);
    CHECK(n1 >= 3 && n2 >= 3 && n3 >= 3 && n4 >= 3);
    sqlite3_vfs_unregister(&fault_vfs);
done:
    doc_fini(&first);
    doc_fini(&second);
    doc_fini(&changed);
}

/* ---- the workspace's writes: cases and meetings written in referat, accounts, logins ---- */

/* The archive's own tools: every role (a NULL actor is nobody). */
static const struct store_actor tools = {.reader = &reader_all};
#define PASSWORD "et-langt-kodeord-42"

/* An archive with a body TST, an account sara (sekretaer on TST), a planned meeting and a
 * case written on it and saved once more (version 2). */
struct workspace {
    int64_t body, meeting, case_id;
};

static bool workspace_make(const char *path, const struct doc *model, struct workspace *w)
{
    struct store *s = NULL;
    struct err e = {0};
    remove_db(path);
    int rc = store_open(path, STORE_CREATE, &s, &e);
    struct store_meeting_save ms = {.body = "TST", .date = "2025-05-14", .start = "09:00"};
    struct store_save sv = {.model = model->model};
    if (rc == 0)
        rc = store_body_add(s, "TST", "Testudvalget", &tools, &w->body, &e);
    if (rc == 0)
        rc = store_account_add(s, "sara", "Sara Sekretær", NULL, false, PASSWORD, &tools, NULL,
                               &e);
    if (rc == 0)
        rc = store_grant(s, "sara", "TST", ROLE_SEKRETAER, &tools, &e);
    if (rc == 0)
        rc = store_meeting_save(s, &ms, &tools, &w->meeting, NULL, &e);
    sv.meeting_id = w->meeting;
    if (rc == 0)
        rc = store_case_save(s, &sv, &tools, &w->case_id, NULL, &e);
    sv = (struct store_save){.case_id = w->case_id, .base_version = 1, .model = model->model};
    if (rc == 0)
        rc = store_case_save(s, &sv, &tools, NULL, NULL, &e);
    if (rc < 0)
        fprintf(stderr, "workspace: %s\n", e.msg);
    store_close(s);
    return rc == 0;
}

struct save_arg {
    struct store_save sv;
    int want_version;
};

static int op_case_save(struct store *s, const void *arg, struct err *e)
{
    const struct save_arg *a = arg;
    return store_case_save(s, &a->sv, &tools, NULL, NULL, e);
}

static bool done_case_save(struct store *s, const void *arg)
{
    const struct save_arg *a = arg;
    struct store_case_ref *v = NULL;
    size_t n = 0;
    struct err e = {0};
    bool ok = false;
    /* Newest first: a new case is the first, an update is its case. */
    if (store_cases(s, &reader_all, &ALL, &v, &n, NULL, &e) == 0)
        for (size_t i = 0; i < n; i++) {
            if ((a->sv.case_id && v[i].id != a->sv.case_id) ||
                (!a->sv.case_id && v[i].version != 1))
                continue;
            struct case_doc *c = NULL;
            ok = ok || (v[i].version == a->want_version &&
                        store_case_get(s, v[i].id, &reader_all, &c, &e) == 0 &&
                        case_equal(c, a->sv.model, false));
            case_free(c);
        }
    store_case_refs_free(v, n);
    return ok;
}

static int op_meeting_save(struct store *s, const void *arg, struct err *e)
{
    return store_meeting_save(s, arg, &tools, NULL, NULL, e);
}

static bool done_meeting_save(struct store *s, const void *arg)
{
    const struct store_meeting_save *ms = arg;
    struct store_meeting *v = NULL;
    size_t n = 0;
    struct err e = {0};
    bool ok = false;
    if (store_meetings(s, "TST", 0, &reader_all, &ALL, &v, &n, NULL, &e) == 0)
        for (size_t i = 0; i < n; i++)
            ok = ok || (strcmp(v[i].date, ms->date) == 0 && v[i].number == 2 &&
                        strcmp(v[i].state, "planlagt") == 0);
    store_meetings_free(v, n);
    return ok;
}

static int op_grant(struct store *s, const void *arg, struct err *e)
{
    (void)arg;
    return store_grant(s, "sara", "TST", ROLE_MEDLEM, &tools, e);
}

static bool done_grant(struct store *s, const void *arg)
{
    (void)arg;
    struct store_account a = {0};
    struct err e = {0};
    bool ok = store_account_get(s, "sara", &a, &e) == 0 && a.ngrants == 2;
    store_account_fini(&a);
    return ok;
}

static int op_account_add(struct store *s, const void *arg, struct err *e)
{
    (void)arg;
    return store_account_add(s, "bo", "Bo Berg", "bo@lindholm.dk", false, PASSWORD, &tools,
                             NULL, e);
}

static bool done_account_add(struct store *s, const void *arg)
{
    (void)arg;
    struct store_account a = {0};
    struct err e = {0};
    bool ok = store_account_get(s, "bo", &a, &e) == 0 && a.email &&
              strcmp(a.email, "bo@lindholm.dk") == 0;
    store_account_fini(&a);
    int64_t id = 0;
    char sid[STORE_SESSION_ID_LEN + 1];
    /* All of it: the password works. */
    return ok && store_login(s, "bo", PASSWORD, NULL, &id, sid, NULL, &e) == 0;
}

/* The session a successful login made in the faulted run; checked by done_login. */
static char login_session[STORE_SESSION_ID_LEN + 1];

static int op_login(struct store *s, const void *arg, struct err *e)
{
    const char *password = arg;
    int64_t id = 0;
    memset(login_session, 0, sizeof login_session);
    return store_login(s, "sara", password, "192.0.2.7", &id, login_session, NULL, e);
}

static bool done_login(struct store *s, const void *arg)
{
    (void)arg;
    int64_t id = 0;
    struct err e = {0};
    return store_session_get(s, login_session, 3600, 3600, &id, &e) == 0 && id > 0;
}

/* A failed login is recorded: the newest event says so. */
static bool done_login_failed(struct store *s, const void *arg)
{
    (void)arg;
    struct store_event *v = NULL;
    size_t n = 0;
    struct err e = {0};
    bool ok = store_events(s, NULL, &reader_all, &(struct store_page){0, 1}, &v, &n, NULL,
                           &e) == 0 &&
              n == 1 && strcmp(v[0].action, "login.failed") == 0;
    store_events_free(v, n);
    return ok;
}

/* editor (issue 8): a bilag with its file, and a review, each all or nothing. */
static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";

static int op_bilag_upload(struct store *s, const void *arg, struct err *e)
{
    const struct workspace *w = arg;
    struct store_attachment_upload u = {.case_id = w->case_id, .base_version = 2,
                                        .title = "Notat", .public = false, .journal = "1/25",
                                        .flag = "", .filename = "notat.exe", .bytes = pdf_bytes,
                                        .len = sizeof pdf_bytes - 1};
    return store_case_attachment_upload(s, &u, &tools, NULL, e);
}

static bool done_bilag_upload(struct store *s, const void *arg)
{
    const struct workspace *w = arg;
    struct store_file_info *f = NULL;
    size_t n = 0;
    struct case_doc *c = NULL;
    struct store_case_ref ref = {0};
    struct err e = {0};
    bool ok = store_attachment_files(s, w->case_id, &reader_all, &f, &n, &e) == 0 && n == 1 &&
              strcmp(f[0].mime, "application/pdf") == 0 &&
              store_case_get(s, w->case_id, &reader_all, &c, &e) == 0 && c->nattachments &&
              c->attachments[c->nattachments - 1].number == f[0].number &&
              !c->attachments[c->nattachments - 1].public &&
              store_case_ref_get(s, w->case_id, &reader_all, &ref, &e) == 0 && ref.version == 3;
    unsigned number = ok ? f[0].number : 0;
    store_file_infos_free(f, n);
    case_free(c);
    store_case_ref_fini(&ref);
    f = NULL;
    n = 0;
    c = NULL;
    /* A new file for it as it is (what the write API's PUT does): the metadata stays. */
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                        13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2,
                                        0, 0, 0, 0x90, 0x77, 0x53, 0xde};
    struct store_attachment_upload u = {.case_id = w->case_id, .base_version = 3,
                                        .number = number, .bytes = png, .len = sizeof png};
    ok = ok && store_case_attachment_upload(s, &u, &tools, NULL, &e) == 0 &&
         store_attachment_files(s, w->case_id, &reader_all, &f, &n, &e) == 0 && n == 1 &&
         strcmp(f[0].mime, "image/png") == 0 &&
         store_case_get(s, w->case_id, &reader_all, &c, &e) == 0 &&
         strcmp(c->attachments[c->nattachments - 1].title, "Notat") == 0 &&
         strcmp(c->attachments[c->nattachments - 1].journal, "1/25") == 0;
    store_file_infos_free(f, n);
    case_free(c);
    return ok;
}

static int op_bilag_html(struct store *s, const void *arg, struct err *e)
{
    const struct workspace *w = arg;
    static const char page[] = "<!DOCTYPE html><html><body><script>x()</script></body></html>\n";
    struct store_attachment_upload u = {.case_id = w->case_id, .base_version = 2,
                                        .title = "Notat", .filename = "notat.pdf",
                                        .bytes = page, .len = sizeof page - 1};
    return store_case_attachment_upload(s, &u, &tools, NULL, e);
}

static int op_review_send(struct store *s, const void *arg, struct err *e)
{
    const struct workspace *w = arg;
    struct store_account a = {0};
    int rc = store_account_get(s, "sara", &a, e);
    int64_t id = a.id, rid = 0;
    store_account_fini(&a);
    return rc < 0 ? rc : store_review_send(s, w->case_id, 2, &id, 1, "Læs den", &tools, &rid, e);
}

static bool done_review_send(struct store *s, const void *arg)
{
    const struct workspace *w = arg;
    struct store_review *v = NULL;
    size_t n = 0;
    struct err e = {0};
    bool ok = store_case_reviews(s, w->case_id, &reader_all, &v, &n, &e) == 0 && n == 1 &&
              v[0].version == 2 && v[0].note && strcmp(v[0].note, "Læs den") == 0;
    store_reviews_free(v, n);
    return ok;
}

static void test_workspace_writes(void)
{
    struct doc a, b;
    bool have = (int)doc_load(&a, SEED_TXT) & (int)doc_load(&b, SEED_MD);
    CHECK(have);
    if (!have)
        goto done;
    struct workspace w = {0};
    const char *path = tmp_path("workspace.db");
    CHECK(workspace_make(path, &a, &w));
    struct store *s = NULL;
    struct err e = {0};
    CHECK_INT(store_open(path, 0, &s, &e), 0);
    if (!s)
        goto done;
    /* Regression: an update of a case written in referat kept its key (it failed with "NOT
     * NULL constraint failed: case.key" before). */
    struct store_case_ref ref = {0};
    CHECK_INT(store_case_ref_get(s, w.case_id, &reader_all, &ref, &e), 0);
    CHECK_INT(ref.version, 2);
    char key[32];
    snprintf(key, sizeof key, "sag-%lld", (long long)w.case_id);
    CHECK_STR(ref.key, key);
    CHECK_STR(ref.state, "kladde");
    CHECK(!ref.published);
    store_case_ref_fini(&ref);
    /* A stale save changes nothing and says who saved the newer version. */
    char before[65], after[65];
    db_digest(store_sqlite_db(s), before);
    struct store_save stale = {.case_id = w.case_id, .base_version = 1, .model = b.model};
    e = (struct err){0};
    CHECK_INT(store_case_save(s, &stale, &tools, NULL, NULL, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "version 2") != NULL && strstr(e.msg, "cli:") != NULL);
    db_digest(store_sqlite_db(s), after);
    CHECK_STR(after, before);
    /* A NULL actor is nobody: it may not grant, add accounts or save. */
    CHECK_INT(store_grant(s, "sara", "TST", ROLE_MEDLEM, NULL, &e), ERR_DENIED);
    CHECK_INT(store_account_add(s, "x", "X", NULL, false, PASSWORD, NULL, NULL, &e), ERR_DENIED);
    struct store_save sv = {.case_id = w.case_id, .base_version = 2, .model = b.model};
    CHECK_INT(store_case_save(s, &sv, NULL, NULL, NULL, &e), ERR_DENIED);
    db_digest(store_sqlite_db(s), after);
    CHECK_STR(after, before);
    CHECK(ledger_intact(s));
    CHECK_INT(count_problems(s), 0);
    store_close(s);
done:
    doc_fini(&a);
    doc_fini(&b);
}

static void test_fault_injection_writes(void)
{
    struct doc a, b;
    bool have = (int)doc_load(&a, SEED_TXT) & (int)doc_load(&b, SEED_MD);
    CHECK(have);
    if (!have)
        goto done;
    struct workspace w = {0};
    /* A copy: tmp_path's buffers are reused by every fault_loop. */
    char base[512];
    snprintf(base, sizeof base, "%s", tmp_path("fault-workspace.db"));
    CHECK(workspace_make(base, &a, &w));
    fault_install();
    struct save_arg new_case = {{.meeting_id = w.meeting, .model = b.model}, 1};
    struct save_arg update = {{.case_id = w.case_id, .base_version = 2, .model = b.model}, 3};
    struct save_arg stale = {{.case_id = w.case_id, .base_version = 1, .model = b.model}, 0};
    struct store_meeting_save ms = {.body = "TST", .date = "2025-06-11", .place = "Rådhuset"};
    const struct fault_op ops[] = {
        {"case save (new)", op_case_save, done_case_save, &new_case, 0},
        {"case save (update)", op_case_save, done_case_save, &update, 0},
        {"meeting save", op_meeting_save, done_meeting_save, &ms, 0},
        {"grant", op_grant, done_grant, NULL, 0},
        {"account add", op_account_add, done_account_add, NULL, 0},
        {"login", op_login, done_login, PASSWORD, 0},
        /* Refused, but recorded: the throttle and the ledger count the attempt. */
        {"login (wrong password)", op_login, done_login_failed, "et-forkert-kodeord", ERR_AUTH},
        {"bilag upload", op_bilag_upload, done_bilag_upload, &w, 0},
        {"review send", op_review_send, done_review_send, &w, 0},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        long n1 = fault_loop(base, &ops[i], false, SQLITE_IOERR_WRITE);
        long n2 = fault_loop(base, &ops[i], true, SQLITE_FULL);
        fprintf(stderr, "fault injection, %s: %ld + %ld failing writes tried\n", ops[i].name,
                n1, n2);
        CHECK(n1 >= 3 && n2 >= 3);
    }
    /* Refused before anything is written: no write to fail. */
    const struct fault_op refused = {"case save (stale)", op_case_save, NULL, &stale,
                                     ERR_CONFLICT};
    CHECK_INT(fault_loop(base, &refused, false, SQLITE_IOERR_WRITE), 0);
    /* A bilag whose content is no PDF, Office document or image, whatever its name. */
    const struct fault_op html_bilag = {"bilag upload (html)", op_bilag_html, NULL, &w,
                                        ERR_SYNTAX};
    CHECK_INT(fault_loop(base, &html_bilag, false, SQLITE_IOERR_WRITE), 0);
    sqlite3_vfs_unregister(&fault_vfs);
done:
    doc_fini(&a);
    doc_fini(&b);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/referat-test-store-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    if (sodium_init() < 0)
        return 1;
    RUN(test_key);
    RUN(test_open_errors);
    RUN(test_import_roundtrip);
    RUN(test_examples_roundtrip);
    RUN(test_identity_and_history);
    RUN(test_followups_survive_update);
    RUN(test_overdue);
    RUN(test_decision_followups); /* issue 10, flat follow-ups */
    RUN(test_public_audience);
    RUN(test_bodies_and_meetings);
    RUN(test_migrate_old);
    RUN(test_migrate_v10_indexes); /* issue 11, archive routes */
    RUN(test_count_memo);          /* issue 11, archive routes */
    RUN(test_locked_full_readonly);
    RUN(test_fault_injection);
    RUN(test_workspace_writes);
    RUN(test_fault_injection_writes);
    fault_dir_remove();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (!test_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return TEST_REPORT();
}
