/* test_store_library: a body's library in the archive (issue 8): adding, listing, saving
 * against a base version (a stale one refused), names taken, bad content refused with its
 * problems and nothing written, who may write, deleting, moving, importing (added, changed,
 * unchanged, replaced, refused whole), each write one ledger event. */
#include "test.h"
#include "store_fixture.h"
#include "store/store.h"
#include "util/buf.h"

#include <sqlite3.h>
#include <unistd.h>

static int64_t dir_id, kb_id;
static struct store_actor tools = {0, "cli:test", NULL, &reader_all};

static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-store-library-%d.db", (int)getpid());
    const char *ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s%s", dbpath, ext[i]);
        unlink(p);
    }
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0) {
        fprintf(stderr, "open: %s\n", e.msg);
        exit(1);
    }
    if (store_body_add(s, "DIR", "Direktionen", &tools, &dir_id, &e) != 0 ||
        store_body_add(s, "KB", "Kommunalbestyrelsen", &tools, &kb_id, &e) != 0) {
        fprintf(stderr, "body: %s\n", e.msg);
        exit(1);
    }
    return s;
}

#define EVENTS(s) fixture_count(s, "SELECT count(*) FROM ledger WHERE action LIKE 'library.%'")

static const char *TPL = "[{\"name\":\"Sagsfremstilling\",\"field\":\"presentation\","
                         "\"text\":\"Baggrund.  \\r\\n\",\"help\":\"Beskriv baggrunden for sagen."
                         "\"},{\"name\":\" Økonomi \",\"field\":null}]";

static int64_t add(struct store *s, const struct store_actor *a, const char *body, const char *kind,
                   const char *name, const char *text, int *rc_out)
{
    struct store_body_item_save sv = {.body = body, .item = {kind, name, text, TPL, 5, true}};
    int64_t id = 0;
    int version = 0;
    struct err e = {0};
    int rc = store_body_item_save(s, &sv, a, &id, &version, NULL, &e);
    if (rc_out)
        *rc_out = rc;
    else if (rc)
        fprintf(stderr, "add %s: %s\n", name, e.msg);
    return id;
}

static void test_add_list(void)
{
    struct store *s = fresh();
    int64_t r = add(s, &tools, "DIR", "recurring", "Eventuelt", NULL, NULL);
    int64_t t1 =
        add(s, &tools, "DIR", "text", "Verdensmål", "Sagen understøtter mål 11.  \n\n\n", NULL);
    int64_t t2 = add(s, &tools, "DIR", "text", " Oplæg ", "Oplæg på 5 minutter.", NULL);
    int64_t tp = add(s, &tools, "DIR", "template", "Temadrøftelse", "Temadrøftelse om ...", NULL);
    CHECK(r && t1 && t2 && tp);
    struct store_body_item *v = NULL;
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(store_body_items(s, "DIR", NULL, &v, &n, &e), 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_INT(v[0].id, t1);
        CHECK_INT(v[0].pos, 1);
        CHECK_STR(v[0].text, "Sagen understøtter mål 11.");
        CHECK_STR(v[0].sections, NULL);
        CHECK_INT(v[1].id, t2);
        CHECK_STR(v[1].name, "Oplæg");
        CHECK_INT(v[1].pos, 2);
        CHECK_INT(v[2].id, tp);
        CHECK_STR(v[2].kind, "template");
        /* Sections stored canonically: texts normalised, names trimmed. */
        CHECK_STR(v[2].sections, "[{\"name\":\"Sagsfremstilling\",\"field\":\"presentation\","
                                 "\"text\":\"Baggrund.\",\"help\":\"Beskriv baggrunden for "
                                 "sagen.\"},{\"name\":\"Økonomi\",\"field\":null,\"text\":null,"
                                 "\"help\":null}]");
        CHECK_INT(v[3].id, r);
        CHECK_INT(v[3].duration, 5);
        CHECK(v[3].public);
        CHECK_INT(v[0].version, 1);
        CHECK_INT(v[2].duration, 0);
    }
    store_body_items_free(v, n);
    CHECK_INT(store_body_items(s, "DIR", "text", &v, &n, &e), 0);
    CHECK_INT(n, 2);
    store_body_items_free(v, n);
    CHECK_INT(store_body_items(s, "KB", NULL, &v, &n, &e), 0);
    CHECK_INT(n, 0);
    CHECK(v == NULL);
    CHECK_INT(store_body_items(s, "XX", NULL, &v, &n, &e), ERR_NOTFOUND);
    CHECK_INT(store_body_items(s, "DIR", "bog", &v, &n, &e), ERR_USAGE);
    struct store_body_item it = {0};
    CHECK_INT(store_body_item_get(s, tp, &it, &e), 0);
    CHECK_STR(it.name, "Temadrøftelse");
    CHECK_STR(it.text, "Temadrøftelse om ...");
    /* The stored template applied to a new case: its prefilled text, never its help. */
    struct case_doc *c = case_new();
    CHECK_INT(store_template_apply(&it, c, &e), 0);
    CHECK_STR(c->title, "Temadrøftelse om ...");
    CHECK_STR(c->presentation, "Baggrund.");
    CHECK_INT(c->nsections, 1);
    CHECK_STR(c->sections[0].name, "Økonomi");
    case_free(c);
    store_body_item_fini(&it);
    CHECK_INT(store_body_item_get(s, t1, &it, &e), 0);
    c = case_new();
    CHECK_INT(store_template_apply(&it, c, &e), ERR_USAGE);
    case_free(c);
    store_body_item_fini(&it);
    CHECK_INT(store_body_item_get(s, 9999, &it, &e), ERR_NOTFOUND);
    CHECK_INT(EVENTS(s), 4);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'library.add' AND "
                       "object = 'body_item:1'"),
              1);
    store_close(s);
}

