/* store: the archive's interface (cases, meetings, people, follow-ups, sources), one backend
 * per file behind it (store_sqlite.c now; a PostgreSQL backend can follow). */
#ifndef REFERAT_STORE_H
#define REFERAT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/case.h"
#include "../util/err.h"

/*
 * Conventions for every function below:
 * - Fallible functions return 0 (ERR_OK) or a negative ERR_* code from util/err.h and fill the
 *   caller-owned struct err with a message that names the database and never quotes closed
 *   text. ERR_DB covers every database failure (missing, read-only, locked, corrupt, full,
 *   I/O): the message says which. ERR_NOTFOUND: no such case, version or follow-up.
 *   ERR_CLOSED: closed content was asked for with AUDIENCE_PUBLIC.
 * - Out-parameters are set only on success. Everything returned through them is owned by the
 *   caller and released with the matching *_free (each accepts NULL / n == 0). Strings inside
 *   returned structs are heap copies, NULL where the archive has nothing.
 * - Functions that take an enum audience never return closed content to AUDIENCE_PUBLIC: a
 *   closed case appears with its id, title and public == false only; its follow-ups, guests
 *   and sources do not appear at all.
 * - Dates are ISO 8601: "2023-12-20"; times of changes are UTC "2024-01-05T10:22:31Z".
 * - A struct store is used by one thread at a time. Several processes may open the same
 *   archive; writers wait for each other up to the busy timeout, then fail with ERR_DB.
 */

struct store;

enum {
    STORE_READONLY = 1 << 0,  /* open for reading only; never creates nor migrates */
    STORE_CREATE = 1 << 1,    /* create the archive when it does not exist */
    STORE_NOMIGRATE = 1 << 2, /* do not upgrade an old schema on open (for `db migrate`) */
};

/* Opens the archive at path (a file name for SQLite). Without STORE_READONLY the schema is
 * created or upgraded to store_schema_version() in one transaction per step before this
 * returns. A read-only open of an archive whose schema is older or newer than this program's
 * fails with ERR_DB and says what to run. *out is set only on success. */
int store_open(const char *path, int flags, struct store **out, struct err *e);
/* Makes everything committed durable (checkpoint + fsync), then frees s. NULL does nothing. */
void store_close(struct store *s);
/* How long a writer waits for another process's lock before failing; default 5000 ms. */
void store_set_busy_timeout(struct store *s, int ms);

/* Schema: the version this program writes and the archive's current one. */
int store_schema_version(void);
int store_version(struct store *s, int *version, struct err *e);
/* Upgrades the schema step by step up to `to` (0: the newest). Each step is one transaction,
 * so an interrupted migration leaves the archive at the last completed version. */
int store_migrate(struct store *s, int to, struct err *e);

/* ---- import ---- */

/* One source document. The case it holds is identified by its key: the file name of name
 * without directories and without its last extension ("dir/2023-12-20-punkter.md" ->
 * "2023-12-20-punkter"), so a document's Markdown and text exports are one case. */
struct store_doc {
    const char *name;   /* as given on the command line; stored */
    const char *format; /* the reader's name: "md", "txt", "json" */
    const char *bytes;  /* the exact source bytes (borrowed) */
    size_t len;
    const struct case_doc *model; /* what fmt_read made of bytes, layout included (borrowed) */
};

enum store_outcome {
    STORE_IMPORTED = 1, /* a new case */
    STORE_UNCHANGED,    /* these bytes are already the latest source of this format for the
                           case: nothing was written */
    STORE_UPDATED,      /* the case was replaced; the earlier version stays in its history */
};

/* Imports one document in one transaction: on any failure nothing of it is written. On an
 * update, follow-ups whose owner, role, text and due date are unchanged keep their id and
 * status; the others are replaced. outcome and case_id may be NULL. */
int store_import(struct store *s, const struct store_doc *d, enum store_outcome *outcome,
                 int64_t *case_id, struct err *e);

/* Stores the file of attachment `number` of a case (replacing an earlier one). */
int store_attachment_put(struct store *s, int64_t case_id, unsigned number, const char *filename,
                         const char *mime, const void *bytes, size_t len, struct err *e);
