/* store_sqlite: what the files of the SQLite backend share (the connection, the one way to
 * prepare statements, row collection, transactions, the visibility rule, the ledger). */
#ifndef REFERAT_STORE_SQLITE_H
#define REFERAT_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"
#include "store_internal.h"
#include "../util/buf.h"

/* A prepared statement kept for the connection's life, found by the address of its SQL. */
struct cached {
    const char *sql;
    sqlite3_stmt *st;
};

struct store {
    sqlite3 *db;
    char *path;
    int flags;
    int busy_ms;
    /* Preparing costs more than running most of the store's queries, so each statement is
     * prepared once per connection, in an open-addressing table keyed by its SQL's address
     * (cap is a power of two, at most half full). A struct store is used by one thread at a
     * time (store.h), which is what makes keeping them here safe. */
    struct cached *cache;
    size_t ncache, capcache;
    /* Commits through this connection: PRAGMA data_version counts only other ones. */
    int64_t own_commits;
    bool immutable; /* opened as immutable: read-only media, no locks (reopen_immutable) */
    /* ---- issue 11, archive: bulk import ---- */
    struct bulk *bulk; /* store_bulk_begin's cases awaiting the search index (sqlite_import.c) */
    struct count_memos *counts; /* issue 11, archive routes: sqlite_count.c */
};

/* ---- the visibility rule, once ----
 *
 * Every query that could return closed or unpublished content binds the reader as a pointer
 * parameter (bind_reader) and filters with these. reader_all(R) is true for the archive's own
 * tools; reader_has(R, body) is reader_sees_body(). A case belongs to the bodies in case_body
 * (its owner, the meetings that have it on their agenda or decided it; kept by the write
 * paths). NULL (the public) sees only what is published, and a closed case's title. */
#define SEES_CASE(c, R)                                                                      \
    "(reader_all(" R ") OR EXISTS (SELECT 1 FROM case_body cb WHERE cb.case_id = " c ".id "   \
    "AND reader_has(" R ", cb.body_id)))"
/* The reader may read all of the case (issue 9, publication: and its level is in full). */
#define CASE_FULL(c, R)                                                                      \
    "((" c ".published AND " c ".public AND coalesce(" c ".publication, 'fuld') = 'fuld') "  \
    "OR " SEES_CASE(c, R) ")"
/* The reader may know the case exists (a closed published case shows its title; issue 9,
 * publication: one of level "ingen" is not public at all). */
#define CASE_LISTED(c, R)                                                                    \
    "((" c ".published AND coalesce(" c ".publication, '') <> 'ingen') OR " SEES_CASE(c, R) ")"
/* The columns of a listed case (struct store_case_ref, read by collect_refs) of case c and
 * its body b; ?9 is the reader. */
#define CASE_REF_FIELDS                                                                      \
    "c.id, c.key, " CASE_TITLE("c", "?9") ", c.public, " CASE_FULL("c", "?9") ", "         \
    SEES_CASE("c", "?9") ", "                                                                \
    "c.published, c.state, b.code, c.date, c.version, "                                     \
    "CASE WHEN " CASE_FULL("c", "?9") " THEN (SELECT group_concat(title, ' · ') FROM "       \
    "(SELECT title FROM subitem WHERE case_id = c.id AND title <> '' ORDER BY pos LIMIT 3)) " \
    "END, CASE WHEN " CASE_FULL("c", "?9") " THEN (SELECT count(*) FROM subitem "           \
    "WHERE case_id = c.id) ELSE 0 END "

/* The title the reader may read: a closed case's public title (its title when it has none)
 * to those who do not see its closed content. */
#define CASE_TITLE(c, R)                                                                     \
    "(CASE WHEN " c ".public OR " SEES_CASE(c, R) " THEN " c ".title "                       \
    "ELSE coalesce(" c ".public_title, " c ".title) END)"
/* A meeting is listed once its agenda is released, or to those who hold roles on its body. */
#define MEETING_LISTED(m, R) "(" m ".published OR reader_has(" R ", " m ".body_id))"

/* ---- issue 9, publication: a case's minutes are public only once published ----
 * A case written in referat shows the public its decisions (and their follow-ups) only once
 * its meeting (the latest whose agenda holds it, as store_case_meeting) is offentliggjort;
 * imported minutes were published already. */
#define MINUTES_PUBLIC(c)                                                                    \
    "(NOT " c ".authored OR coalesce((SELECT m.state FROM agenda a JOIN meeting m "           \
    "ON m.id = a.meeting_id WHERE a.case_id = " c ".id ORDER BY m.date DESC, m.id DESC "     \
    "LIMIT 1), '') = 'offentliggjort')"