static void test_save_version(void)
{
    struct store *s = fresh();
    int64_t id = add(s, &tools, "DIR", "text", "Verdensmål", "Første udgave.", NULL);
    struct store_body_item_save sv = {
        .id = id,
        .base_version = 1,
        .body = "DIR",
        .item = {"text", "Verdensmål", "Anden udgave.", NULL, 0, true}};
    int version = 0;
    struct err e = {0};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, &version, NULL, &e), 0);
    CHECK_INT(version, 2);
    /* A second form opened at version 1 is stale: refused, nothing written. */
    sv.item.text = "Tredje udgave.";
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, &version, NULL, &e), ERR_CONFLICT);
    CHECK(strstr(e.msg, "version 2") != NULL);
    struct store_body_item it = {0};
    CHECK_INT(store_body_item_get(s, id, &it, &e), 0);
    CHECK_STR(it.text, "Anden udgave.");
    CHECK_INT(it.version, 2);
    store_body_item_fini(&it);
    /* Saving what is there already is no change: no new version, no event. */
    sv.base_version = 2;
    sv.item.text = "Anden udgave.\n";
    long long events = EVENTS(s);
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, &version, NULL, &e), 0);
    CHECK_INT(version, 2);
    CHECK_INT(EVENTS(s), events);
    /* A change of an item through another body is not found. */
    sv.body = "KB";
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, &version, NULL, &e), ERR_NOTFOUND);
    /* A change keeps the item's kind, whatever the form says. */
    sv.body = "DIR";
    sv.item.kind = "recurring";
    sv.item.text = "Fjerde udgave.";
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, &version, NULL, &e), 0);
    CHECK_INT(store_body_item_get(s, id, &it, &e), 0);
    CHECK_STR(it.kind, "text");
    CHECK_INT(it.duration, 0);
    store_body_item_fini(&it);
    store_close(s);
}

static void test_bad(void)
{
    struct store *s = fresh();
    add(s, &tools, "DIR", "text", "Verdensmål", "Tekst.", NULL);
    int rc;
    long long events = EVENTS(s);
    struct store_body_item_save sv = {.body = "DIR",
                                      .item = {"text", "Verdensmål", "Anden.", NULL, 0, true}};
    struct library_problems pr = {0};
    struct err e = {0};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, &pr, &e), ERR_CONFLICT);
    CHECK_INT(pr.n, 1);
    CHECK_STR(pr.v[0].field, "name");
    /* The same name in another kind, or another body, is fine. */
    CHECK(add(s, &tools, "DIR", "recurring", "Verdensmål", NULL, NULL) != 0);
    CHECK(add(s, &tools, "KB", "text", "Verdensmål", "Tekst.", NULL) != 0);
    events += 2;
    memset(&pr, 0, sizeof pr);
    sv.item =
        (struct library_item){"template", "", NULL, "[{\"name\":\"A\",\"field\":\"x\"}]", 0, true};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, &pr, &e), ERR_USAGE);
    CHECK_INT(pr.n, 2);
    CHECK_STR(pr.v[0].field, "name");
    CHECK_STR(pr.v[1].field, "sections[0].field");
    CHECK_STR(e.msg, pr.v[0].message);
    add(s, &tools, "DIR", "recurring", "Nul minutter", NULL, &rc);
    CHECK_INT(rc, 0);
    events++;
    sv.item = (struct library_item){"recurring", "Nul", NULL, NULL, 0, true};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, NULL, &e), ERR_USAGE);
    CHECK_INT(EVENTS(s), events);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM body_item"), 4);
    store_close(s);
}