/* The stored file of an attachment; ERR_NOTFOUND when none was stored, ERR_CLOSED for a
 * closed case or attachment with AUDIENCE_PUBLIC. */
struct store_file {
    char *filename;
    char *mime;
    char *bytes;
    size_t len;
};
int store_attachment_get(struct store *s, int64_t case_id, unsigned number, enum audience a,
                         struct store_file *out, struct err *e);
void store_file_fini(struct store_file *f);

/* ---- cases ---- */

/* A case as listed. body is the code of the body that first treated it (or first in its
 * route), date the date of its first decision (NULL for an agenda not yet decided). */
struct store_case_ref {
    int64_t id;
    char *key;
    char *title;
    bool public;
    char *body;
    char *date;
};
void store_case_refs_free(struct store_case_ref *v, size_t n);

/* Finds a case by "42" (its id) or by its key. */
int store_case_lookup(struct store *s, const char *id_or_key, int64_t *id, struct err *e);
/* The current model of a case, as case_view(model, a) gives it: for AUDIENCE_STAFF with the
 * layout of the source it was read from (so fmt_write gives those bytes back). */
int store_case_get(struct store *s, int64_t id, enum audience a, struct case_doc **out,
                   struct err *e);
int store_case_ref_get(struct store *s, int64_t id, enum audience a, struct store_case_ref *out,
                       struct err *e);
/* All cases, newest first (by first decision date, then id), offset/limit paging (limit 0:
 * all); total (may be NULL) receives the count before paging. */
int store_cases(struct store *s, enum audience a, size_t offset, size_t limit,
                struct store_case_ref **v, size_t *n, size_t *total, struct err *e);

/* The stored source of a case: version 0 is the current one. ERR_CLOSED for a closed case
 * with AUDIENCE_PUBLIC (the source holds the closed text). */
struct store_source {
    int64_t id;
    int version;
    char *name;
    char *format;
    char *hash; /* hex BLAKE2b-256 of the bytes */
    char *imported_at;
    char *bytes;
    size_t len;
};
int store_source_get(struct store *s, int64_t case_id, int version, enum audience a,
                     struct store_source *out, struct err *e);
void store_source_fini(struct store_source *src);

/* The history of a case, oldest first; the last one is current. */
struct store_version {
    int version;
    char *imported_at;
    char *name;   /* source name */
    char *format; /* source format */
    char *hash;
    size_t size;
};
int store_versions(struct store *s, int64_t case_id, enum audience a, struct store_version **v,
                   size_t *n, struct err *e);
void store_versions_free(struct store_version *v, size_t n);
/* The model of an earlier version (0: current), as case_view(model, a) gives it. */
int store_case_get_version(struct store *s, int64_t case_id, int version, enum audience a,
                           struct case_doc **out, struct err *e);

/* ---- bodies and meetings ---- */

/* A body (Direktionen, Økonomiudvalget, ...). code is the short form used in routes ("DIR",
 * "ØK"); name is NULL while only the code has been seen. */
struct store_body {
    int64_t id;
    char *code;
    char *name;
    size_t nmeetings;
};
int store_bodies(struct store *s, struct store_body **v, size_t *n, struct err *e);
void store_bodies_free(struct store_body *v, size_t n);

struct store_meeting {
    int64_t id;
    char *body; /* code */
    char *body_name;
    char *date;
    size_t ncases; /* cases treated there (closed ones too: the public sees their titles) */
};
/* Meetings of a body (code or name), optionally of one year (0: all), newest first. */
int store_meetings(struct store *s, const char *body, int year, enum audience a,
                   struct store_meeting **v, size_t *n, struct err *e);
int store_meeting_get(struct store *s, int64_t meeting_id, enum audience a,
                      struct store_meeting *out, struct err *e);
void store_meeting_fini(struct store_meeting *m);
void store_meetings_free(struct store_meeting *v, size_t n);
/* The cases treated at a meeting, in order of import. Closed ones appear as refs with
 * public == false for AUDIENCE_PUBLIC (title only). */
