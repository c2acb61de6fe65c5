/* bench_archive: import a generated corpus into the archive and report cases/s beside plain
 * INSERTs of the same rows into SQLite tables without indexes, measured in the same run. The
 * archive is kept (--db) for the search benchmark to query. */
#include "gen.h"
#include "format/format.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/file.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define USAGE                                                                                \
    "usage: bench_archive [--cases N] [--seed S] [--db PATH] [--examples DIR] [--one-by-one]\n"             \
    "       bench_archive --write DIR [--cases N] [--seed S]   (the corpus as files)\n"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's CPU time: on a shared machine the wall clock also counts other processes'
 * turns on the cores, so the ratio is also given in CPU seconds (waiting for the disk is not
 * counted there). */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remove_db(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* ---- the reference: the same rows, plain INSERTs, no indexes or keys ---- */

static const char plain_schema[] =
    "CREATE TABLE pcase (key, version, title, public, presentation, intro, has_table, "
    "  recommendation, has_attachments, date, layout_format, layout_base, created_at, "
    "  updated_at);"
    "CREATE TABLE psource (case_key, version, name, format, hash, size, bytes, imported_at);"
    "CREATE TABLE proute (case_key, pos, code);"
    "CREATE TABLE phunk (case_key, pos, at, del, nins, ins);"
    "CREATE TABLE psubitem (case_key, pos, time, title, text);"
    "CREATE TABLE pguest (case_key, subitem, pos, name, role);"
    "CREATE TABLE pdecision (case_key, pos, body, date, text);"
    "CREATE TABLE pentry (case_key, decision, pos, title, subitem, text);"
    "CREATE TABLE pdateref (case_key, decision, entry, pos, text, start, \"end\");"
    "CREATE TABLE pfollowup (case_key, decision, entry, pos, owner, role, text, due, status);"
    "CREATE TABLE pattachment (case_key, pos, number, public, title, journal, flag, document);";

enum { P_CASE, P_SOURCE, P_ROUTE, P_HUNK, P_SUB, P_GUEST, P_DEC, P_ENTRY, P_DATE, P_FU, P_ATT,
       P_COUNT };

static const char *const plain_sql[P_COUNT] = {
    "INSERT INTO pcase VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    "INSERT INTO psource VALUES (?1, 1, ?2, 'md', ?3, ?4, ?5, ?6)",
    "INSERT INTO proute VALUES (?1, ?2, ?3)",
    "INSERT INTO phunk VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO psubitem VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO pguest VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO pdecision VALUES (?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO pentry VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO pdateref VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "INSERT INTO pfollowup VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open')",
    "INSERT INTO pattachment VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

struct plain {
    sqlite3 *db;
    sqlite3_stmt *st[P_COUNT];
};

static void t(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void go(struct plain *p, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) {
        fprintf(stderr, "plain insert: %s\n", sqlite3_errmsg(p->db));
        exit(1);
    }
    sqlite3_reset(st);
}

/* Inserts the rows store_import writes for this document, with values ready beforehand. */
static void plain_insert(struct plain *p, const char *key, const char *name, const char *hash,
                         const char *stamp, const char *bytes, size_t len,
                         const struct case_doc *c)
{
    sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st = p->st[P_CASE];
    t(st, 1, key);
    t(st, 2, c->title);
    sqlite3_bind_int(st, 3, c->public);
    t(st, 4, c->presentation);
    t(st, 5, c->intro);
    sqlite3_bind_int(st, 6, c->has_table);
    t(st, 7, c->recommendation);
    sqlite3_bind_int(st, 8, c->has_attachments);
    t(st, 9, c->ndecisions ? c->decisions[0].date : NULL);
    t(st, 10, c->layout.format);
    t(st, 11, c->layout.base);
    t(st, 12, stamp);
    go(p, st);
    st = p->st[P_SOURCE];
    t(st, 1, key);
    t(st, 2, name);
    t(st, 3, hash);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
    sqlite3_bind_blob64(st, 5, bytes, len, SQLITE_STATIC);
    t(st, 6, stamp);
    go(p, st);
    for (size_t i = 0; i < c->nroute; i++) {
        st = p->st[P_ROUTE];
        t(st, 1, key);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        t(st, 3, c->route[i]);
        go(p, st);
    }
    for (size_t i = 0; i < c->layout.nhunks; i++) {
        const struct hunk *h = &c->layout.hunks[i];
        st = p->st[P_HUNK];
        t(st, 1, key);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)h->at);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)h->del);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)h->nins);
        t(st, 6, h->nins ? h->ins[0] : "");
        go(p, st);
    }
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        st = p->st[P_SUB];
        t(st, 1, key);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        t(st, 3, s->time);
        t(st, 4, s->title);
        t(st, 5, s->text);
        go(p, st);
        for (size_t k = 0; k < s->nguests; k++) {
            st = p->st[P_GUEST];
            t(st, 1, key);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
            t(st, 4, s->guests[k].name);
            t(st, 5, s->guests[k].role);
            go(p, st);
        }
    }
    for (size_t d = 0; d < c->ndecisions; d++) {
        const struct decision *dec = &c->decisions[d];
        st = p->st[P_DEC];
        t(st, 1, key);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)d);
        t(st, 3, dec->body);
        t(st, 4, dec->date);
        t(st, 5, dec->text);
        go(p, st);
        for (size_t k = 0; k < dec->nentries; k++) {
            const struct entry *en = &dec->entries[k];
            st = p->st[P_ENTRY];
            t(st, 1, key);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)d);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
            t(st, 4, en->title);
            sqlite3_bind_int64(st, 5, (sqlite3_int64)en->subitem);
            t(st, 6, en->text);
            go(p, st);
            for (size_t j = 0; j < en->ndates; j++) {
                st = p->st[P_DATE];
                t(st, 1, key);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)d);
                sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
                sqlite3_bind_int64(st, 4, (sqlite3_int64)j);
                t(st, 5, en->dates[j].text);
                t(st, 6, en->dates[j].start);
                t(st, 7, en->dates[j].end);
                go(p, st);
            }
            for (size_t j = 0; j < en->nfollowups; j++) {
                st = p->st[P_FU];
                t(st, 1, key);
                sqlite3_bind_int64(st, 2, (sqlite3_int64)d);
                sqlite3_bind_int64(st, 3, (sqlite3_int64)k);
                sqlite3_bind_int64(st, 4, (sqlite3_int64)j);
                t(st, 5, en->followups[j].owner);
                t(st, 6, en->followups[j].role);
                t(st, 7, en->followups[j].text);
                t(st, 8, en->followups[j].due);
                go(p, st);
            }
        }
    }
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        st = p->st[P_ATT];
        t(st, 1, key);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(st, 3, a->number);
        sqlite3_bind_int(st, 4, a->public);
        t(st, 5, a->title);
        t(st, 6, a->journal);
        t(st, 7, a->flag);
        t(st, 8, a->document);
        go(p, st);
    }
    if (sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "plain commit: %s\n", sqlite3_errmsg(p->db));
        exit(1);
    }
}