/* No text of the library may hold a line of a template's help: it would go into cases. */
static void test_help_in_library(void)
{
    struct store *s = fresh();
    int rc;
    add(s, &tools, "DIR", "template", "Skabelon", NULL, &rc); /* help: "Beskriv baggrunden ..." */
    CHECK_INT(rc, 0);
    struct library_problems pr = {0};
    struct err e = {0};
    struct store_body_item_save sv = {
        .body = "DIR",
        .item = {"text", "Kopi", "Indledning.\n\nBeskriv  baggrunden\nfor sagen. Mere.", NULL, 0,
                 true}};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, &pr, &e), ERR_USAGE);
    CHECK_INT(pr.n, 1);
    CHECK_STR(pr.v[0].field, "text");
    CHECK(strstr(pr.v[0].message, "template \"Skabelon\" (line 3, column 1)") != NULL);
    /* A template's own prefilled text may not hold its help either. */
    memset(&pr, 0, sizeof pr);
    sv.item = (struct library_item){"template",
                                    "Selv",
                                    NULL,
                                    "[{\"name\":\"A\",\"text\":\"Husk at skrive kort og klart.\","
                                    "\"help\":\"Husk at skrive kort og klart.\"}]",
                                    0,
                                    true};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, &pr, &e), ERR_USAGE);
    CHECK_STR(pr.v[0].field, "sections[0].text");
    /* The other way: a new template whose help an existing text holds. */
    add(s, &tools, "DIR", "text", "Tekst", "Angiv udgifter i hele tusinde kroner.", &rc);
    CHECK_INT(rc, 0);
    memset(&pr, 0, sizeof pr);
    sv.item = (struct library_item){"template",
                                    "Ny",
                                    NULL,
                                    "[{\"name\":\"A\"},{\"name\":\"B\",\"help\":\"Angiv udgifter i "
                                    "hele tusinde kroner.\"}]",
                                    0,
                                    true};
    CHECK_INT(store_body_item_save(s, &sv, &tools, NULL, NULL, &pr, &e), ERR_USAGE);
    CHECK_INT(pr.n, 1);
    CHECK_STR(pr.v[0].field, "sections[1].help");
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM body_item"), 2);
    /* Other bodies' help is theirs. */
    add(s, &tools, "KB", "text", "Kopi", "Beskriv baggrunden for sagen.", &rc);
    CHECK_INT(rc, 0);
    store_close(s);
}

