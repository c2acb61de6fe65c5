/* store_internal: the rules every backend shares (keys, body codes, re-import matching, the
 * unchanged check, public sources, the ledger's hash, secrets), so a backend holds SQL only. */
#ifndef REFERAT_STORE_INTERNAL_H
#define REFERAT_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/case.h"
#include "../util/err.h"

/* The case key of a source name: its file name without directories and last extension.
 * Returns a heap string. */
char *store_key(const char *name);

/* The short code of a body named in a decision heading when a fixed rule knows it
 * ("Direktionen" -> "DIR"), else NULL. */
const char *store_known_code(const char *name);

/* Hex BLAKE2b-256 of the bytes into out (65 bytes). */
void store_hash(const void *p, size_t n, char out[65]);

/* The current UTC time as "2024-01-05T10:22:31Z" into out (21 bytes), from util/clock. */
void store_now(char out[21]);

/* Re-import: a follow-up stored for the case being replaced keeps its id and status when
 * the new model has one with the same owner, role, text and due date. */
struct store_followup_match {
    int64_t id;
    char *owner, *role, *text, *due;
    bool used;
};
/* The first unused old follow-up f matches (marked used), or NULL. */
struct store_followup_match *store_followup_match(struct store_followup_match *old, size_t n,
                                                  const struct followup *f);
void store_followup_matches_free(struct store_followup_match *v, size_t n);

/* A document is unchanged when its bytes hash to the latest source of the same format. */
bool store_unchanged(const char *latest_hash_same_format, const char *hash);

/* True when source bytes of this format hold nothing the public may not see: its model is
 * its own public view. */
bool store_source_is_public(const char *format, const char *bytes, size_t len);

/* The ledger: the hash of an event is BLAKE2b-256 over its fields, each written as its
 * length, ':', its bytes and ';' (NULL as "-;"), in this order, ending with the previous
 * event's hash. Changing any field, or the order, changes it. */
struct store_event_fields {
    int64_t id;
    const char *at;
    int64_t actor_id;
    const char *actor, *action, *object;
    int before, after;
    const char *client, *detail;
    const char *prev;
};
void store_event_hash(const struct store_event_fields *f, char out[65]);
/* The prev of the first event. */
extern const char store_ledger_genesis[65];

/* Argon2id (crypto_pwhash_str) of password into out (crypto_pwhash_STRBYTES). */
int store_password_hash(const char *password, char *out, struct err *e);
/* True when password matches the stored hash. With hash NULL (an unknown login) the same
 * work is done against a fixed hash, so that the answer takes the same time. */
bool store_password_verify(const char *hash, const char *password);
/* The throttle key of a login name: "name:" and a hash of its lower-case form (so that a
 * password typed into the login field is never stored). */
void store_throttle_key_name(const char *login, char out[80]);

/* A plausible e-mail address: local@domain.tld, no spaces or list separators. */
bool store_email_ok(const char *v);

/* ---- issue 9, publication (sqlite_publication.c) ----
 * A case written in referat shows the public its decisions only once its meeting's minutes
 * are offentliggjort (MINUTES_PUBLIC in store_sqlite.h). Inside the caller's transaction. */
