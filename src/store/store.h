/* store: the archive's interface (cases, meetings, people, follow-ups, accounts, the ledger),
 * one backend behind it (store_sqlite.c and its sqlite_*.c parts; PostgreSQL can follow). */
#ifndef REFERAT_STORE_H
#define REFERAT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../model/access.h"
#include "../model/case.h"
#include "../util/err.h"

/*
 * Conventions for every function below:
 * - Fallible functions return 0 (ERR_OK) or a negative ERR_* code from util/err.h and fill the
 *   caller-owned struct err with a message that names the database and never quotes closed
 *   text, a password or a token. ERR_DB covers every database failure (missing, read-only,
 *   locked, corrupt, full, I/O): the message says which. ERR_NOTFOUND: no such object (and,
 *   for a reader who may not see it, an object that exists but is not published). ERR_CLOSED:
 *   closed content was asked for by a reader who may not see it. ERR_CONFLICT: a save from a
 *   version that is no longer current, or a name that is taken. ERR_DENIED: the actor's roles
 *   or the object's state do not allow it (the message says which).
 * - Out-parameters are set only on success. Everything returned through them is owned by the
 *   caller and released with the matching *_free / *_fini (each accepts NULL / n == 0).
 *   Strings inside returned structs are heap copies, NULL where the archive has nothing.
 * - Who reads: every read that could hold closed or unpublished content takes a
 *   `const struct reader *` (model/access.h; NULL is the public). A case's closed content is
 *   returned only to a reader who sees one of the case's bodies (reader_sees_body): the body
 *   that owns it, and the bodies of the meetings that have it on their agenda or decided it.
 *   Everyone else gets case_view(c, AUDIENCE_PUBLIC) of a published case (a closed one is its
 *   title), and nothing at all of an unpublished (authored, not yet released) one.
 * - Who writes: every write takes a `const struct store_actor *` and is one transaction
 *   together with its ledger event; on any failure nothing is written. Writes that need a
 *   role check it against the actor's reader: a NULL actor, or one without a reader, has
 *   none (so a caller that forgets to say who acts can do nothing); the archive's own tools
 *   act with a reader that is `all`. The ledger records a NULL actor as "cli:$USER".
 * - Lists take a `const struct store_page *` (NULL: the first STORE_PAGE_DEFAULT) and never
 *   return more than STORE_PAGE_MAX rows; `total` (may be NULL) receives the count before
 *   paging. Paging is done in SQL: no call loads a whole table.
 * - Dates are ISO 8601: "2023-12-20"; times of changes are UTC "2024-01-05T10:22:31Z", taken
 *   from util/clock.h (a test can set it).
 * - A struct store is used by one thread at a time. Several processes may open the same
 *   archive; writers wait for each other up to the busy timeout, then fail with ERR_DB.
 */

struct store;

enum {
    STORE_READONLY = 1 << 0,  /* open for reading only; never creates nor migrates */
    STORE_CREATE = 1 << 1,    /* create the archive when it does not exist */
    STORE_NOMIGRATE = 1 << 2, /* do not upgrade an old schema on open (for `db migrate`) */
    STORE_NOWAL = 1 << 3,     /* keep the file's journal mode (checking a backup copy, which
                                 stays one file) instead of switching it to WAL */
};

enum { STORE_PAGE_DEFAULT = 50, STORE_PAGE_MAX = 1000 };

/* A window of a list: rows offset .. offset + limit - 1 (limit 0: STORE_PAGE_DEFAULT;
 * capped at STORE_PAGE_MAX). */
struct store_page {
    size_t offset;
    size_t limit;
};