static void test_roles(void)
{
    struct store *s = fresh();
    struct reader_body sek = {dir_id, ROLE_SEKRETAER}, med = {dir_id, ROLE_MEDLEM | ROLE_GODKENDER},
                       other = {kb_id, ROLE_SEKRETAER};
    struct reader r_sek = {false, 2, false, &sek, 1}, r_med = {false, 3, false, &med, 1},
                  r_other = {false, 4, false, &other, 1}, r_admin = {false, 5, true, NULL, 0};
    struct store_actor a_sek = {2, "sek", NULL, &r_sek}, a_med = {3, "med", NULL, &r_med},
                       a_other = {4, "other", NULL, &r_other}, a_admin = {5, "adm", NULL, &r_admin},
                       a_none = {0, "none", NULL, NULL};
    int rc;
    int64_t id = add(s, &a_sek, "DIR", "text", "A", "Tekst.", &rc);
    CHECK_INT(rc, 0);
    add(s, &a_admin, "DIR", "text", "B", "Tekst.", &rc);
    CHECK_INT(rc, 0);
    add(s, &a_med, "DIR", "text", "C", "Tekst.", &rc);
    CHECK_INT(rc, ERR_DENIED);
    add(s, &a_other, "DIR", "text", "D", "Tekst.", &rc);
    CHECK_INT(rc, ERR_DENIED);
    add(s, &a_none, "DIR", "text", "E", "Tekst.", &rc);
    CHECK_INT(rc, ERR_DENIED);
    add(s, NULL, "DIR", "text", "F", "Tekst.", &rc);
    CHECK_INT(rc, ERR_DENIED);
    struct err e = {0};
    bool moved;
    CHECK_INT(store_body_item_move(s, "DIR", id, 1, &a_med, &moved, &e), ERR_DENIED);
    CHECK_INT(store_body_item_delete(s, "DIR", id, 1, &a_other, &e), ERR_DENIED);
    CHECK_INT(store_body_items_import(s, "DIR", NULL, 0, true, &a_med, NULL, NULL, NULL, &e),
              ERR_DENIED);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM body_item"), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'library.add' AND actor = "
                       "'adm'"),
              1);
    CHECK_INT(store_body_item_delete(s, "DIR", id, 1, &a_admin, &e), 0);
    store_close(s);
}

static void positions(struct store *s, const char *kind, char *out, size_t len)
{
    struct store_body_item *v = NULL;
    size_t n = 0;
    struct err e = {0};
    out[0] = '\0';
    if (store_body_items(s, "DIR", kind, &v, &n, &e) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, len - l, "%s%s@%d", i ? " " : "", v[i].name, v[i].pos);
    }
    store_body_items_free(v, n);
}

static void test_move_delete(void)
{
    struct store *s = fresh();
    int64_t a = add(s, &tools, "DIR", "text", "A", "a", NULL);
    int64_t b = add(s, &tools, "DIR", "text", "B", "b", NULL);
    add(s, &tools, "DIR", "text", "C", "c", NULL);
    add(s, &tools, "DIR", "recurring", "R", NULL, NULL);
    char got[200];
    bool moved = true;
    struct err e = {0};
    long long events = EVENTS(s);
    CHECK_INT(store_body_item_move(s, "DIR", a, -1, &tools, &moved, &e), 0);
    CHECK(!moved);
    CHECK_INT(EVENTS(s), events);
    CHECK_INT(store_body_item_move(s, "DIR", a, 1, &tools, &moved, &e), 0);
    CHECK(moved);
    CHECK_INT(EVENTS(s), events + 1);
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "B@1 A@2 C@3");
    CHECK_INT(store_body_item_move(s, "DIR", a, 2, &tools, &moved, &e), ERR_USAGE);
    CHECK_INT(store_body_item_move(s, "KB", a, 1, &tools, &moved, &e), ERR_NOTFOUND);
    /* A move is no change of content: the version stays. */
    struct store_body_item it = {0};
    CHECK_INT(store_body_item_get(s, a, &it, &e), 0);
    CHECK_INT(it.version, 1);
    store_body_item_fini(&it);
    CHECK_INT(store_body_item_delete(s, "DIR", b, 2, &tools, &e), ERR_CONFLICT);
    CHECK_INT(store_body_item_delete(s, "KB", b, 1, &tools, &e), ERR_NOTFOUND);
    CHECK_INT(store_body_item_delete(s, "DIR", b, 1, &tools, &e), 0);
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "A@1 C@2");
    positions(s, "recurring", got, sizeof got);
    CHECK_STR(got, "R@1");
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'library.delete'"), 1);
    /* What comes after a delete goes last. */
    add(s, &tools, "DIR", "text", "D", "d", NULL);
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "A@1 C@2 D@3");
    store_close(s);
}