/* ---- what the archive's bytes are spent on ---- */

/* The archive's size beside its Markdown, and what each table and index costs (SQLite's
 * dbstat): the source bytes themselves, the model's tables, their indexes, and the search
 * index (search_*, FTS5 with its shadow tables and vocabularies). */
static void print_sizes(const char *path, size_t md_bytes)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT CASE WHEN s.name LIKE 'search\\_%' ESCAPE '\\' THEN 2 "
                           "WHEN s.name = 'source' THEN 0 WHEN m.type = 'index' OR "
                           "s.name LIKE 'sqlite\\_autoindex%' ESCAPE '\\' THEN 3 ELSE 1 END, "
                           "s.name, sum(s.pgsize) FROM dbstat s LEFT JOIN sqlite_schema m "
                           "ON m.name = s.name GROUP BY s.name ORDER BY 3 DESC",
                           -1, &st, NULL) != SQLITE_OK) {
        printf("  (no sizes: %s)\n", db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return;
    }
    static const char *const kind[] = {"source bytes (table source)", "model tables",
                                       "search index (search_*)", "indexes"};
    double sum[4] = {0}, total = 0, md = (double)md_bytes;
    struct { char name[64]; int kind; double bytes; } top[12];
    int ntop = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        double b = sqlite3_column_double(st, 2);
        sum[k] += b;
        total += b;
        if (ntop < 12) {
            snprintf(top[ntop].name, sizeof top[ntop].name, "%s", sqlite3_column_text(st, 1));
            top[ntop].kind = k;
            top[ntop++].bytes = b;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    printf("  size ratio archive/Markdown %6.2fx  (%.0f MB of pages for %.1f MB of Markdown)\n",
           total / md, total / 1e6, md / 1e6);
    for (int k = 0; k < 4; k++)
        printf("    %-30s %8.0f MB  %5.2fx\n", kind[k], sum[k] / 1e6, sum[k] / md);
    printf("    largest:");
    for (int i = 0; i < ntop; i++)
        printf("%s %s %.0f MB", i ? "," : "", top[i].name, top[i].bytes / 1e6);
    printf("\n");
}

/* ---- the run ---- */

struct opts {
    size_t cases;
    unsigned seed;
    const char *db;
    const char *examples;
    const char *write_dir;
    bool one_by_one; /* --one-by-one: no bulk run, the index written with each case */
};

/* Generates document i and parses it as `referat import` would (untimed). */
static struct case_doc *next_doc(struct gen *g, struct buf *doc, size_t *subitems)
{
    struct err e = {0};
    struct warnings w = {0};
    struct case_doc *c = NULL;
    *subitems = gen_next(g, doc);
    if (fmt_read(&fmt_read_md, buf_cstr(doc), doc->len, 0, &c, &e, &w) != 0) {
        fprintf(stderr, "generated document does not parse: %u:%u: %s\n", e.line, e.col,
                e.msg);
        exit(1);
    }
    warnings_fini(&w);
    return c;
}

static int write_corpus(const struct opts *o)
{
    struct gen *g = gen_new(o->examples, o->seed);
    if (!g) {
        fprintf(stderr, "bench_archive: no examples in %s\n", o->examples);
        return 1;
    }
    mkdir(o->write_dir, 0777);
    struct buf doc = BUF_INIT, path = BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < o->cases && rc == 0; i++) {
        struct err e = {0};
        gen_next(g, &doc);
        buf_truncate(&path, 0);
        buf_printf(&path, "%s/%06zu.md", o->write_dir, i);
        e.file = buf_cstr(&path);
        if (file_write(buf_cstr(&path), buf_cstr(&doc), doc.len, &e) != 0) {
            fprintf(stderr, "%s: %s\n", buf_cstr(&path), e.msg);
            rc = 1;
        }
    }
    printf("wrote %zu cases to %s (seed %u)\n", o->cases, o->write_dir, o->seed);
    buf_free(&doc);
    buf_free(&path);
    gen_free(g);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o = {100000, 1, "bench-archive.db", EXAMPLES_DIR, NULL, false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--cases") == 0 && v)
            o.cases = strtoull(v, NULL, 10), i++;
        else if (strcmp(a, "--seed") == 0 && v)
            o.seed = (unsigned)strtoul(v, NULL, 10), i++;
        else if (strcmp(a, "--db") == 0 && v)
            o.db = v, i++;
        else if (strcmp(a, "--examples") == 0 && v)
            o.examples = v, i++;
        else if (strcmp(a, "--write") == 0 && v)
            o.write_dir = v, i++;
        else if (strcmp(a, "--one-by-one") == 0)
            o.one_by_one = true;
        else {
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if (o.write_dir)
        return write_corpus(&o);

    /* 1. The archive: store_import of every document, one transaction each. */
    struct gen *g = gen_new(o.examples, o.seed);
    if (!g) {
        fprintf(stderr, "bench_archive: no examples in %s\n", o.examples);
        return 1;
    }
    remove_db(o.db);
    struct store *s = NULL;
    struct err e = {0};
    if (store_open(o.db, STORE_CREATE, &s, &e) != 0) {
        fprintf(stderr, "%s: %s\n", o.db, e.msg);
        return 1;
    }
    struct buf doc = BUF_INIT, name = BUF_INIT;
    size_t subitems = 0, bytes = 0, followups = 0;
    double t_store = 0, t_parse = 0, c_store = 0;
    /* As `referat import` of many files: each case its own transaction, the search index
     * brought up to date per batch (store_bulk_begin); the batches' time is counted. */
    if (!o.one_by_one && store_bulk_begin(s, &e) != 0) {
        fprintf(stderr, "%s: %s\n", o.db, e.msg);
        return 1;
    }
    for (size_t i = 0; i < o.cases; i++) {
        size_t n;
        double t0 = now();
        struct case_doc *c = next_doc(g, &doc, &n);
        double t1 = now(), c1 = cpu();
        buf_truncate(&name, 0);
        buf_printf(&name, "gen/%06zu.md", i);
        struct store_doc d = {buf_cstr(&name), "md", buf_cstr(&doc), doc.len, c};
        if (store_import(s, &d, NULL, NULL, NULL, &e) != 0) {
            fprintf(stderr, "import %zu: %s\n", i, e.msg);
            return 1;
        }
        double t2 = now();
        t_parse += t1 - t0;
        t_store += t2 - t1;
        c_store += cpu() - c1;
        subitems += c->nsubitems;
        bytes += doc.len;
        for (size_t k = 0; k < c->ndecisions; k++)
            for (size_t j = 0; j < c->decisions[k].nentries; j++)
                followups += c->decisions[k].entries[j].nfollowups;
        case_free(c);
        if (o.cases >= 20 && i % (o.cases / 20) == 0)
            fprintf(stderr, "\r  importing %zu%%", i * 100 / o.cases), fflush(stderr);
    }
    {
        double t1 = now(), c1 = cpu();
        if (store_bulk_end(s, &e) != 0) {
            fprintf(stderr, "import: %s\n", e.msg);
            return 1;
        }
        t_store += now() - t1;
        c_store += cpu() - c1;
    }
    double t0 = now();
    int orc = store_optimize(s, &e);
    double t_opt = now() - t0;
    if (orc != 0)
        fprintf(stderr, "optimize: %s\n", e.msg);
    struct store_stats st = {0};
    store_stats(s, &st, &e);
    store_close(s);
    gen_free(g);
    fprintf(stderr, "\r\033[K");

    /* 2. The reference: the same documents again (same seed), the same rows, plain. */
    char plain_path[4200];
    snprintf(plain_path, sizeof plain_path, "%s.plain", o.db);
    remove_db(plain_path);
    struct plain p = {0};
    sqlite3_open(plain_path, &p.db);
    sqlite3_exec(p.db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", NULL, NULL,
                 NULL);
    sqlite3_exec(p.db, plain_schema, NULL, NULL, NULL);
    for (int k = 0; k < P_COUNT; k++)
        sqlite3_prepare_v2(p.db, plain_sql[k], -1, &p.st[k], NULL);
    g = gen_new(o.examples, o.seed);
    double t_plain = 0, c_plain = 0;
    for (size_t i = 0; i < o.cases; i++) {
        size_t n;
        struct case_doc *c = next_doc(g, &doc, &n);
        char hash[65], stamp[21];
        buf_truncate(&name, 0);
        buf_printf(&name, "gen/%06zu.md", i);
        char *key = store_key(buf_cstr(&name));
        store_hash(buf_cstr(&doc), doc.len, hash);
        store_now(stamp);
        double a = now(), ca = cpu();
        plain_insert(&p, key, buf_cstr(&name), hash, stamp, buf_cstr(&doc), doc.len, c);
        t_plain += now() - a;
        c_plain += cpu() - ca;
        free(key);
        case_free(c);
    }
    for (int k = 0; k < P_COUNT; k++)
        sqlite3_finalize(p.st[k]);
    sqlite3_close(p.db);
    gen_free(g);
    remove_db(plain_path);

    double store_rate = (double)o.cases / t_store, plain_rate = (double)o.cases / t_plain;
    struct stat sb;
    double mb = stat(o.db, &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
    printf("archive import: %zu cases, %zu sub-items, %zu follow-ups, %.1f MB of Markdown "
           "(seed %u)\n", o.cases, subitems, followups, (double)bytes / 1e6, o.seed);
    printf("  parse (not counted)     %9.0f cases/s  %7.2f s\n", (double)o.cases / t_parse,
           t_parse);
    printf("  store_import            %9.0f cases/s  %7.2f s  (one transaction per case, "
           "search index included%s)\n", store_rate, t_store,
           o.one_by_one ? ", indexed with each case" : ", indexed per batch of 512");
    printf("  plain INSERT, no index  %9.0f cases/s  %7.2f s  (same rows, one transaction "
           "per case)\n", plain_rate, t_plain);
    printf("  ratio store/plain       %9.2f  (plain is %.1fx faster)\n",
           store_rate / plain_rate, plain_rate / store_rate);
    printf("  CPU time: store_import %.2f s, plain %.2f s: cpu ratio store/plain %.2f\n",
           c_store, c_plain, c_plain / c_store);
    printf("  search optimize         %9.2f s\n", t_opt);
    printf("  archive: %zu bodies, %zu meetings, %zu people, %.0f MB at %s\n", st.bodies,
           st.meetings, st.people, mb, o.db);
    printf("  (kept for the search benchmark: ARCHIVE_DB=%s)\n", o.db);
    print_sizes(o.db, bytes);
    buf_free(&doc);
    buf_free(&name);
    return 0;
}