/* Who makes a change, as the ledger records it. */
struct store_actor {
    int64_t account_id;          /* 0: the archive's own tools (a command on the server) */
    const char *name;            /* the login, or "cli:USER" for a command */
    const char *client;          /* the client's address (logins), or NULL */
    const struct reader *reader; /* the actor's roles; NULL counts as the public */
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
/* A number that changes whenever the archive changes, through this connection or another
 * process; -1 when it cannot be read. (The web's page cache is flushed when it changes.) */
int64_t store_data_version(struct store *s);
/* A consistent copy of the archive at path (which must not exist) while others keep
 * reading and writing: SQLite's online backup, then the copy's integrity checked. */
int store_backup(struct store *s, const char *path, struct err *e);

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

/* Imports one published document in one transaction with its ledger event: on any failure
 * nothing of it is written. On an update, follow-ups whose owner, role, text and due date
 * are unchanged keep their id and status; the others are replaced. A key that belongs to a
 * case written in referat (not imported) is refused with ERR_CONFLICT. outcome and case_id
 * may be NULL. Imports are the archive's tools' business and check no role; actor NULL is
 * recorded as "cli:$USER". */
int store_import(struct store *s, const struct store_doc *d, const struct store_actor *actor,
                 enum store_outcome *outcome, int64_t *case_id, struct err *e);

/* One whole-meeting document (issue 12, format/format.h fmt_read_meeting): the meeting with
 * its attendance and one case per item. Its key is the document's (as store_doc's); each
 * item's case has the key "<key>-pkt-<number>". The document's bytes are the meeting's source
 * (store_meeting_source_get); each case's own source is its model as JSON. */
struct meeting_doc;
struct warnings;
struct store_meeting_doc {
    const char *name;   /* as given on the command line; stored */
    const char *format; /* the reader's name: "meeting-html", "meeting-pdf", "meeting-txt" */
    const char *bytes;  /* the exact source bytes (borrowed) */
    size_t len;
    const struct meeting_doc *model; /* borrowed */
    /* A lenient read's warnings (borrowed; NULL or none for a strict one): every case of
     * the document is then marked "læst med forbehold" with them, for a secretary to review
     * (store_case_caveats, store_case_caveats_clear). */
    const struct warnings *caveats;
};
/* Imports a meeting document in one transaction with its ledger events (a "case.import" per
 * item, a "meeting.import"); on any failure nothing of it is written. STORE_UNCHANGED when
 * these bytes are the document's latest source. ERR_USAGE when the model has no board or
 * date; ERR_CONFLICT for a meeting or an item case written in referat. */
int store_import_meeting(struct store *s, const struct store_meeting_doc *d,
                         const struct store_actor *actor, enum store_outcome *outcome,
                         int64_t *meeting_id, struct err *e);
/* The stored bytes of a meeting's document (version 0: the latest). ERR_CLOSED unless the
 * reader sees the meeting's body or every item of the meeting is open and published. */
struct store_source;
int store_meeting_source_get(struct store *s, int64_t meeting_id, int version,
                             const struct reader *r, struct store_source *out, struct err *e);
/* The reservations of a case read with `import --lenient` ("line:col: message"), for a reader
 * who sees one of its bodies (none otherwise); free with store_problems_free. A case with any
 * is "læst med forbehold". */
int store_case_caveats(struct store *s, int64_t case_id, const struct reader *r,
                       char ***msgs, size_t *n, struct err *e);
/* A secretary has reviewed the case: its reservations are removed (a ledger event; none
 * when it had none). Needs the role sekretær on the case's body. */
int store_case_caveats_clear(struct store *s, int64_t case_id, const struct store_actor *a,
                      struct err *e);

/* Stores the file of attachment `number` of a case (replacing an earlier one). */
int store_attachment_put(struct store *s, int64_t case_id, unsigned number, const char *filename,
                         const char *mime, const void *bytes, size_t len,
                         const struct store_actor *actor, struct err *e);
/* The stored file of an attachment. For a reader who may not see it, every closed
 * attachment, every number the case does not list and every attachment without a file
 * answer alike: ERR_NOTFOUND. */
struct store_file {
    char *filename;
    char *mime;
    char *bytes;
    size_t len;
};
int store_attachment_get(struct store *s, int64_t case_id, unsigned number,
                         const struct reader *r, struct store_file *out, struct err *e);
void store_file_fini(struct store_file *f);

/* ---- cases ---- */

/* A case as listed. body is the code of the body that owns it (for an imported case the one
 * that first treated it), date the date of its first decision or of its meeting (NULL for
 * an imported agenda not yet decided). visible: the reader may read its content (false for
 * a closed case the reader only sees the title of); sees_closed: its closed content too (the
 * reader holds a role on one of its bodies), so staff views and exports are not redacted. */
struct store_case_ref {
    int64_t id;
    char *key;
    char *title;
    bool public;
    bool visible;
    bool sees_closed;
    bool published;
    char *state; /* workflow state name ("kladde"), NULL for an imported case */
    char *body;
    char *date;
    int version;
    /* The first sub-items' titles, joined by " · ", for a reader who sees the content (NULL
     * otherwise, or without sub-items), and how many there are: lists tell the many
     * "Punkter til behandling" apart by them. */
    char *subitems;
    unsigned nsubitems;
};
void store_case_ref_fini(struct store_case_ref *r);
void store_case_refs_free(struct store_case_ref *v, size_t n);

/* Finds a case by "42" (its id) or by its key. */
int store_case_lookup(struct store *s, const char *id_or_key, int64_t *id, struct err *e);
/* The current model of a case as r may see it: in full with the layout of the source it was
 * read from (so fmt_write gives those bytes back) when r sees one of its bodies, else
 * case_view(model, AUDIENCE_PUBLIC), and ERR_NOTFOUND for an unpublished case. */
int store_case_get(struct store *s, int64_t id, const struct reader *r, struct case_doc **out,
                   struct err *e);
int store_case_ref_get(struct store *s, int64_t id, const struct reader *r,
                       struct store_case_ref *out, struct err *e);
/* The roles r holds on any of the case's bodies (ROLE_ALL-like for reader_all); ERR_NOTFOUND
 * when r may not know of the case. */
int store_case_roles(struct store *s, int64_t id, const struct reader *r, int *roles,
                     struct err *e);
/* The cases r may list, newest first (by date, then id). */
int store_cases(struct store *s, const struct reader *r, const struct store_page *pg,
                struct store_case_ref **v, size_t *n, size_t *total, struct err *e);

/* A worklist of cases written in referat for the staff area: in state (NULL: any), created
 * by created_by (0: anyone), on a body where r holds any of roles (0: any role); newest
 * change first. With caveats, instead of the cases written in referat: the cases read with
 * reservations ("læst med forbehold", store_case_caveats) that wait for a secretary. */
struct store_case_filter {
    const char *state;
    int64_t created_by;
    int roles;
    bool caveats;
};
int store_case_list(struct store *s, const struct store_case_filter *f, const struct reader *r,
                    const struct store_page *pg, struct store_case_ref **v, size_t *n,
                    size_t *total, struct err *e);

/* The stored source of a case: version 0 is the current one. ERR_CLOSED when the source
 * holds anything r may not see (a closed case, or a closed attachment's numbers). */
struct store_source {
    int64_t id;
    int version;
    char *name;
    char *format;
    char *hash; /* hex BLAKE2b-256 of the bytes */
    char *imported_at;
    char *actor; /* who stored it (login or "cli:USER") */
    char *bytes;
    size_t len;
};
int store_source_get(struct store *s, int64_t case_id, int version, const struct reader *r,
                     struct store_source *out, struct err *e);
void store_source_fini(struct store_source *src);

/* The history of a case, oldest first; the last one is current. ERR_CLOSED for a reader
 * who may not see the case in full. */
struct store_version {
    int version;
    char *imported_at;
    char *name;   /* source name */
    char *format; /* source format */
    char *hash;
    char *actor;
    size_t size;
};
int store_versions(struct store *s, int64_t case_id, const struct reader *r,
                   struct store_version **v, size_t *n, struct err *e);
void store_versions_free(struct store_version *v, size_t n);
/* The model of an earlier version (0: current), as r may see it. */
int store_case_get_version(struct store *s, int64_t case_id, int version,
                           const struct reader *r, struct case_doc **out, struct err *e);

/* ---- cases written in referat: the one write path ---- */

/* A save of a whole case model. The model is stored as a new version (its JSON as the
 * source, the actor, the time), checked against base_version, the version the editor
 * started from: when the case has changed since, nothing is written and the result is
 * ERR_CONFLICT, with who saved the newer version and when in the message. */
struct store_save {
    int64_t case_id;    /* 0: a new case */
    int base_version;   /* the version the editor started from (ignored for a new case) */
    int64_t meeting_id; /* a new case: the meeting whose agenda it joins, or 0 with body */
    const char *body;   /* a new case without a meeting: the code of the body owning it */
    const struct case_doc *model; /* borrowed; its layout is not stored */
};
/* Saves. The actor needs a role on the case's body that may write it: sekretær, or
 * sagsbehandler for a case they created that is still a draft (kladde); otherwise
 * ERR_DENIED. A case written in referat is unpublished (never in a public list, page, feed or
 * search) until a later step publishes it. *case_id and *version (both may be NULL) receive
 * the saved case and its new version. */
int store_case_save(struct store *s, const struct store_save *sv, const struct store_actor *a,
                    int64_t *case_id, int *version, struct err *e);
/* Moves a case written in referat through its workflow (model/workflow.h, wf_case) by action,
 * checked against its current version like a save; a ledger event. */
int store_case_transition(struct store *s, int64_t case_id, int base_version,
                          const char *action, const char *reason, const struct store_actor *a,
                          struct err *e);

/* ---- bodies and meetings ---- */

/* A body (Direktionen, Økonomiudvalget, ...). code is the short form used in routes ("DIR",
 * "ØK"); name is NULL while only the code has been seen. */
struct store_body {
    int64_t id;
    char *code;
    char *name;
    size_t nmeetings;
};
int store_bodies(struct store *s, const struct store_page *pg, struct store_body **v,
                 size_t *n, size_t *total, struct err *e);
void store_body_fini(struct store_body *b);
void store_bodies_free(struct store_body *v, size_t n);
/* The body with this code (exact) or name. */
int store_body_get(struct store *s, const char *code_or_name, struct store_body *out,
                   struct err *e);
/* Adds a body (administrators); ERR_CONFLICT when the code or the name is taken. */
int store_body_add(struct store *s, const char *code, const char *name,
                   const struct store_actor *a, int64_t *id, struct err *e);

struct store_meeting {
    int64_t id;
    int64_t body_id;
    char *body; /* code */
    char *body_name;
    char *date;
    unsigned number; /* within the body's year; 0 for a meeting known from imported minutes */
    char *start;     /* "09:00", or NULL */
    char *end;
    char *place;
    char *state;         /* workflow state name (wf_meeting) */
    char *cancel_reason; /* NULL unless cancelled */
    int version;
    bool authored; /* created in referat (false: known from imported minutes) */
    size_t ncases; /* cases on its agenda (closed ones too: the public sees their titles) */
    char *released_at; /* when its agenda was released (UTC), or NULL (issue 8) */
};
/* Meetings of a body (code or name; NULL: every body), optionally of one year (0: all),
 * newest first. A reader who may not see a body's unpublished meetings (planned, agenda not
 * released) does not get them. */
int store_meetings(struct store *s, const char *body, int year, const struct reader *r,
                   const struct store_page *pg, struct store_meeting **v, size_t *n,
                   size_t *total, struct err *e);
/* The years in which a body (code or name) met, as r may see its meetings, newest first
 * (at most 500). *years is the caller's (free). */
int store_meeting_years(struct store *s, const char *body, const struct reader *r, int **years,
                        size_t *n, struct err *e);
int store_meeting_get(struct store *s, int64_t meeting_id, const struct reader *r,
                      struct store_meeting *out, struct err *e);
/* The meeting of body (code or name) on date (the first, if it met twice); ERR_NOTFOUND. */
int store_meeting_find(struct store *s, const char *body, const char *date,
                       const struct reader *r, int64_t *id, struct err *e);
void store_meeting_fini(struct store_meeting *m);
void store_meetings_free(struct store_meeting *v, size_t n);
/* The cases on a meeting's agenda, in agenda order (imported cases in order of import).
 * Closed ones appear as refs with visible == false for a reader who may not see them. */
int store_meeting_cases(struct store *s, int64_t meeting_id, const struct reader *r,
                        const struct store_page *pg, struct store_case_ref **v, size_t *n,
                        size_t *total, struct err *e);

/* A meeting written in referat: created, edited (date, times, place) and moved through
 * wf_meeting. Saves are checked against base_version like cases (ERR_CONFLICT). */
struct store_meeting_save {
    int64_t id;       /* 0: a new meeting */
    int base_version; /* ignored for a new meeting */
    const char *body; /* a new meeting: the body's code */
    const char *date;
    const char *start; /* "HH:MM" or NULL */
    const char *end;
    const char *place;
};
/* The actor needs the sekretær role on the body. A new meeting gets the next number of its
 * body's year. */
int store_meeting_save(struct store *s, const struct store_meeting_save *m,
                       const struct store_actor *a, int64_t *id, int *version, struct err *e);
int store_meeting_transition(struct store *s, int64_t meeting_id, int base_version,
                             const char *action, const char *reason,
                             const struct store_actor *a, struct err *e);

/* ---- follow-ups ---- */

enum store_status { STORE_ANY = 0, STORE_OPEN, STORE_DONE };

struct store_followup_filter {
    const char *owner;   /* exact owner name, or NULL */
    enum store_status status;
    const char *overdue_on; /* ISO date: only open ones due before it; NULL: no such filter */
    int64_t case_id;        /* 0: all cases */
    bool by_owner;          /* order by owner first (then as below) */
    /* issue 10, portal follow-ups: a portal page's list, so only cases none of whose bodies
     * has followup.public = 0 (docs/portal.md) */
    bool portal;
    /* issue 10, the agenda's standing item: only follow-ups of this body's decisions (code) */
    const char *body;
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
    char *state; /* issue 10: aaben, i_gang, udfoert, bortfaldet, videresendt */
};
/* Ordered by due date (those without one last), then id. Only follow-ups of cases r may see
 * in full. */
int store_followups(struct store *s, const struct store_followup_filter *f,
                    const struct reader *r, const struct store_page *pg,
                    struct store_followup **v, size_t *n, size_t *total, struct err *e);
void store_followups_free(struct store_followup *v, size_t n);
/* The names of the people and units that own follow-ups r may see, by name. Owned by the
 * caller (store_problems_free frees such a list of strings). */
int store_followup_owners(struct store *s, const struct reader *r, const struct store_page *pg,
                          char ***names, size_t *n, size_t *total, struct err *e);
/* Marks a follow-up done by `by` (may be NULL) at `when` (NULL: now). Marking one that is
 * already done changes nothing and returns 0 with *was_done (may be NULL) set to true. */
int store_followup_done(struct store *s, int64_t id, const char *by, const char *when,
                        const struct store_actor *a, bool *was_done, struct err *e);
/* Sets a done follow-up back to open. */
int store_followup_reopen(struct store *s, int64_t id, const struct store_actor *a,
                          struct err *e);

/* ---- people ---- */

/* A person or unit seen as a guest or follow-up owner, in what r may see (a person seen only
 * in closed cases is not listed for the public). role is the latest one seen there; counts
 * likewise. Ordered by name. */
struct store_person {
    int64_t id;
    char *name;
    char *role;
    size_t nguest;  /* sub-items attended */
    size_t nowned;  /* follow-ups owned */
    size_t nopen;   /* of which open */
};
int store_people(struct store *s, const struct reader *r, const struct store_page *pg,
                 struct store_person **v, size_t *n, size_t *total, struct err *e);
void store_person_fini(struct store_person *p);
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
/* One person as store_people lists them for r; ERR_NOTFOUND when r sees none of their
 * appearances. */
int store_person_get(struct store *s, int64_t id, const struct reader *r,
                     struct store_person *out, struct err *e);
int store_person_appearances(struct store *s, int64_t person_id, const struct reader *r,
                             const struct store_page *pg, struct store_appearance **v,
                             size_t *n, size_t *total, struct err *e);
void store_appearances_free(struct store_appearance *v, size_t n);
/* What a person owns: use store_followups with filter.owner = the person's name. */

/* ---- accounts, roles, sessions, tokens ---- */

#define STORE_PASSWORD_MIN 12 /* characters (code points) */
#define STORE_PASSWORD_MAX 256 /* bytes: longer ones are refused before hashing */
#define STORE_LOGIN_MAX 64

/* A login is 1..STORE_LOGIN_MAX of a-z 0-9 . _ -; a password STORE_PASSWORD_MIN code points
 * or more of valid UTF-8 and at most STORE_PASSWORD_MAX bytes. ERR_USAGE with the field
 * named, never the password. e may be NULL. */
int store_check_login(const char *login, struct err *e);
int store_check_password(const char *password, struct err *e);

struct store_grant {
    int64_t body_id;
    char *body;      /* code */
    char *body_name; /* or NULL while only the code is known */
    int role;   /* one enum role bit */
};

struct store_account {
    int64_t id;
    char *login;
    char *name;
    char *email;
    bool admin;
    bool disabled;
    char *created_at;
    struct store_grant *grants;
    size_t ngrants;
};
void store_account_fini(struct store_account *a);
void store_accounts_free(struct store_account *v, size_t n);

/* Adds an account (administrators and the archive's tools). login: 1..STORE_LOGIN_MAX of
 * a-z 0-9 . _ - (lower case), name non-empty, password STORE_PASSWORD_MIN characters or more
 * (hashed with Argon2id; never stored nor logged in clear). ERR_CONFLICT when the login is
 * taken; ERR_USAGE for a bad field (the message names it). */
int store_account_add(struct store *s, const char *login, const char *name, const char *email,
                      bool admin, const char *password, const struct store_actor *a,
                      int64_t *id, struct err *e);
int store_accounts(struct store *s, const struct store_page *pg, struct store_account **v,
                   size_t *n, size_t *total, struct err *e);
int store_account_get(struct store *s, const char *login, struct store_account *out,
                      struct err *e);
int store_account_get_id(struct store *s, int64_t id, struct store_account *out, struct err *e);
/* Sets a new password; every session of the account ends. */
int store_account_passwd(struct store *s, const char *login, const char *password,
                         const struct store_actor *a, struct err *e);
/* Disables an account: it can no longer log in, its sessions end and its tokens stop
 * working. */
int store_account_disable(struct store *s, const char *login, const struct store_actor *a,
                          struct err *e);
int store_account_enable(struct store *s, const char *login, const struct store_actor *a,
                         struct err *e);
/* Grants or revokes a role on a body (code). Granting one held already, or revoking one not
 * held, changes nothing and returns 0. */
int store_grant(struct store *s, const char *login, const char *body, int role,
                const struct store_actor *a, struct err *e);
int store_revoke(struct store *s, const char *login, const char *body, int role,
                 const struct store_actor *a, struct err *e);

/* The reader an account is: its roles on bodies. Owned by the caller (store_reader_fini). */
struct store_reader {
    struct reader reader;
    struct reader_body *bodies;
    char *login;
    char *name;
};
int store_reader_load(struct store *s, int64_t account_id, struct store_reader *out,
                      struct err *e);
void store_reader_fini(struct store_reader *r);

/* Logging in. Throttling: after `login.failures_per_name` (5) failed attempts within
 * `login.window_seconds` (900) for one login name (whether or not it exists), or
 * `login.failures_per_address` (50: offices share an address behind NAT) for one client
 * address, further attempts fail with ERR_BUSY for `login.lock_seconds` (900); *retry_after
 * says how many are left. (The settings are store_settings.c's.) A wrong login, a wrong
 * password and a disabled account all give ERR_AUTH with the same message, after the same
 * Argon2id work. Every attempt is a ledger event (the login name is recorded only when it
 * exists; a password never). */
/* On success *account_id is the account and, when session is not NULL, a new session is
 * made in the same transaction as the login's ledger event (see store_session_get). */
#define STORE_SESSION_ID_LEN 43
int store_login(struct store *s, const char *login, const char *password, const char *client,
                int64_t *account_id, char session[STORE_SESSION_ID_LEN + 1], int *retry_after,
                struct err *e);

/* Sessions: the id is 32 random bytes (libsodium), handed to the browser as 43 characters of
 * unpadded base64url; the archive keeps only its BLAKE2b hash. A session ends after
 * idle_seconds without a request or max_seconds after it began. */
/* The account of a live session; ERR_AUTH when the id is unknown, expired (then removed) or
 * its account disabled. Records the request time at most once a minute. */
int store_session_get(struct store *s, const char *id, long idle_seconds, long max_seconds,
                      int64_t *account_id, struct err *e);
/* Logging out: the session ends (a ledger event); an unknown id changes nothing. */
int store_session_end(struct store *s, const char *id, const char *client, struct err *e);

/* API tokens: "rft_" + 43 characters, shown once, stored as a BLAKE2b hash. */
#define STORE_TOKEN_LEN 47
struct store_token {
    int64_t id;
    char *login;
    char *label;
    char *created_at;
    char *used_at;
    char *revoked_at;
};
void store_tokens_free(struct store_token *v, size_t n);
int store_token_add(struct store *s, const char *login, const char *label,
                    const struct store_actor *a, char token[STORE_TOKEN_LEN + 1],
                    int64_t *id, struct err *e);
/* Tokens of login (NULL: every account), newest first. */
int store_tokens(struct store *s, const char *login, const struct store_page *pg,
                 struct store_token **v, size_t *n, size_t *total, struct err *e);
int store_token_revoke(struct store *s, int64_t id, const struct store_actor *a,
                       struct err *e);
/* The account of a token that is well-formed, known, not revoked and whose account is not
 * disabled; ERR_AUTH otherwise. */
int store_token_check(struct store *s, const char *token, int64_t *account_id, struct err *e);

/* ---- settings ---- */

/* The municipality's settings (see store_settings.c for the keys, their checks and
 * defaults). get: the value or the default (NULL when neither); the caller frees it. set:
 * checked (ERR_USAGE names the key and what was expected), a ledger event (a secret's value
 * is never written to the ledger). */
struct store_setting_def {
    const char *key;   /* "municipality.name" */
    const char *label; /* Danish, for the settings page */
    const char *help;
    const char *def;   /* default, or NULL */
    int kind;          /* STORE_SETTING_* */
    const char *choices; /* STORE_SETTING_CHOICE: "none|starttls|tls" */
};
enum {
    STORE_SETTING_TEXT,
    STORE_SETTING_URL,    /* http:// or https:// */
    STORE_SETTING_EMAIL,
    STORE_SETTING_ADDR,   /* a client address or network the proxy sends from */
    STORE_SETTING_HOST,   /* host name */
    STORE_SETTING_PORT,
    STORE_SETTING_SECRET, /* never shown, logged or written to the ledger */
    STORE_SETTING_SECONDS,
    STORE_SETTING_CHOICE,
    STORE_SETTING_COUNT,  /* a whole number from 1 */
};
extern const struct store_setting_def store_setting_defs[];
extern const size_t store_nsetting_defs;
const struct store_setting_def *store_setting_def(const char *key);
int store_setting_check(const char *key, const char *value, struct err *e);
int store_setting_get(struct store *s, const char *key, char **value, struct err *e);
int store_setting_set(struct store *s, const char *key, const char *value,
                      const struct store_actor *a, struct err *e);
/* Several settings in one transaction (a form's save): all checked first; a value equal to
 * the stored one is no change and no event. */
int store_settings_set(struct store *s, const char *const *keys, const char *const *values,
                       size_t n, const struct store_actor *a, struct err *e);

/* ---- the ledger ---- */

/* An event: append-only, each carrying the BLAKE2b hash of the one before, so that an
 * altered, inserted or deleted event is detectable (store_ledger_verify). */
struct store_event {
    int64_t id;
    char *at;
    int64_t actor_id;
    char *actor;
    char *action; /* "case.save", "meeting.transition", "login", "user.grant", ... */
    char *object; /* "case:12", "meeting:3", "account:2", or NULL */
    int before, after; /* versions of the object, 0 when none */
    char *client;
    char *detail; /* a short JSON object; never closed text, a password or a token */
    char *hash;
};
void store_events_free(struct store_event *v, size_t n);
/* Events about object (NULL: all), newest first. A reader who is not `all` or an
 * administrator gets only events about objects it may see in full. */
int store_events(struct store *s, const char *object, const struct reader *r,
                 const struct store_page *pg, struct store_event **v, size_t *n,
                 size_t *total, struct err *e);
/* Checks the chain from the first event. Returns 0 when the check ran: *broken is 0 when
 * every event is intact (then *count and head describe the chain), else the id of the first
 * event found altered, inserted out of order or missing after, with *why saying what. */
int store_ledger_verify(struct store *s, int64_t *broken, char **why, size_t *count,
                        char head[65], struct err *e);

/* ---- search (implemented by src/search on SQLite) ---- */

struct search_params;
struct search_result;
/* Runs a search_query on this archive (see search/search.h for params and results). */
int store_search(struct store *s, const struct search_params *p, struct search_result *r,
                 struct err *e);

/* ---- maintenance ---- */

/* Checks the archive: the backend's own integrity and foreign-key checks, the full-text
 * index (not on a read-only archive: store_is_readonly), the store's invariants (every case
 * has a current source and version) and the ledger. Problems are appended to *problems (one
 * message each, owned by the caller, free with store_problems_free); returns 0 when the
 * check ran, whatever it found, and ERR_DB when it could not (a lock held by another process
 * past the busy timeout: the message says to try again). */
int store_check(struct store *s, char ***problems, size_t *nproblems, struct err *e);
void store_problems_free(char **v, size_t n);

/* True when s was opened read-only (then store_check cannot run the search index's own check,
 * which FTS5 runs as a write: the caller should say so). */
bool store_is_readonly(struct store *s);

/* Compacts the full-text index (worth it after a large import: queries get faster). */
int store_optimize(struct store *s, struct err *e);

/* Counts for summaries and tests. */
struct store_stats {
    size_t bodies, meetings, cases, subitems, decisions, entries, attachments, people,
        followups, sources, versions, accounts, events;
};
int store_stats(struct store *s, struct store_stats *st, struct err *e);

/* The SQLite connection behind s, or NULL for another backend (benchmarks and tests). */
struct sqlite3;
struct sqlite3 *store_sqlite_db(struct store *s);

/* ---- agenda: body settings, meetings, the agenda, release (issue 8) ---- */

/* More kinds of setting, for a body's settings (store_body_setting_defs). */
enum {
    STORE_SETTING_LINE = STORE_SETTING_COUNT + 1, /* text on one line, at most 200 bytes */
    STORE_SETTING_DAYS,    /* whole days from 0 to 365 */
    STORE_SETTING_MINUTES, /* minutes from 1 to 240 */
    STORE_SETTING_TIME,    /* a time of day "HH:MM" */
};
/* A body's settings: the agenda's deadline and late policy, a new meeting's defaults, whether
 * cases need sign-off (keys, labels, checks and defaults in store_settings.c). */
extern const struct store_setting_def store_body_setting_defs[];
extern const size_t store_nbody_setting_defs;
const struct store_setting_def *store_body_setting_def(const char *key);
/* The default of d for the body with this code and name (case.signoff is "0" for DIR /
 * Direktionen). */
const char *store_body_setting_default(const struct store_setting_def *d, const char *code,
                                       const char *name);
int store_body_setting_check(const char *key, const char *value, struct err *e);
/* "HH:MM" (00:00 to 23:59) to minutes after midnight; -1 for anything else. */
int store_time_minutes(const char *v);
/* The body's value of key, or its default when unset; *value is the caller's (free). */
int store_body_setting_get(struct store *s, const char *body_code, const char *key,
                           char **value, struct err *e);
/* Sets several of a body's settings in one transaction (empty: back to the default), all
 * checked first (ERR_USAGE names the key); a ledger event per changed key. The actor needs
 * the role sekretær on the body, or is an administrator. */
int store_body_settings_set(struct store *s, const char *body_code, const char *const *keys,
                            const char *const *values, size_t n, const struct store_actor *a,
                            struct err *e);
int store_body_setting_set(struct store *s, const char *body_code, const char *key,
                           const char *value, const struct store_actor *a, struct err *e);

/* A case on a meeting's agenda, as r may see it (store_meeting_cases' ref), with its place
 * (1-based, in agenda order), whether it is on the tillægsdagsorden (put on after the
 * release) or late (after the body's deadline, agenda.late markeret), and the later meeting
 * it was postponed to (udsat: it is on that agenda too), or 0. */
struct store_agenda_item {
    struct store_case_ref ref;
    unsigned number;
    bool supplement, late;
    int64_t postponed_to;
    char *postponed_date;
};
int store_agenda(struct store *s, int64_t meeting_id, const struct reader *r,
                 struct store_agenda_item **v, size_t *n, struct err *e);
void store_agenda_free(struct store_agenda_item *v, size_t n);
/* Moves a case one place up (delta < 0) or down on a planned meeting's agenda (a released
 * agenda's order is locked: ERR_DENIED); ERR_USAGE when it is first or last already. The
 * body's sekretær; a ledger event. */
int store_agenda_move(struct store *s, int64_t meeting_id, int64_t case_id, int delta,
                      const struct store_actor *a, struct err *e);
/* Postpones (udsætter) a case on meeting_id's agenda to a later meeting of the same body that
 * is planned or released (then on its tillægsdagsorden): the case stays on the first agenda
 * as postponed, and joins the later one. The body's sekretær; a ledger event. */
/* The agendas of meetings planned in referat that have a case, as r may see them (a
 * meeting r may list, the case published or r a reader of its body), oldest first: the
 * meeting, the case's place on it and its marks. */
struct store_case_agenda {
    int64_t meeting_id;
    char *body;      /* code */
    char *body_name;
    char *date;
    unsigned number; /* 1-based place on the agenda */
    bool supplement, late;
};
int store_case_agendas(struct store *s, int64_t case_id, const struct reader *r,
                       struct store_case_agenda **v, size_t *n, struct err *e);
void store_case_agendas_free(struct store_case_agenda *v, size_t n);
/* The release guard without releasing (the proforma preview): 0 when the agenda could be
 * released as it is, else ERR_DENIED naming the case and the place, as the release would. */
int store_agenda_check(struct store *s, int64_t meeting_id, struct err *e);
int store_agenda_postpone(struct store *s, int64_t meeting_id, int64_t case_id,
                          int64_t to_meeting, const struct store_actor *a, struct err *e);
/* ---- editor (issue 8) ---- */

/* The meeting whose agenda has the case (the latest by date), or 0 when none; r must see the
 * case (ERR_NOTFOUND otherwise). */
int store_case_meeting(struct store *s, int64_t case_id, const struct reader *r,
                       int64_t *meeting_id, struct err *e);

/* A bilag of a case written in referat: its metadata and, when bytes is not NULL, its file. */
struct store_attachment_upload {
    int64_t case_id;
    int base_version;  /* the case's version the editor started from (as store_save's) */
    unsigned number;   /* 0: a new bilag, numbered after the last */
    const char *title; /* required; NULL for an existing bilag: only its file changes */
    bool public;
    const char *journal, *flag; /* "" is written "()", NULL not at all (model/case.h) */
    const char *document;       /* NULL or "": none */
    const char *filename; /* as the uploader named it (kept, never used to decide the type) */
    const void *bytes;    /* NULL: keep the stored file (a new bilag needs one) */
    size_t len;
};
/* Adds or replaces a bilag: the file's type is decided from its content (util/mime.h) and must
 * be one mime_allowed takes, its size at most store_attachment_limit; then, in one transaction
 * with one ledger event (case.attachment), the case's model gets a new version (checked against
 * base_version and the actor's roles like store_case_save) and the file is stored. Errors:
 * ERR_LIMIT (too big), ERR_SYNTAX (a type not taken; the message names it), ERR_USAGE (no
 * title, a new bilag without a file, no such number), and store_case_save's. number_out (may
 * be NULL) receives the bilag's number. */
int store_case_attachment_upload(struct store *s, const struct store_attachment_upload *u,
                                 const struct store_actor *a, unsigned *number_out,
                                 struct err *e);
/* Removes bilag number from the case's model and its file (one transaction, one event). */
int store_case_attachment_remove(struct store *s, int64_t case_id, int base_version,
                                 unsigned number, const struct store_actor *a, struct err *e);
/* The largest bilag the site takes, in bytes: the setting attachment.max_mb (default 50). */
int store_attachment_limit(struct store *s, size_t *bytes, struct err *e);
/* The stored files of a case's bilag without their bytes, for a reader who sees the case's
 * bodies (ERR_CLOSED otherwise); free with store_file_infos_free. */
struct store_file_info {
    unsigned number;
    char *filename;
    char *mime;
    size_t len;
};
int store_attachment_files(struct store *s, int64_t case_id, const struct reader *r,
                           struct store_file_info **v, size_t *n, struct err *e);
void store_file_infos_free(struct store_file_info *v, size_t n);

/* "Send til gennemlæsning": a frozen version of a case sent to named people of its body, who
 * comment on it (tables review, review_member, comment of 005). */
struct store_account_ref {
    int64_t id;
    char *login;
    char *name;
};
void store_account_refs_free(struct store_account_ref *v, size_t n);
/* The accounts (not disabled) with a role on the case's body, by name; r must read its closed
 * content (ERR_CLOSED otherwise). */
int store_case_people(struct store *s, int64_t case_id, const struct reader *r,
                      struct store_account_ref **v, size_t *n, struct err *e);
struct store_review {
    int64_t id, case_id;
    int version;      /* the frozen version */
    char *case_title;
    char *created_by; /* the sender's name */
    char *created_at;
    char *note;
    size_t ncomments;
};
void store_reviews_free(struct store_review *v, size_t n);
void store_review_fini(struct store_review *r);
/* Sends the case's current version (which must be base_version, ERR_CONFLICT otherwise) to
 * members (account ids, each with a role on the case's body: ERR_USAGE otherwise, as for none
 * at all); the actor needs sekretær or sagsbehandler on the body. One ledger event
 * (case.review). */
int store_review_send(struct store *s, int64_t case_id, int base_version,
                      const int64_t *members, size_t n, const char *note,
                      const struct store_actor *a, int64_t *review_id, struct err *e);
/* The reviews of a case, newest first (r must read its closed content), and those sent to an
 * account (at most 100, newest first). */
int store_case_reviews(struct store *s, int64_t case_id, const struct reader *r,
                       struct store_review **v, size_t *n, struct err *e);
int store_reviews_for(struct store *s, int64_t account_id, struct store_review **v, size_t *n,
                      struct err *e);
/* One review of case_id, for a reader with a role on the case's body; is_member tells whether
 * account_id is one of its members. ERR_NOTFOUND otherwise. */
int store_review_get(struct store *s, int64_t case_id, int64_t review_id, const struct reader *r,
                     int64_t account_id, struct store_review *out, bool *is_member,
                     struct err *e);
struct store_comment {
    int64_t id;
    int version;
    char *author;
    char *text;
    char *created_at;
};
void store_comments_free(struct store_comment *v, size_t n);
int store_review_comments(struct store *s, int64_t review_id, struct store_comment **v,
                          size_t *n, struct err *e);
/* A member's comment on the review's version (ERR_DENIED for anyone else; ERR_USAGE for an
 * empty text). One ledger event (case.comment). */
int store_review_comment(struct store *s, int64_t review_id, const char *text,
                         const struct store_actor *a, struct err *e);
/* ---- the body library (issue 8, library) ---- */

#include "../model/library.h" /* struct library_item, struct library_problems */

/* A body's library (table body_item): standard texts, case templates and recurring items
 * (model/library.h says what each kind holds and the rules its content keeps). Administered
 * by the body's sekretær and by administrators; it holds no case content, so its reads take
 * no reader (the pages decide who sees them). Lists are short (LIBRARY_MAX per kind), so they
 * come whole, never paged. Help text lives in a template's sections only. */
struct store_body_item {
    int64_t id;
    char *kind, *name, *text, *sections; /* heap strings, NULL where empty */
    int pos;      /* the item's place in its kind's list: 1, 2, ... */
    int duration; /* a recurring item's minutes, else 0 */
    bool public;  /* a recurring item: Åben (true) or Lukket; true for other kinds */
    int version;  /* 1 when added, + 1 on every change of its content (a move is none) */
};
/* The items of the body with this code, of one kind (NULL: all kinds), standard texts first,
 * then templates, then recurring items, each kind by pos. ERR_NOTFOUND for an unknown body,
 * ERR_USAGE for an unknown kind. *v (NULL when none) is the caller's. */
int store_body_items(struct store *s, const char *body_code, const char *kind,
                     struct store_body_item **v, size_t *n, struct err *e);
/* One item by id; ERR_NOTFOUND. */
int store_body_item_get(struct store *s, int64_t id, struct store_body_item *out,
                        struct err *e);
void store_body_item_fini(struct store_body_item *it);
void store_body_items_free(struct store_body_item *v, size_t n);

/* A stored template applied to a new case (library_template_apply on its title and sections):
 * ERR_USAGE for an item that is not a template. */
int store_template_apply(const struct store_body_item *tpl, struct case_doc *c,
                         struct err *e);

/* A new item (id 0) or a change of one. Strings are borrowed. */
struct store_body_item_save {
    int64_t id;
    int base_version; /* the version the form started from (ignored for a new item) */
    const char *body; /* the body's code: a new item's body; a change must be of an item of
                         this body */
    struct library_item item; /* item.kind: a new item's; a change must keep it */
};
/* Saves an item in one transaction with its ledger event ("library.add" or "library.save",
 * object "body_item:ID"); a new item goes last in its kind's list. The actor needs the role
 * sekretær on the body or to be an administrator (ERR_DENIED). An unknown body or item, or an
 * item of another body, is ERR_NOTFOUND. A change is checked against base_version: when the
 * item changed since, ERR_CONFLICT and nothing is written. The content is checked
 * (library_item_check; a name another item of the kind has; LIBRARY_MAX items of a kind; no
 * text of the body's library holding a line of a template's help text, library_holds_help):
 * each problem goes to *pr (may be NULL), e holds the first, and the result is ERR_USAGE
 * (ERR_CONFLICT for a taken name). Texts are stored as library_text_norm gives them.
 * *id and *version (may be NULL) receive the item's. */
int store_body_item_save(struct store *s, const struct store_body_item_save *sv,
                         const struct store_actor *a, int64_t *id, int *version,
                         struct library_problems *pr, struct err *e);
/* Deletes an item of the body, checked against base_version (ERR_CONFLICT); the items after
 * it move up. One transaction with its event ("library.delete"). Roles as for a save. */
int store_body_item_delete(struct store *s, const char *body_code, int64_t id,
                           int base_version, const struct store_actor *a, struct err *e);
/* Moves an item of the body one place up (delta -1) or down (+1) in its kind's list, in one
 * transaction with its event ("library.move"). An item already first (last) stays, with no
 * event; *moved (may be NULL) says which. No version check: a move changes no content, so it
 * makes nobody's open form stale. ERR_USAGE for another delta. Roles as for a save. */
int store_body_item_move(struct store *s, const char *body_code, int64_t id, int delta,
                         const struct store_actor *a, bool *moved, struct err *e);

/* What an import did. */
struct store_library_counts {
    size_t added, changed, unchanged, deleted;
};
/* Brings items v[0..n) (each a struct library_item) into the body's library in one
 * transaction: an item whose kind and name match one of the body's changes it (a new version
 * and its event when anything differs), the others are added after the existing ones of their
 * kind, in the order of v. With replace, the body's items not in v are deleted, and each
 * kind's order becomes v's. The checks are a save's (two items of v with one kind and name are
 * a problem of the later one): at the first item with a problem nothing is written, *bad (may
 * be NULL) is its index in v and *pr its problems. Roles as for a save. counts may be NULL. */
int store_body_items_import(struct store *s, const char *body_code,
                            const struct library_item *v, size_t n, bool replace,
                            const struct store_actor *a, struct store_library_counts *counts,
                            size_t *bad, struct library_problems *pr, struct err *e);

/* ---- invitations (issue 8) ---- */

/* A guest's invitation to their slot: one per guest (by e-mail, lower case) and case, kept in
 * line with the case by every write that changes its guests, slots or meeting
 * (invitations_sync). uid stays for the invitation's life; sequence rises whenever the slot
 * moves and for the CANCEL when the guest, their sub-item or the meeting is gone. state:
 * "pending" (the outbox sends it), "sent", "failed" (error says why; the outbox tries it
 * again a few times, store/outbox.h, and store_invitation_retry makes it pending on
 * request). Nothing is pending before the agenda is released. */
struct store_invitation {
    int64_t id, case_id;
    char *email, *name, *uid;
    int sequence;
    char *method;          /* "REQUEST" or "CANCEL" */
    char *dtstart, *dtend; /* local time in Europe/Copenhagen: "2024-01-05T10:30" */
    char *subitems;        /* JSON array of the guest's 1-based sub-item numbers */
    char *state, *error;
    int attempts; /* sends of this version that were tried */
    char *created_at, *sent_at;
    /* What the guest may read of the case and its meeting (the case's current one): its title,
     * for a closed case its public title. */
    char *title;
    bool public;
    int64_t meeting_id; /* 0: on no agenda */
    char *date, *place, *body_name;
};
void store_invitation_fini(struct store_invitation *v);
void store_invitations_free(struct store_invitation *v, size_t n);
struct store_invitation_filter {
    int64_t case_id;    /* 0: every case */
    const char *state;  /* NULL: any */
    int64_t meeting_id; /* 0: any; else the cases whose current meeting this is */
};
/* The invitations of cases whose closed content r sees (the archive's tools: all), by id. */
int store_invitations(struct store *s, const struct store_invitation_filter *f,
                      const struct reader *r, const struct store_page *pg,
                      struct store_invitation **v, size_t *n, size_t *total, struct err *e);
int store_invitation_get(struct store *s, int64_t id, const struct reader *r,
                         struct store_invitation *out, struct err *e);
/* The outbox (an actor whose reader is `all`) records how sending version (sequence, method)
 * of a pending or failed invitation went: error NULL for sent, else failed with error (never
 * a password), attempts + 1; a ledger event (invitation.sent, invitation.failed). When the
 * invitation changed since (a moved slot), nothing is marked: *marked (may be NULL) false,
 * and it stays pending for its new version. */
int store_invitation_mark(struct store *s, int64_t id, int sequence, const char *method,
                          const char *error, const struct store_actor *a, bool *marked,
                          struct err *e);
/* A failed invitation pending again (the sekretaer of the case's body); ERR_CONFLICT when it
 * has not failed. A ledger event. */
int store_invitation_retry(struct store *s, int64_t id, const struct store_actor *a,
                           struct err *e);

/* Guests' links: 32 random bytes as 43 characters of base64url, kept only as their BLAKE2b
 * hash, expiring at the end of the meeting's day in Europe/Copenhagen (moved with the
 * meeting), removed when the invitation is cancelled. new: for a REQUEST, by the outbox
 * (reader `all`), a ledger event. get: the invitation and the case as the public may read it
 * (case_view), whether or not the agenda is published; unknown, malformed and expired tokens
 * alike are ERR_NOTFOUND with one message. */
#define STORE_GUEST_TOKEN_LEN 43
int store_guest_link_new(struct store *s, int64_t invitation_id, const struct store_actor *a,
                         char token[STORE_GUEST_TOKEN_LEN + 1], struct err *e);
int store_guest_link_get(struct store *s, const char *token, struct store_invitation *inv,
                         struct case_doc **model, struct err *e);

/* ---- issue 9, publication: publishing the minutes (docs/workflow.md, "Publication") ----
 * The step itself is store_meeting_transition's `offentliggoer` (refused with ERR_DENIED while
 * the check below finds anything: nothing is published half) and `afpublicer` (a reason). */
struct store_publish_problem {
    int position;     /* the case's place on the agenda, 1-based */
    int64_t case_id;
    char *title;      /* its public title (never the closed one) */
    const char *rule; /* "et CPR-nummer", ... "ingen offentlig beslutningstekst" (static) */
    char field[96];   /* "Sagsfremstilling", "Beslutning 1, punkt 2, tekst" */
    unsigned line, col;
};
/* Every problem the publish guard finds in the public view of every case on the meeting's
 * agenda (model/guard.h guard_case_all; with the body's publication.rule
 * `kommunalbestyrelse`, a closed case without a public decision), in agenda order. The
 * reader must see the meeting's body (else ERR_DENIED). Never the text found. */
int store_meeting_publish_check(struct store *s, int64_t meeting_id, const struct reader *r,
                                struct store_publish_problem **v, size_t *n, struct err *e);
void store_publish_problems_free(struct store_publish_problem *v, size_t n);
/* What the meeting page shows of a meeting's publication, as r may see it. */
struct attendee;
struct store_meeting_publication {
    char *minutes_published_at; /* when the minutes were published (UTC), or NULL */
    char *publish_at;    /* a publish asked for later (UTC): only for readers of the body */
    char *publish_error; /* why the scheduled publish failed: only for readers of the body */
    /* The body's meetings before and after it, as r may see them (0: none). */
    int64_t prev_id, next_id;
    char *prev_date, *next_date;
    /* The attendance: for the public only once the minutes are public (published in
     * referat, or known from imported minutes). */
    struct attendee *attendees;
    size_t nattendees;
};
int store_meeting_publication_get(struct store *s, int64_t meeting_id, const struct reader *r,
                                  struct store_meeting_publication *out, struct err *e);
void store_meeting_publication_fini(struct store_meeting_publication *p);
/* Asks for the minutes to be published at `at` (UTC "YYYY-MM-DDTHH:MM:SSZ", after now), or
 * cancels that (at NULL): the sekretær, on approved minutes (referat_godkendt); a ledger
 * event. */
int store_meeting_publish_at(struct store *s, int64_t meeting_id, int base_version,
                             const char *at, const struct store_actor *a, struct err *e);
/* Publishes every meeting whose publish_at has passed (the clock, util/clock.h), each as
 * `offentliggoer` by the archive's tools; a refusal (the guard) is kept in publish_error and
 * the ledger (meeting.publish_failed), and publish_at stays until the sekretær acts. *done
 * and *failed (may be NULL) count them. For the outbox thread and `referat meeting
 * publish-due`. */
int store_meetings_publish_due(struct store *s, size_t *done, size_t *failed, struct err *e);
/* ---- end issue 9, publication ---- */
/* ---- issue 9, minutes: the approval round, tillæg and reopening (sqlite_minutes.c) ----
 * The steps themselves are store_meeting_transition's (send_referat_til_godkendelse,
 * godkend_referat, returner_referat, luk_godkendelse, genaabn): each does its bookkeeping
 * here in the same transaction. docs/workflow.md, "The minutes (issue 9)". */
struct store_minutes_case {
    int64_t case_id;
    int pos;       /* place on the agenda, 1-based */
    int version;   /* the frozen version */
    char *title;   /* as the reader may see it */
};
struct store_minutes_member {
    int64_t account_id;
    char *login, *name;
    char *approved_at; /* NULL: not (yet) approved */
};
struct store_minutes_objection {
    int64_t id;
    int64_t account_id;
    char *author, *text, *created_at;
    char *answer, *answered_by, *answered_at; /* NULL while unanswered */
};
struct store_minutes_round {
    int64_t id;
    int version;       /* the minutes version it was sent for */
    char *sent_at, *sent_by;
    char *deadline;    /* sent_at + minutes.approval_days: when the sekretær may close it */
    char *closed_at;   /* NULL while open */
    char *outcome;     /* NULL (open), "godkendt", "lukket", "returneret" */
    char *reason;      /* returneret: why */
    struct store_minutes_case *cases;
    size_t ncases;
    struct store_minutes_member *members;
    size_t nmembers;
    struct store_minutes_objection *objections;
    size_t nobjections;
};
struct store_minutes_reopen {
    int version; /* the new version */
    char *at, *by, *reason;
};
struct store_minutes {
    int64_t meeting_id, body_id;
    char *state;       /* the meeting's state */
    int meeting_version;
    int version;       /* the current minutes version: 1 + reopenings */
    int approval_days; /* the body's minutes.approval_days */
    struct store_minutes_round *rounds; /* oldest first (at most 100) */
    size_t nrounds;
    struct store_minutes_reopen *reopens;
    size_t nreopens;
};
/* The minutes of a meeting written in referat for a reader with a role on its body
 * (ERR_NOTFOUND otherwise, as for no such meeting). */
int store_minutes_get(struct store *s, int64_t meeting_id, const struct reader *r,
                      struct store_minutes *out, struct err *e);
void store_minutes_fini(struct store_minutes *m);
/* The open round (NULL when none) and the round that approved version (NULL when none). */
const struct store_minutes_round *store_minutes_open(const struct store_minutes *m);
const struct store_minutes_round *store_minutes_approved(const struct store_minutes *m,
                                                          int version);
/* A member's approval of round round_id (which must be the meeting's open round:
 * ERR_CONFLICT otherwise, e.g. a page opened before the round was returned and sent again).
 * Only the members of the round (role medlem on the body when it was sent) approve
 * (ERR_DENIED); approving twice is ERR_CONFLICT. A ledger event (minutes.approve); when every
 * member has approved and no objection is unanswered the meeting moves to referat_godkendt
 * in the same transaction (meeting.transition, godkend_referat). *approved (may be NULL)
 * tells whether it did. */
int store_minutes_approve(struct store *s, int64_t meeting_id, int64_t round_id,
                          const struct store_actor *a, bool *approved, struct err *e);
/* A member's objection to the open round round_id (text required: ERR_USAGE); a ledger
 * event (minutes.object). */
int store_minutes_object(struct store *s, int64_t meeting_id, int64_t round_id,
                         const char *text, const struct store_actor *a, int64_t *id,
                         struct err *e);
/* The sekretær's answer to an objection of the open round (text required); a ledger event
 * (minutes.answer); completes the round like an approval when it was the last thing missing. */
int store_minutes_answer(struct store *s, int64_t meeting_id, int64_t objection_id,
                         const char *text, const struct store_actor *a, bool *approved,
                         struct err *e);
/* A tillæg to approved minutes (the case on a meeting in referat_godkendt or offentliggjort;
 * otherwise ERR_CONFLICT, as the minutes can still be edited): a new version of the case
 * whose model has one more addition (date: today, the reason and text, both required:
 * ERR_USAGE naming the field), checked against base_version; the sekretær of its body; a
 * ledger event (case.addition). */
int store_minutes_addition(struct store *s, int64_t case_id, int base_version,
                           const char *reason, const char *text, const struct store_actor *a,
                           int *version, struct err *e);
/* ---- end issue 9, minutes ---- */
/* ---- issue 11, archive: bulk import (sqlite_import.c) ---- */
/* A run of imports (`referat import` of many files, bench/archive). Each case is still its
 * own transaction with its ledger event; the search index is brought up to date in one
 * transaction every STORE_BULK_BATCH cases and at store_bulk_end, so a case is found by
 * search only then (its id waits in search_pending; an interrupted run's are indexed by the
 * next writer's open). The WAL is checkpointed every 64 MB instead of every 4 MB. */
#define STORE_BULK_BATCH 512
int store_bulk_begin(struct store *s, struct err *e);
int store_bulk_end(struct store *s, struct err *e);

/* ---- issue 9, decisions: the minute-taker's private notes, the follow-up suggestions the
 * sekretær rejected, and the draft of a case treated again (sqlite_decision.c). The decisions
 * themselves are the case's model, saved with store_case_save. ---- */

/* A private note of the minute-taker on a case (subitem 1-based; 0: the case as a whole).
 * Notes are never part of the model: no export, search row, public page, feed, API answer or
 * e-mail holds them. */
struct store_case_note {
    int64_t id;
    size_t subitem;
    char *author; /* the name (or login) of who wrote it */
    char *created_at;
    char *text;
};
/* The case's notes, oldest first (at most STORE_PAGE_MAX), for a reader with the role
 * sekretær on one of the case's bodies: ERR_DENIED for anyone else who may read the case,
 * ERR_NOTFOUND for who may not know of it. */
int store_case_notes(struct store *s, int64_t case_id, const struct reader *r,
                     struct store_case_note **v, size_t *n, struct err *e);
void store_case_notes_free(struct store_case_note *v, size_t n);
/* Adds a note (the sekretær of the case's body, ERR_DENIED otherwise); its ledger event
 * ("case.note") names the sub-item, never the text. ERR_USAGE (field "note" or "subitem" in
 * the message) for a blank text, one over 10,000 bytes, or a sub-item the case does not have;
 * at most STORE_PAGE_MAX notes per case. */
int store_case_note_add(struct store *s, int64_t case_id, size_t subitem, const char *text,
                        const struct store_actor *a, int64_t *id, struct err *e);

/* A suggested follow-up the sekretær rejected: not suggested again for that entry while its
 * owner and sentence are the same. */
struct store_decision_rejection {
    size_t subitem;
    char *owner;
    char *text;
};
/* The case's rejections, for a reader who reads its closed content (ERR_NOTFOUND otherwise). */
int store_decision_rejections(struct store *s, int64_t case_id, const struct reader *r,
                              struct store_decision_rejection **v, size_t *n, struct err *e);
void store_decision_rejections_free(struct store_decision_rejection *v, size_t n);
/* Records a rejection (the sekretær; a ledger event "decision.reject"); rejecting it again
 * changes nothing and is no error. ERR_USAGE for a blank owner or text, or a sub-item the
 * case does not have. */
int store_decision_reject(struct store *s, int64_t case_id, size_t subitem, const char *owner,
                          const char *text, const struct store_actor *a, struct err *e);

/* "Opret kladde på næste møde": a new case with the title (and a closed case's public title,
 * route and openness) of case_id and a reference to it in its presentation, on the body's
 * next planned meeting after the case's meeting (state planlagt), or without a meeting when
 * none is planned; saved like any new case of the sekretær (store_case_save's rules), a
 * ledger event "decision.draft". Only once per case: ERR_CONFLICT names the draft made. The
 * sekretær of the case's body only. *draft_id and *meeting_id (0: none; both may be NULL)
 * receive what was made. */
int store_decision_draft(struct store *s, int64_t case_id, const struct store_actor *a,
                         int64_t *draft_id, int64_t *meeting_id, struct err *e);
/* The draft made from case_id, or 0, for a reader who reads its closed content. */
int store_decision_draft_get(struct store *s, int64_t case_id, const struct reader *r,
                             int64_t *draft_id, struct err *e);
/* ---- end issue 9, decisions ---- */

/* ---- issue 9, live: the live meeting view and attendance (sqlite_live.c) ---- */
#include "../model/meeting.h" /* struct attendee */

/* One row of a meeting's live timetable: a sub-item of a case on its agenda (in agenda
 * order; cases postponed to a later meeting left out), or a case without sub-items. */
struct store_live_row {
    int64_t case_id;
    unsigned item;    /* the case's number on the agenda (1-based) */
    unsigned subitem; /* 1-based; 0 for a case without sub-items */
    char *case_title;
    char *title;      /* the sub-item's title; the case's title for a case without */
    bool public;      /* the case is open */
    int planned_start, planned_end; /* minutes since midnight (model/timetable.h), or -1 */
    int64_t started_at, ended_at;   /* the stamps, seconds since the epoch; 0 = none */
    char *guest_name, *guest_role;  /* the row's first guest, or NULL */
};
struct store_live {
    struct store_meeting meeting; /* id, body_id, body, body_name, date, start, end, place,
                                     state, version, authored */
    struct store_live_row *rows;
    size_t nrows;
};
void store_live_fini(struct store_live *l);
/* The timetable of a meeting with its stamps, for a reader with a role on its body
 * (ERR_NOTFOUND otherwise). */
int store_live_get(struct store *s, int64_t meeting_id, const struct reader *r,
                   struct store_live *out, struct err *e);
/* "Næste punkt": stamps, on the server's clock, the end of the current row and the start of
 * the next (the first row when none has started). The actor needs sekretær on the body
 * (ERR_DENIED); the meeting must be i_gang (ERR_CONFLICT). expect is the row (0-based) the
 * person saw as current, -1 for none, or STORE_LIVE_ANY: when another device has stamped
 * since, ERR_CONFLICT. A clock earlier than the latest stamp, or no row left to start or
 * end, is ERR_CONFLICT too. One ledger event (meeting.live) per call; nothing else changes
 * on failure. */
#define STORE_LIVE_ANY (-2L)
int store_live_next(struct store *s, int64_t meeting_id, long expect,
                    const struct store_actor *a, struct err *e);
/* "Fortryd": takes back the latest "Næste punkt" (the stamps made at the latest instant), so
 * the row before is current again; checked like store_live_next (expect included). The
 * meeting's own start is not taken back (ERR_CONFLICT). The ledger event (meeting.live,
 * action "fortryd") records the stamps it removed, so none is lost silently. */
int store_live_undo(struct store *s, int64_t meeting_id, long expect,
                    const struct store_actor *a, struct err *e);

/* Attendance (table attendance, struct attendee of model/meeting.h). The arrived and left
 * numbers are rows of the live timetable (1-based, store_live_get's order). get: for a
 * reader with a role on the meeting's body. members: the accounts (not disabled) with the
 * role medlem on the body, by name. save: replaces the whole list, checked with
 * meeting_check and against the timetable (ERR_USAGE, the message starting with the field:
 * "deltager 2: ..."); the actor needs sekretær on the body; a meeting that is cancelled or
 * whose minutes are approved is ERR_DENIED. One ledger event (meeting.attendance). */
int store_attendance_get(struct store *s, int64_t meeting_id, const struct reader *r,
                         struct attendee **v, size_t *n, struct err *e);
void store_attendees_free(struct attendee *v, size_t n);
int store_attendance_members(struct store *s, int64_t meeting_id, const struct reader *r,
                             struct store_account_ref **v, size_t *n, struct err *e);
int store_attendance_save(struct store *s, int64_t meeting_id, const struct attendee *v,
                          size_t n, const struct store_actor *a, struct err *e);
/* ---- end issue 9, live ---- */
/* ---- issue 11, paging: every list bounded ---- */
/* Lists page in SQL and only so deep: rows past STORE_LIST_DEPTH of any list are not listed
 * (a window past it is empty), and `total` counts at most STORE_LIST_DEPTH + 1 rows, so that
 * neither a deep page nor a count walks a whole large table. A total above STORE_LIST_DEPTH
 * means "more than STORE_LIST_DEPTH": narrow the list with its filters (owner, status, body,
 * year) to reach the rest. */
enum { STORE_LIST_DEPTH = 10000 };

/* store_meetings within a window of dates: from <= date < to (ISO dates; NULL: unbounded),
 * newest first (the iCalendar feed's window of months). */
int store_meetings_between(struct store *s, const char *body, const char *from,
                           const char *to, const struct reader *r, const struct store_page *pg,
                           struct store_meeting **v, size_t *n, size_t *total, struct err *e);

/* The sub-items with a time of the cases on a meeting's agenda that r may read in full, in
 * agenda order: "HH:MM" and title pairs in times[0..2n) (the calendar's timetable, without
 * reading each case's model). At most STORE_PAGE_MAX; free with store_problems_free(v, 2n). */
int store_meeting_times(struct store *s, int64_t meeting_id, const struct reader *r,
                        char ***times, size_t *n, struct err *e);

/* ---- issue 11, archive routes: a feed's meetings, all at once (sqlite_feed.c). For the
 * meetings ids[0..n), lines in the order of ids and within each meeting in agenda order:
 * store_feed_agendas the cases as store_agenda lists them to r (title as r may read it,
 * public, supplement; at most STORE_PAGE_MAX a meeting), store_feed_times the first cap
 * timed sub-items of each as store_meeting_times lists them (time and title). ---- */
struct store_feed_line {
    int64_t meeting_id;
    char *title, *time;
    bool public, supplement;
};
int store_feed_agendas(struct store *s, const int64_t *ids, size_t n, const struct reader *r,
                       struct store_feed_line **v, size_t *nv, struct err *e);
int store_feed_times(struct store *s, const int64_t *ids, size_t n, const struct reader *r,
                     size_t cap, struct store_feed_line **v, size_t *nv, struct err *e);
void store_feed_lines_free(struct store_feed_line *v, size_t n);
/* ---- end issue 11, archive routes ---- */

/* The connection's page cache in KiB (store_open's is 64 MiB, for imports). The server's
 * readers use a smaller one per thread, so that its resident memory stays bounded however
 * large the archive (docs/store.md). */
void store_set_cache_kb(struct store *s, int kb);

/* ---- issue 10, sdg: the verdensmål (docs/sdg.md) ----
 * The goals themselves are part of the case's model (case_doc.sdg, subitem.sdg) and are saved
 * and read with it. The yearly report of a body: each case of the body (case_body) whose date
 * falls in the year and that carries a goal on itself or a sub-item, for a reader who may read
 * all of it (CASE_FULL: the public sees published open cases only, so a closed case's goals
 * never reach it), by date. goals is the union of the case's and its sub-items' goals (bits as
 * model/sdg.h); decisions counts its decisions dated in the year; the follow-ups are counted
 * by state (status 'open', 'done', anything else). At most STORE_SDG_MAX cases (truncated is
 * set beyond). ERR_NOTFOUND for an unknown body. */
#define STORE_SDG_MAX 5000
/* A body setting that is a list of goal numbers ("7, 13"; sdg.default: the goals a new case of
 * the body starts with). */
enum { STORE_SETTING_GOALS = STORE_SETTING_TIME + 1 };
struct store_sdg_case {
    int64_t id;
    char *title;
    char *date;
    uint32_t goals;
    unsigned decisions;
    unsigned followups_open, followups_done, followups_other;
};
struct store_sdg_report {
    char *body_code;
    char *body_name;
    int year;
    struct store_sdg_case *cases;
    size_t ncases;
    bool truncated;
};
int store_sdg_report(struct store *s, const char *body_code, int year, const struct reader *r,
                     struct store_sdg_report *out, struct err *e);
void store_sdg_report_fini(struct store_sdg_report *rep);
/* ---- end issue 10, sdg ---- */

/* ---- issue 10, remind: e-mail reminders of follow-ups and a body's control list
 * (docs/workflow.md) ---- */

/* A reminder due on a day (store_reminders_due), with the owner's address as the archive
 * knows it: the e-mail of the one enabled account that owns the follow-up (FOLLOWUP_OWNS:
 * the name's link to an account or unit, else the name). */
struct store_reminder {
    int64_t followup_id;
    char *kind;       /* "frist": the due date is within the body's followup.remind_days;
                         "overskredet": it has passed */
    char *due;
    char *text;       /* the follow-up's text; NULL when its case is closed (never mailed) */
    char *owner;      /* the person's (or unit's) name */
    char *email;      /* NULL: no account, or several, have that name and an address */
    int64_t account_id;
    size_t accounts;  /* enabled accounts of that name with an address */
    char *body;       /* code of the deciding body, or NULL */
    char *body_name;
    char *meeting_date;
    int64_t case_id;
    char *case_title; /* a closed case's public title */
    bool retry;       /* claimed today by a run that did not finish (sent again) */
};
/* The reminders due on `today` (ISO date): every open follow-up with a due date no later
 * than today + its body's followup.remind_days that has not had this kind of notice and had
 * no notice today, and those claimed today and left unsent by a crash; those with an address
 * first, each part by due date. First, the unsent claims of earlier days are dropped (a
 * write). At most STORE_PAGE_MAX: when the last one has an address, ask again after sending
 * for more. The archive's own tools only (a reader that is `all`). */
int store_reminders_due(struct store *s, const char *today, const struct store_actor *a,
                        struct store_reminder **v, size_t *n, struct err *e);
void store_reminders_free(struct store_reminder *v, size_t n);
/* Before a send: the row (followup, today) as 'sender' (one transaction, no ledger event:
 * nothing has happened yet). *claimed is false when another run has it already (sent or
 * claimed), true for a retry of this day's own unsent claim. */
int store_reminder_claim(struct store *s, const struct store_reminder *r, const char *today,
                         const struct store_actor *a, bool *claimed, struct err *e);
/* After the relay took it: 'sendt', with its ledger event followup.remind (the kind and the
 * day; never the address). */
int store_reminder_sent(struct store *s, const struct store_reminder *r, const char *today,
                        const struct store_actor *a, struct err *e);
/* After a failed send: the claim is deleted, so nothing is recorded as sent. */
int store_reminder_release(struct store *s, const struct store_reminder *r, const char *today,
                           const struct store_actor *a, struct err *e);
/* The reminders recorded as sent on day (for tests and `referat remind --list`). */
int store_reminders_sent(struct store *s, const char *day, size_t *n, struct err *e);

/* A body's control list (kontrolliste): its follow-ups with a due date from `from` to `to`
 * (ISO dates, either NULL: open-ended), by due date, in what r may read. delay is the days
 * past the due date: to today for an open one, to the day it was closed otherwise; 0 when in
 * time. ERR_NOTFOUND for an unknown body code. */
struct store_control_row {
    int64_t followup_id;
    int64_t case_id;
    char *case_title;
    char *owner;
    char *role;
    char *text;
    char *decision;     /* the decision entry's title */
    char *meeting_date; /* the date of the decision */
    char *due;
    char *state;        /* aaben, i_gang, udfoert, bortfaldet, videresendt */
    char *state_reason;
    char *done_at;
    int delay;
};
int store_control_list(struct store *s, const char *body_code, const char *from,
                       const char *to, const char *today, const struct reader *r,
                       const struct store_page *pg, struct store_control_row **v, size_t *n,
                       size_t *total, struct err *e);
void store_control_rows_free(struct store_control_row *v, size_t n);
/* ---- end issue 10, remind ---- */
/* ---- issue 10, notices: citizens' e-mail subscriptions to a body's agendas and minutes
 * (sqlite_notice.c; sent by store/notice.h's outbox; docs/notices.md) ----
 * Double opt-in: a subscription is 'pending' until its confirmation link is POSTed, and only
 * a 'confirmed' one receives notices. The address is never returned by any call but
 * store_notices_due (the outbox, reader `all`), never in a message or the ledger (events
 * carry BLAKE2b-256 of the lower-case address, "subscriber"). Tokens are 43 characters of
 * base64url, stored only as their hash. */
#define STORE_NOTICE_TOKEN_LEN 43
/* A confirmation link lasts this long (seconds). */
#define STORE_NOTICE_CONFIRM_SECONDS (7 * 24 * 3600)
/* A subscription whose address the relay refused (5xx) this often is 'failing': its pending
 * notices are dropped and nothing more is sent to it until it subscribes again. */
#define STORE_NOTICE_MAX_BOUNCES 3
/* Subscribe posts from one client address per hour, and confirmation mails per address per
 * hour, at most. */
#define STORE_NOTICE_PER_CLIENT 20
#define STORE_NOTICE_PER_ADDRESS 3

/* topic: "dagsordener", "referater" or "begge". Subscribes email (trimmed; its case kept) to
 * the body with code body_code: the subscription is made pending (or, when it exists,
 * keeps its state and remembers the topic asked for) and a confirmation mail is queued, in
 * one transaction with its ledger event (notice.subscribe). The answer is the same for a new,
 * a pending, a confirmed and an unsubscribed address; past STORE_NOTICE_PER_ADDRESS requests
 * for the address within an hour nothing more is queued, silently (so the answer still does
 * not tell). Errors: ERR_USAGE "email: ..." or "topic: ..." for a malformed address or an
 * unknown topic (nothing written), ERR_NOTFOUND for an unknown body, ERR_BUSY when client has
 * posted STORE_NOTICE_PER_CLIENT times within the hour. */
int store_notice_subscribe(struct store *s, const char *body_code, const char *email,
                           const char *topic, const char *client, const struct store_actor *a,
                           struct err *e);

/* What a link's page may show: the body and the topic (never the address). */
struct store_notice_link {
    char *body_code, *body_name;
    char *topic;  /* confirm: the topic asked for; unsubscribe: the current one */
    char *state;  /* the subscription's state */
};
void store_notice_link_fini(struct store_notice_link *l);
/* purpose: "confirm" or "unsubscribe". Reads the link of token; ERR_NOTFOUND for an unknown,
 * malformed or expired token (one answer). */
int store_notice_link_get(struct store *s, const char *token, const char *purpose,
                          struct store_notice_link *out, struct err *e);
/* Confirms the subscription of a confirmation token (its topic the one asked for; the token
 * used up), or ends it by an unsubscribe token (its pending notices dropped), with its ledger
 * event (notice.confirm, notice.unsubscribe). Ending an ended subscription again is 0 (a
 * second click). ERR_NOTFOUND as store_notice_link_get. */
int store_notice_confirm(struct store *s, const char *token, const struct store_actor *a,
                         struct err *e);
int store_notice_unsubscribe(struct store *s, const char *token, const struct store_actor *a,
                             struct err *e);

/* One message of the outbox due now: a confirmation of a pending or confirmed subscription,
 * or the agenda or minutes of a meeting while they are public, for a confirmed one. */
struct store_notice {
    int64_t id, subscription_id, meeting_id;
    char *kind;  /* "confirm", "agenda", "minutes" */
    char *email; /* the recipient: for the outbox only */
    char *email_hash;
    char *topic; /* confirm: the topic asked for */
    char *body_code, *body_name;
    char *date, *start, *place; /* the meeting's (NULL for a confirmation) */
    char **items;               /* the agenda's titles as the public reads them */
    size_t nitems;
    int attempts;
};
void store_notices_free(struct store_notice *v, size_t n);
/* The outbox's due messages, oldest first, at most STORE_PAGE_MAX (reader `all` only:
 * ERR_DENIED otherwise). */
int store_notices_due(struct store *s, const struct reader *r, struct store_notice **v,
                      size_t *n, struct err *e);
/* A new link for subscription_id (purpose "confirm": it replaces the earlier confirmation
 * links and lasts STORE_NOTICE_CONFIRM_SECONDS; "unsubscribe": no end), by the outbox
 * (reader `all`). */
int store_notice_token_new(struct store *s, int64_t subscription_id, const char *purpose,
                           const struct store_actor *a, char token[STORE_NOTICE_TOKEN_LEN + 1],
                           struct err *e);
/* How sending notice id went: error NULL for sent; else it stays pending with error and
 * attempts + 1, and with bounce (the relay refused the address, 5xx) the subscription counts
 * a bounce and turns 'failing' at STORE_NOTICE_MAX_BOUNCES. A ledger event for a send, a
 * bounce and the first failure of a message (notice.sent, notice.bounce, notice.failed). */
int store_notice_mark(struct store *s, int64_t id, const char *error, bool bounce,
                      const struct store_actor *a, struct err *e);
/* Forgets the subscriptions never confirmed: pending ones whose confirmation links have all
 * expired and which wait for no mail are deleted (address, links and all), with one ledger
 * event (notice.expire, the number) when there were any; *n (may be NULL) how many. By the
 * outbox (reader `all`) before each run. */
int store_notice_expire(struct store *s, const struct store_actor *a, size_t *n,
                        struct err *e);
/* Counts for the staff and the tests: subscriptions by state of a body (NULL: all). */
struct store_notice_counts {
    size_t pending, confirmed, unsubscribed, failing, queued;
};
int store_notice_counts(struct store *s, const char *body_code, struct store_notice_counts *out,
                        struct err *e);
/* ---- end issue 10, notices ---- */
/* ---- issue 10, followups: a follow-up's states, progress notes, forwarding to a planned
 * meeting, units and the links from owner names to accounts and units, "Mine opfølgninger"
 * (docs/workflow.md, docs/access.md). Who owns a follow-up: the account its person is linked
 * to, every member of the unit it is linked to, or, while the name has no link, the account
 * whose display name is the name and the members of the unit of that name. ---- */
struct store_followup_detail {
    struct store_followup fu; /* as store_followups lists it (fu.done: status 'done') */
    char *state;              /* the workflow state's name (model/workflow.h) */
    char *state_reason;       /* bortfaldet: why; videresendt: the meeting, in words */
    int64_t person_id;
    int64_t forwarded_to;     /* videresendt: the meeting, else 0 */
    int roles;                /* the reader's roles on the case's bodies */
    bool owner;               /* the reader's account owns it (above) */
};
void store_followup_detail_fini(struct store_followup_detail *d);
/* One follow-up of a case r may see in full (ERR_NOTFOUND otherwise). */
int store_followup_get(struct store *s, int64_t id, const struct reader *r,
                       struct store_followup_detail *out, struct err *e);
/* The case a follow-up belongs to (the web's routing checks roles on that case's bodies). */
int store_followup_case(struct store *s, int64_t id, int64_t *case_id, struct err *e);
/* Takes the workflow step `action` (wf_followup) in one transaction with one ledger event
 * (followup.transition; its detail has the action, the states, the meeting and whether a
 * reason was given: the reason itself, which may speak of a closed case, is kept as
 * state_reason and as a note "Begrundelse: ...", seen only by the case's readers).
 * The sekretær of a body of the case takes any step, the owner those marked WF_OWNER;
 * bortfald needs a reason (ERR_SYNTAX naming "begrundelse"); videresend names meeting_id,
 * another body's meeting that is not yet held (planlagt or dagsorden_frigivet: ERR_CONFLICT
 * otherwise, and for the deciding body's own; ERR_SYNTAX naming "moede" when 0, ERR_NOTFOUND
 * when there is none); the follow-up is then on that meeting's agenda
 * as a note (store_meeting_forwarded). status follows the state ('done' when closed). */
int store_followup_step(struct store *s, int64_t id, const char *action, const char *reason,
                        int64_t meeting_id, const struct store_actor *a, struct err *e);
/* The sekretær edits a follow-up: its owner (a name; a new name becomes a person), its due
 * date (ISO, "" or NULL: none) and its text (NULL: unchanged; "" refused). One event
 * (followup.edit) when anything changed; ERR_SYNTAX naming the field for bad input. */
int store_followup_edit(struct store *s, int64_t id, const char *owner, const char *due,
                        const char *text, const struct store_actor *a, struct err *e);
struct store_followup_note {
    int64_t id;
    char *at;     /* UTC */
    char *author; /* the account's display name */
    char *text;
};
void store_followup_notes_free(struct store_followup_note *v, size_t n);
/* A progress note by the actor (the sekretær or the owner; ERR_DENIED otherwise), one event
 * (followup.note). ERR_SYNTAX naming "note" when blank, ERR_LIMIT past 4000 bytes. */
int store_followup_note_add(struct store *s, int64_t id, const char *text,
                            const struct store_actor *a, int64_t *note_id, struct err *e);
/* The notes of a follow-up r may see, oldest first (at most STORE_PAGE_MAX). */
int store_followup_notes(struct store *s, int64_t id, const struct reader *r,
                         struct store_followup_note **v, size_t *n, struct err *e);
/* The follow-ups handed to meeting_id (videresendt there) that r may see, in order. */
int store_meeting_forwarded(struct store *s, int64_t meeting_id, const struct reader *r,
                            struct store_followup **v, size_t *n, struct err *e);
/* "Mine opfølgninger": the follow-ups account_id owns (above) that r may see, by due date
 * (none last) then id, paged in SQL. */
int store_followups_mine(struct store *s, int64_t account_id, enum store_status status,
                         const struct reader *r, const struct store_page *pg,
                         struct store_followup **v, size_t *n, size_t *total, struct err *e);
/* Units: administrators add them and their members (one event each). */
struct store_unit {
    int64_t id;
    char *name;
    struct store_account_ref *members; /* by name */
    size_t nmembers;
};
void store_units_free(struct store_unit *v, size_t n);
int store_unit_add(struct store *s, const char *name, const struct store_actor *a, int64_t *id,
                   struct err *e);
int store_units(struct store *s, const struct store_page *pg, struct store_unit **v, size_t *n,
                size_t *total, struct err *e);
/* Adds (add) or removes the account login from the unit; ERR_NOTFOUND for either unknown. */
int store_unit_member(struct store *s, int64_t unit_id, const char *login, bool add,
                      const struct store_actor *a, struct err *e);
/* The owner names of follow-ups with their link and what referat proposes for an unlinked
 * one: the account whose display name is the name, else the unit of that name. */
struct store_person_link {
    int64_t person_id;
    char *name;
    int64_t account_id, unit_id;   /* the link; both 0 when none */
    char *linked;                  /* the linked account's or unit's name */
    int64_t propose_account, propose_unit;
    char *proposed;
};
void store_person_links_free(struct store_person_link *v, size_t n);
int store_person_links(struct store *s, const struct store_page *pg,
                       struct store_person_link **v, size_t *n, size_t *total, struct err *e);
/* Links person_id to an account or a unit (exactly one not 0), or unlinks (both 0). The
 * administrator; one event (person.link). */
int store_person_link_set(struct store *s, int64_t person_id, int64_t account_id,
                          int64_t unit_id, const struct store_actor *a, struct err *e);
/* The meetings follow-up id may be handed to: those not yet held (planlagt or
 * dagsorden_frigivet) of every body but the one that decided it, soonest first (the
 * sekretær's choice on the form). */
struct store_forward_target {
    int64_t id;
    char *body;      /* code */
    char *body_name;
    char *date;
};
void store_forward_targets_free(struct store_forward_target *v, size_t n);
int store_forward_targets(struct store *s, int64_t id, const struct store_page *pg,
                          struct store_forward_target **v, size_t *n, struct err *e);
/* ---- end issue 10, followups ---- */

#endif