static void test_import(void)
{
    struct store *s = fresh();
    add(s, &tools, "DIR", "text", "Gammel", "Bliver væk ved replace.", NULL);
    add(s, &tools, "DIR", "text", "Verdensmål", "Gammel tekst.", NULL);
    add(s, &tools, "DIR", "recurring", "Eventuelt", NULL, NULL);
    struct library_item v[] = {
        {"recurring", "Godkendelse af dagsorden", NULL, NULL, 5, true},
        {"text", "Oplæg", "Fem minutter.", NULL, 0, true},
        {"text", "Verdensmål", "Ny tekst.", NULL, 0, true},
        {"recurring", "Eventuelt", NULL, NULL, 5, true},
    };
    struct store_library_counts c = {0};
    struct err e = {0};
    CHECK_INT(store_body_items_import(s, "DIR", v, 4, false, &tools, &c, NULL, NULL, &e), 0);
    CHECK_INT(c.added, 2);
    CHECK_INT(c.changed, 1);
    CHECK_INT(c.unchanged, 1);
    CHECK_INT(c.deleted, 0);
    char got[300];
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "Gammel@1 Verdensmål@2 Oplæg@3");
    positions(s, "recurring", got, sizeof got);
    CHECK_STR(got, "Eventuelt@1 Godkendelse af dagsorden@2");
    /* Again with replace: the one not in the file goes, the order becomes the file's. */
    CHECK_INT(store_body_items_import(s, "DIR", v, 4, true, &tools, &c, NULL, NULL, &e), 0);
    CHECK_INT(c.added, 0);
    CHECK_INT(c.changed, 0);
    CHECK_INT(c.unchanged, 4);
    CHECK_INT(c.deleted, 1);
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "Oplæg@1 Verdensmål@2");
    positions(s, "recurring", got, sizeof got);
    CHECK_STR(got, "Godkendelse af dagsorden@1 Eventuelt@2");
    /* A bad item refuses the whole file: nothing written, its index and problems said. */
    long long events = EVENTS(s);
    struct library_item w[] = {
        {"text", "Ny", "Kommer ikke ind.", NULL, 0, true},
        {"text", "Oplæg", "Ændres ikke.", NULL, 0, true},
        {"text", " Ny ", "Samme navn igen.", NULL, 0, true},
    };
    size_t bad = 99;
    struct library_problems pr = {0};
    CHECK_INT(store_body_items_import(s, "DIR", w, 3, true, &tools, &c, &bad, &pr, &e),
              ERR_CONFLICT);
    CHECK_INT(bad, 2);
    CHECK_STR(pr.v[0].field, "name");
    w[2] = (struct library_item){"recurring", "Lang", NULL, NULL, 601, true};
    memset(&pr, 0, sizeof pr);
    CHECK_INT(store_body_items_import(s, "DIR", w, 3, true, &tools, &c, &bad, &pr, &e), ERR_USAGE);
    CHECK_INT(bad, 2);
    CHECK_STR(pr.v[0].field, "duration");
    CHECK_INT(EVENTS(s), events);
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "Oplæg@1 Verdensmål@2");
    CHECK_INT(store_body_items_import(s, "XX", w, 1, false, &tools, &c, &bad, &pr, &e),
              ERR_NOTFOUND);
    store_close(s);
}

/* The library's rows and the ledger's length, as one string to compare. */
static char *dump(struct store *s)
{
    sqlite3_stmt *st;
    struct buf b = BUF_INIT;
    sqlite3_prepare_v2(store_sqlite_db(s),
                       "SELECT id, kind, pos, name, coalesce(text, '-'), coalesce(sections, '-'), "
                       "coalesce(duration, 0), public, version FROM body_item ORDER BY id",
                       -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < 9; i++)
            buf_printf(&b, "%s|", (const char *)sqlite3_column_text(st, i));
        buf_putc(&b, '\n');
    }
    sqlite3_finalize(st);
    buf_printf(&b, "ledger %lld\n", fixture_count(s, "SELECT count(*) FROM ledger"));
    return buf_detach(&b);
}

/* Fault injection without a special build: temporary triggers make the Nth write to the
 * library or the ledger fail, for N = 1, 2, ... until an import gets through. Each failed
 * import must leave the archive as it was. */