/* *hidden: the public may not read case_id's minutes yet (true for an unknown case). */
int pub_minutes_hidden(struct store *s, int64_t case_id, bool *hidden, struct err *e);
/* Removes the minutes from c (the public's model of case_id) while they are hidden. */
int pub_public_case(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* ERR_CLOSED when src (a source of case_id, for the public) holds minutes still hidden. */
struct store_source;
int pub_public_source(struct store *s, int64_t case_id, const struct store_source *src,
                      struct err *e);
/* The meeting's step from -> to (model/workflow.h states) has been written: publishing and
 * unpublishing re-index its cases. */
int pub_meeting_step(struct store *s, int64_t meeting_id, int from, int to, struct err *e);
/* The levels and public decision of c (case_id's model, saved) beside its rows. */
int pub_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e);
/* Reads them back into c (its rows already loaded, bilag included). */
int pub_case_fields(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* *c is the public's title-only read of a closed case: it becomes the public view by its
 * level (its public decision once the minutes are published). */
int pub_closed_view(struct store *s, int64_t case_id, struct case_doc **c, struct err *e);
/* The help texts of the body's case templates (sqlite_agenda.c, the release guard's). */
int agenda_help_texts(struct store *s, int64_t body_id, char ***v, size_t *n, struct err *e);
/* ---- end issue 9, publication ---- */
/* ---- issue 9, minutes: hooks of sqlite_minutes.c into the store's writes ---- */
struct store;
struct store_actor;
struct store_save;
struct json_t;
/* Inside store_meeting_transition, after the step from `from` to *to: the round's
 * bookkeeping of the minutes' steps (send, approve, return, close, reopen), with its ledger
 * event; one member's approval that is not the last sets *to (and the meeting) back. */
int minutes_meeting_step(struct store *s, int64_t meeting_id, int from, int *to,
                         const char *action, const char *reason, const struct store_actor *a,
                         struct err *e);
/* Inside a save of an existing case (frozen: on approved minutes): approved minutes take only
 * a tillæg (action "case.addition"), minutes out for approval nothing. */
int minutes_save_check(struct store *s, int64_t case_id, bool frozen, const char *action,
                       struct err *e);
/* A new case on a meeting in state: none while its minutes are out for approval. */
int minutes_new_case_check(struct store *s, int64_t meeting_id, const char *state,
                           struct err *e);
/* A case's workflow step: none while its meeting's minutes are out or approved (videresend
 * excepted). */
int minutes_case_step_check(struct store *s, int64_t case_id, const char *action,
                            struct err *e);
/* The tillæg rows of a case's current version (case_addition), written and read with its
 * other parts. */
int minutes_put_additions(struct store *s, int64_t case_id, const struct case_doc *c,
                          struct err *e);
int minutes_load_additions(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* The case save (sqlite_case.c) with its own ledger action and detail (extra, taken). */
int case_save_event(struct store *s, const struct store_save *sv, const struct store_actor *a,
                    const char *action, struct json_t *extra, int64_t *case_id, int *version,
                    struct err *e);
/* ---- end issue 9, minutes ---- */
/* ---- issue 9, live (sqlite_live.c): hooks inside the callers' write transactions ----
 * live_meeting_step: after a meeting's workflow step from state `from` to `to` (wf_meeting
 * indices): `start` stamps the first row's start, `afslut` the current row's end and writes
 * the actual times into the cases' models (a new version each, case.save). live_case_put /
 * live_case_load: a case's sub-items' actual times, written after its rows (case save) and
 * read with them (load_case). */
struct store;
struct store_actor;
int live_meeting_step(struct store *s, int64_t meeting_id, int from, int to,
                      const struct store_actor *a, struct err *e);
int live_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e);
int live_case_load(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* ---- end issue 9, live ---- */

/* ---- issue 10, sdg (sqlite_sdg.c): a case's goals (case and sub-items) as rows of
 * case_sdg, written with its parts (put_case, inside the caller's transaction) and read with
 * them (load_case, only where the reader sees the whole case) ---- */
int sdg_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e);
int sdg_case_load(struct store *s, int64_t case_id, struct case_doc *c, struct err *e);
/* ---- end issue 10, sdg ---- */

/* ---- issue 10, notices (sqlite_notice.c): inside store_meeting_transition, after the step
 * from `from` to `to` (wf_meeting indices): the release queues an "agenda" notice and the
 * publication a "minutes" notice for every confirmed subscription of the meeting's body that
 * asked for it, once per meeting ---- */
int notice_meeting_step(struct store *s, int64_t meeting_id, int from, int to, struct err *e);
/* ---- end issue 10, notices ---- */

#endif