/* The reader may read the case's follow-ups (part of its minutes). */
#define FOLLOWUP_FULL(c, R) "(" CASE_FULL(c, R) " AND (" MINUTES_PUBLIC(c) " OR "           \
    SEES_CASE(c, R) "))"
/* ---- end issue 9, publication ---- */

/* Binds r (NULL: the public) to parameter i for the functions above. */
void bind_reader(sqlite3_stmt *st, int i, const struct reader *r);
/* Registers reader_all() and reader_has() on a connection. */
int register_reader_functions(sqlite3 *db);
/* The mask of every role: what the archive's own tools may do. */
#define ROLE_ALL (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER | ROLE_GODKENDER | ROLE_MEDLEM | ROLE_ADMIN)
/* The roles an actor holds on body_id: ROLE_ALL for the archive's tools (a reader with
 * `all`), none for a NULL actor or one without a reader; ROLE_ADMIN added for an
 * administrator. */
int actor_roles(const struct store_actor *a, int64_t body_id);

/* ---- errors ---- */

/* Fills e from the connection's last error (or rc), saying in words which of the failures a
 * user can act on this is. Returns ERR_DB. */
int dberr(struct store *s, struct err *e, int rc, const char *what);
/* Fills e for an object that does not exist; returns ERR_NOTFOUND. */
int notfound(struct store *s, struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Fills e with code and message (file = the archive); returns code. */
int fail(struct store *s, struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- statements: the one way to prepare ---- */

/* The connection's statement for sql, prepared on first use. sql must be a string literal
 * (its address is the key; no two call sites that can be active at once may share a text).
 * The statement stays owned by s; the caller hands it back with fin() when done. */
int stmt(struct store *s, const char *sql, sqlite3_stmt **out, struct err *e);
/* A statement that is not kept: SQL built at run time, or run once (migrations, checks).
 * The caller finalizes it. */
int adhoc(struct store *s, const char *sql, sqlite3_stmt **st, struct err *e);
/* Makes a kept statement ready for its next use: no open read, no borrowed bindings. */
void fin(sqlite3_stmt *st);

void bind_str(sqlite3_stmt *st, int i, const char *v);
void bind_id(sqlite3_stmt *st, int i, int64_t v); /* 0 binds NULL */
/* Binds ?a and ?b to a page's limit and offset. */
void bind_page(sqlite3_stmt *st, int a, int b, const struct store_page *pg);
char *col_str(sqlite3_stmt *st, int i);
/* A heap copy of a blob column, NUL-terminated so that text can be read as a string. */
char *col_bytes(sqlite3_stmt *st, int i, size_t *len);
/* ---- issue 11, storage: packed bytes (sqlite_pack.c) ---- */
/* The original bytes of a row's columns ibytes, ipacked and isize; NULL when damaged. */
char *col_source(sqlite3_stmt *st, int ibytes, int ipacked, int isize, size_t *len);
/* unpack(bytes, packed, size) in SQL. */
int register_pack_functions(sqlite3 *db);
/* Schema step 12: table's (source, meeting_source) unpacked rows packed. */
int pack_table(struct store *s, const char *table, struct err *e);
/* ---- end issue 11, storage ---- */

/* Steps st and reports a failure other than the end of rows. */
int next_row(struct store *s, sqlite3_stmt *st, bool *row, struct err *e, const char *what);
/* Steps st to its first row, which the caller then reads; without one, ERR_NOTFOUND with the
 * message formatted from fmt. Either way the caller still hands st back with fin(). */
int first_row(struct store *s, sqlite3_stmt *st, struct err *e, const char *what,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Steps a statement that returns no rows; hands it back. */
int run(struct store *s, sqlite3_stmt *st, struct err *e, const char *what);
/* Steps a statement expected to return at most one integer; *found tells whether it did. */
int one_int(struct store *s, sqlite3_stmt *st, int64_t *v, bool *found, struct err *e,
            const char *what);
/* Runs an INSERT; *id receives the id of the row it made. */
int insert(struct store *s, sqlite3_stmt *st, int64_t *id, struct err *e, const char *what);
int exec(struct store *s, const char *sql, struct err *e, const char *what);

/* How the rows of a list query become the elements of the array a list function returns. */
struct rowtype {
    size_t size;      /* of one element */
    const char *what; /* for a failure's message: "listing cases" */
    void (*read)(sqlite3_stmt *st, void *elem);
    void (*free)(void *v, size_t n); /* the elements read so far, and v */
};
/* Reads every row of st into a new array and hands st back. *v and *n are set only on
 * success (NULL and 0 for no rows). */
int collect(struct store *s, sqlite3_stmt *st, const struct rowtype *t, void **v, size_t *n,
            struct err *e);
/* Runs a count(*) statement (bound by the caller) into *total when total is not NULL. */
int count_rows(struct store *s, sqlite3_stmt *st, size_t *total, struct err *e);
/* ---- issue 11, archive routes: count_rows for a statement whose reader r is bound; the
 * count is remembered while the archive is unchanged (sqlite_count.c) ---- */
int count_rows_seen(struct store *s, sqlite3_stmt *st, const struct reader *r, size_t *total,
                    struct err *e);
void count_memos_free(struct store *s);

/* Grows an array of elements of `size` bytes to hold at least n + 1, doubling. */
void *grow(void *v, size_t n, size_t *cap, size_t size);

/* ---- transactions ---- */

/* A read snapshot: the several SELECTs of one call see one state of the archive. */
int read_begin(struct store *s, struct err *e);
void read_end(struct store *s);
/* A write: BEGIN IMMEDIATE (writers queue here, not half-way through). */
int write_begin(struct store *s, struct err *e, const char *what);
int write_commit(struct store *s, struct err *e, const char *what);
void rollback(struct store *s);

/* ---- the ledger (sqlite_ledger.c) ---- */

/* Appends an event inside the caller's write transaction; *id (may be NULL) receives its id.
 * detail is a JSON object text or NULL. */
struct event {
    const char *action;
    const char *object; /* "case:12" or NULL */
    int before, after;
    const char *detail;
};
int ledger_append(struct store *s, const struct store_actor *a, const struct event *ev,
                  int64_t *id, struct err *e);
/* ledger_append with ev's detail from JSON: detail (NULL: none) is written compact in its
 * keys' order and released, whatever happens. */
struct json_t;
int ledger_append_json(struct store *s, const struct store_actor *a, struct event ev,
                       struct json_t *detail, struct err *e);

/* ---- shared by the case files ---- */

/* Writes the rows of a case's parts (sub-items, decisions, attachments, layout, route) for
 * case_id, which has none yet (sqlite_import.c). old: an update's earlier follow-ups. */
int put_case(struct store *s, int64_t case_id, const struct case_doc *c,
             struct store_followup_match *old, size_t nold, struct err *e);
/* Deletes a case's parts before put_case writes the new ones, keeping its follow-ups (their
 * entry set NULL) for matching; loads them into *old. */
int clear_case(struct store *s, int64_t case_id, struct store_followup_match **old,
               size_t *nold, struct err *e);
/* ---- issue 10, flat follow-ups ---- */
/* Schema step 10: the follow-ups of each stored decision without entries, read from its
 * case's current source as an import would read them now (010_flat.sql adds where they go).
 * A source no reader takes any more is left as it is. */
int flat_followups_backfill(struct store *s, struct err *e);
/* ---- end issue 10, flat follow-ups ---- */
/* Recomputes which bodies a case belongs to (case_body) from its owner, agenda and
 * decisions. */
int case_bodies_update(struct store *s, int64_t case_id, struct err *e);
/* Re-indexes a case for search from its model. */
int index_case(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e);
/* Rebuilds a case's model from its rows inside the caller's transaction, in full. */
int load_case(struct store *s, int64_t id, struct case_doc **out, struct err *e);
/* Writes the case row (a new one when *case_id is 0, which then receives its id; on an update
 * a NULL key keeps the case's key). */
int case_row_write(struct store *s, int64_t *case_id, const char *key, int version,
                   const struct case_doc *c, struct err *e);
/* Adds version `version` of a case's source, recording who stored it and its event. */
int put_source(struct store *s, int64_t case_id, int version, const char *name,
               const char *format, const char *bytes, size_t len, const char *actor,
               int64_t event_id, struct err *e);
/* The case parts of schema 006 (sqlite_import_meeting.c): a case's own guests, its case
 * numbers and its named sections, written with the other parts (put_case) and read with them
 * (load_case). */
int put_case_parts(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e);
int load_case_parts(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* Invitations (sqlite_invitation.c, issue 8), inside the caller's write transaction: brings
 * table invitation in line with the guests and slots of the case's current meeting (every
 * case of that meeting: one case's sub-items move the slots after them), or of every case on
 * the meeting's agenda. Nothing is pending before the agenda's release; a cancelled meeting
 * cancels everything sent. */
int invitations_sync(struct store *s, int64_t case_id, struct err *e);
int invitations_sync_meeting(struct store *s, int64_t meeting_id, struct err *e);
/* The name the archive's own tools act under: "cli:USER". */
void tools_name(char out[80]);
/* The name an actor is recorded under. */
const char *actor_name(const struct store_actor *a, char buf[80]);
/* The body id of a code, or 0 (not an error) when none has it. */
int body_id_of(struct store *s, const char *code, int64_t *id, struct err *e);

/* ---- the agenda (issue 8): sqlite_agenda.c, and the case save it shares ---- */

/* store_case_save's work inside the caller's write transaction (sqlite_case.c). */
int case_save_in(struct store *s, const struct store_save *sv, const struct store_actor *a,
                 int64_t *case_id, int *version, struct err *e);
/* Puts a case last on a meeting's agenda: on the tillægsdagsorden when the agenda is
 * released, marked late after the body's deadline (agenda.deadline_days) as agenda.late says,
 * or refused (ERR_DENIED) when it says afvist; published when the agenda is. */
int agenda_join(struct store *s, int64_t meeting_id, int64_t case_id, struct err *e);
/* The release guard for one case: when it is on a released agenda, refuses (ERR_DENIED,
 * naming the case and the place) what its public view holds of CPR numbers or the body's
 * template help texts. */
int release_guard_case(struct store *s, int64_t case_id, struct err *e);
/* After a case's workflow step: a case put on a released agenda (paa_dagsorden) is published
 * there, on its tillægsdagsorden, once it passes the release guard. */
int agenda_case_step(struct store *s, int64_t case_id, struct err *e);
/* A new meeting's recurring items of its body (body_item 'recurring'), each a case on its
 * agenda, saved with the meeting. */
int meeting_recurring(struct store *s, int64_t meeting_id, int64_t body_id,
                      const struct store_actor *a, struct err *e);
/* The release (release true: every case on the agenda passes the guard, then it and the
 * agenda are published) or its recall, inside the meeting's transition. */
int agenda_release(struct store *s, int64_t meeting_id, bool release, struct err *e);

/* ---- issue 11, archive: bulk import (sqlite_import.c) ---- */
/* Indexes the cases an interrupted bulk import left in search_pending (a writer's open). */
int bulk_recover(struct store *s, struct err *e);
/* Drops a bulk run left open (store_close): its cases stay pending for the next open. */
void bulk_drop(struct store *s);

/* ---- issue 11, paging (sqlite_paging.c) ---- */
/* A list query's count, bounded: SELECT count(*) over at most STORE_LIST_DEPTH + 1 rows of
 * the FROM ... WHERE given, so a count never walks a whole large table. */
#define COUNT_CAPPED(from_where) \
    "SELECT count(*) FROM (SELECT 1 " from_where " LIMIT 10001)"
/* bind_page within the depth cap: a window past STORE_LIST_DEPTH is empty (limit 0). */
void bind_page_capped(sqlite3_stmt *st, int a, int b, const struct store_page *pg);
/* Schema step 8's list indexes (CREATE INDEX IF NOT EXISTS: safe to run again). */
int paging_indexes(struct store *s, struct err *e);
/* An archive at schema 8 built before the list indexes existed gets them (a writable open,
 * once); the list queries name them. */
int paging_repair(struct store *s, struct err *e);
/* ---- issue 11, search ---- */
/* Schema step 8's search tables (sqlite_search.c). */
int search_migrate_v8(struct store *s, struct err *e);

/* ---- issue 10, followups: a follow-up row as store_followups reads it (sqlite_followup.c),
 * for the lists of sqlite_followup_state.c ---- */
extern const struct rowtype followup_rows;
/* ---- end issue 10, followups ---- */

/* issue 10, followups (sqlite_followup_state.c, sqlite_remind.c): who owns follow-up person `pid` among the accounts: account `A` when the person is linked
 * to it or to a unit A is a member of; while the person has no link, when its name is A's
 * display name or the name of a unit A is a member of (docs/access.md). */
#define FOLLOWUP_OWNS(pid, A)                                                                         \
    "(EXISTS (SELECT 1 FROM person_link pl WHERE pl.person_id = " pid " AND (pl.account_id = " \
    A " OR pl.unit_id IN (SELECT um.unit_id FROM unit_member um WHERE um.account_id = " A    \
    "))) OR (NOT EXISTS (SELECT 1 FROM person_link pl WHERE pl.person_id = " pid ") AND "     \
    "EXISTS (SELECT 1 FROM person pp WHERE pp.id = " pid " AND (EXISTS (SELECT 1 FROM "       \
    "account ac WHERE ac.id = " A " AND ac.name = pp.name COLLATE NOCASE) OR EXISTS (SELECT 1 " \
    "FROM unit u JOIN unit_member um ON um.unit_id = u.id WHERE um.account_id = " A           \
    " AND u.name = pp.name)))))"

#endif