static void test_faults(void)
{
    struct store *s = fresh();
    add(s, &tools, "DIR", "text", "Gammel", "Bliver væk.", NULL);
    add(s, &tools, "DIR", "text", "Verdensmål", "Gammel tekst.", NULL);
    add(s, &tools, "DIR", "recurring", "Eventuelt", NULL, NULL);
    sqlite3 *db = store_sqlite_db(s);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TEMP TABLE fault (at INTEGER, n INTEGER);"
                           "INSERT INTO fault VALUES (0, 0);"
                           "CREATE TEMP TRIGGER f1 BEFORE INSERT ON main.body_item BEGIN "
                           "UPDATE fault SET n = n + 1; SELECT RAISE(ABORT, 'fault') "
                           "FROM fault WHERE n = at; END;"
                           "CREATE TEMP TRIGGER f2 BEFORE UPDATE ON main.body_item BEGIN "
                           "UPDATE fault SET n = n + 1; SELECT RAISE(ABORT, 'fault') "
                           "FROM fault WHERE n = at; END;"
                           "CREATE TEMP TRIGGER f3 BEFORE DELETE ON main.body_item BEGIN "
                           "UPDATE fault SET n = n + 1; SELECT RAISE(ABORT, 'fault') "
                           "FROM fault WHERE n = at; END;"
                           "CREATE TEMP TRIGGER f4 BEFORE INSERT ON main.ledger BEGIN "
                           "UPDATE fault SET n = n + 1; SELECT RAISE(ABORT, 'fault') "
                           "FROM fault WHERE n = at; END;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    struct library_item v[] = {
        {"recurring", "Godkendelse af dagsorden", NULL, NULL, 5, true},
        {"text", "Oplæg", "Fem minutter.", NULL, 0, true},
        {"text", "Verdensmål", "Ny tekst.", NULL, 0, true},
        {"template", "Skabelon", NULL, TPL, 0, true},
    };
    char *before = dump(s);
    int rc = -1, tries = 0;
    for (int at = 1; rc != 0 && at < 100; at++) {
        char sql[80];
        snprintf(sql, sizeof sql, "UPDATE fault SET at = %d, n = 0", at);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        struct err e = {0};
        rc = store_body_items_import(s, "DIR", v, 4, true, &tools, NULL, NULL, NULL, &e);
        if (rc == 0)
            break;
        tries++;
        char *now = dump(s);
        CHECK_STR(now, before);
        free(now);
    }
    /* Writes: 3 changed or added items + 1 delete + 4 reorders + their 5 events, at least. */
    CHECK(tries >= 8);
    CHECK_INT(rc, 0);
    char got[300];
    positions(s, "text", got, sizeof got);
    CHECK_STR(got, "Oplæg@1 Verdensmål@2");
    /* A save (the item and its event) and a delete, failing at each of their writes. */
    free(before);
    before = dump(s);
    int saves = 0;
    struct store_body_item_save sv = {.body = "DIR",
                                      .item = {"text", "Ny", "Tekst.", NULL, 0, true}};
    rc = -1;
    for (int at = 1; rc != 0 && at < 20; at++) {
        char sql[80];
        snprintf(sql, sizeof sql, "UPDATE fault SET at = %d, n = 0", at);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        struct err e = {0};
        if ((rc = store_body_item_save(s, &sv, &tools, NULL, NULL, NULL, &e)) == 0)
            break;
        saves++;
        char *now = dump(s);
        CHECK_STR(now, before);
        free(now);
    }
    CHECK_INT(saves, 2);
    free(before);
    before = dump(s);
    int64_t id = 0;
    bool found = false;
    struct store_body_item *items = NULL;
    size_t nitems = 0;
    struct err le = {0};
    if (store_body_items(s, "DIR", "text", &items, &nitems, &le) == 0 && nitems == 3) {
        id = items[0].id;
        found = true;
    }
    store_body_items_free(items, nitems);
    CHECK(found);
    int deletes = 0;
    rc = -1;
    for (int at = 1; rc != 0 && at < 20; at++) {
        char sql[80];
        snprintf(sql, sizeof sql, "UPDATE fault SET at = %d, n = 0", at);
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        struct err e = {0};
        if ((rc = store_body_item_delete(s, "DIR", id, 1, &tools, &e)) == 0)
            break;
        deletes++;
        char *now = dump(s);
        CHECK_STR(now, before);
        free(now);
    }
    /* The delete, the two after it moving up (a write each), its event. */
    CHECK_INT(deletes, 4);
    sqlite3_exec(db, "UPDATE fault SET at = 0", NULL, NULL, NULL);
    free(before);
    store_close(s);
}

int main(void)
{
    RUN(test_add_list);
    RUN(test_save_version);
    RUN(test_bad);
    RUN(test_help_in_library);
    RUN(test_roles);
    RUN(test_move_delete);
    RUN(test_import);
    RUN(test_faults);
    unlink(dbpath);
    return TEST_REPORT();
}