int store_meeting_cases(struct store *s, int64_t meeting_id, enum audience a,
                        struct store_case_ref **v, size_t *n, struct err *e);

/* ---- follow-ups ---- */

enum store_status { STORE_ANY = 0, STORE_OPEN, STORE_DONE };

struct store_followup_filter {
    const char *owner;   /* exact owner name, or NULL */
    enum store_status status;
    const char *overdue_on; /* ISO date: only open ones due before it; NULL: no such filter */
    int64_t case_id;        /* 0: all cases */
};

struct store_followup {
    int64_t id;
    int64_t case_id;
    char *case_title;
    char *body;         /* code of the deciding body */
    char *meeting_date; /* date of the decision it came from */
    char *entry_title;  /* the decision entry (sub-item) it came from */
    char *owner;
    char *role;
    char *text;
    char *due;
    bool done;
    char *done_by;
    char *done_at;
};
/* Ordered by due date (those without one last), then id. Public: open cases only. */
int store_followups(struct store *s, const struct store_followup_filter *f, enum audience a,
                    struct store_followup **v, size_t *n, struct err *e);
void store_followups_free(struct store_followup *v, size_t n);
/* Marks a follow-up done by `by` (may be NULL) at `when` (NULL: now). Marking one that is
 * already done changes nothing and returns 0 with *was_done (may be NULL) set to true. */
int store_followup_done(struct store *s, int64_t id, const char *by, const char *when,
                        bool *was_done, struct err *e);
/* Sets a done follow-up back to open. */
int store_followup_reopen(struct store *s, int64_t id, struct err *e);

/* ---- people ---- */

/* A person or unit seen as a guest or follow-up owner, in what the audience may see (a person
 * seen only in closed cases is not listed for the public). role is the latest one seen there;
 * counts likewise. Ordered by name. */
struct store_person {
    int64_t id;
    char *name;
    char *role;
    size_t nguest;  /* sub-items attended */
    size_t nowned;  /* follow-ups owned */
    size_t nopen;   /* of which open */
};
int store_people(struct store *s, enum audience a, struct store_person **v, size_t *n,
                 struct err *e);
void store_people_free(struct store_person *v, size_t n);
/* Where a person was a guest: the case, its sub-item, the role then. */
struct store_appearance {
    int64_t case_id;
    char *case_title;
    char *subitem_title;
    char *role;
    char *body;
    char *date;
};
int store_person_lookup(struct store *s, const char *name, int64_t *id, struct err *e);
int store_person_appearances(struct store *s, int64_t person_id, enum audience a,
                             struct store_appearance **v, size_t *n, struct err *e);
void store_appearances_free(struct store_appearance *v, size_t n);
/* What a person owns: use store_followups with filter.owner = the person's name. */

/* ---- search (implemented by src/search on SQLite) ---- */

struct search_params;
struct search_result;
/* Runs a search_query on this archive (see search/search.h for params and results). */
int store_search(struct store *s, const struct search_params *p, struct search_result *r,
                 struct err *e);

/* ---- maintenance ---- */

/* Checks the archive: the backend's own integrity and foreign-key checks, the full-text
 * index, and the store's invariants (every case has a current source and version). Problems
 * are appended to *problems (one message each, owned by the caller, free with
 * store_problems_free); returns 0 when the check ran, whatever it found. */
int store_check(struct store *s, char ***problems, size_t *nproblems, struct err *e);
void store_problems_free(char **v, size_t n);

/* Compacts the full-text index (worth it after a large import: queries get faster). */
int store_optimize(struct store *s, struct err *e);

/* Counts for summaries and tests. */
struct store_stats {
    size_t bodies, meetings, cases, subitems, decisions, entries, attachments, people,
        followups, sources, versions;
};
int store_stats(struct store *s, struct store_stats *st, struct err *e);

/* The SQLite connection behind s, or NULL for another backend (benchmarks and tests). */
struct sqlite3;
struct sqlite3 *store_sqlite_db(struct store *s);

#endif
