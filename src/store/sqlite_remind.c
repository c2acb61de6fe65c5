/* sqlite_remind: the follow-up reminders' bookkeeping (table reminder, schema step 10) and a
 * body's control list, on SQLite (issue 10, remind). */
#include "store_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reminders ---- */

static bool tools_only(struct store *s, const struct store_actor *a, struct err *e, int *rc)
{
    if (a && a->reader && a->reader->all)
        return true;
    *rc = fail(s, e, ERR_DENIED, "only the archive's own tools send reminders");
    return false;
}

static void read_reminder(sqlite3_stmt *st, void *elem)
{
    struct store_reminder *r = elem;
    r->followup_id = sqlite3_column_int64(st, 0);
    r->kind = col_str(st, 1);
    r->due = col_str(st, 2);
    r->text = col_str(st, 3);
    r->owner = col_str(st, 4);
    r->accounts = (size_t)sqlite3_column_int64(st, 5);
    if (r->accounts == 1) {
        r->email = col_str(st, 6);
        r->account_id = sqlite3_column_int64(st, 7);
    }
    r->body = col_str(st, 8);
    r->body_name = col_str(st, 9);
    r->meeting_date = col_str(st, 10);
    r->case_id = sqlite3_column_int64(st, 11);
    r->case_title = col_str(st, 12);
    r->retry = sqlite3_column_int(st, 13) != 0;
}

void store_reminders_free(struct store_reminder *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        struct store_reminder *r = &v[i];
        free(r->kind);
        free(r->due);
        free(r->text);
        free(r->owner);
        free(r->email);
        free(r->body);
        free(r->body_name);
        free(r->meeting_date);
        free(r->case_title);
    }
    free(v);
}

static void reminders_free(void *v, size_t n)
{
    store_reminders_free(v, n);
}

static const struct rowtype reminder_rows = {sizeof(struct store_reminder), "listing reminders",
                                             read_reminder, reminders_free};

/* The owner's accounts: enabled, with an address, and owning the person as "Mine
 * opfølgninger" says (its link to an account or a unit, or else its name). */
#define OWNER_ACCOUNTS                                                                       \
    "FROM account a WHERE a.disabled = 0 AND coalesce(a.email, '') <> '' AND "               \
    FOLLOWUP_OWNS("p.id", "a.id")
/* A follow-up more than this many days past its due date gets no notice: an archive brought
 * in from its history holds thousands of old open promises, and the first run would mail
 * them all. The window still covers a timer that was off for a few weeks. */
#define REMIND_LATE_DAYS "30"
/* The kind of notice a follow-up due f.due gets on ?1. */
#define KIND "(CASE WHEN f.due < ?1 THEN 'overskredet' ELSE 'frist' END)"

static const char sql_due[] =
    "SELECT f.id, coalesce(r.kind, " KIND "), f.due, CASE WHEN c.public THEN f.text END, "
    "p.name, (SELECT count(*) " OWNER_ACCOUNTS ") AS accounts, "
    "(SELECT a.email " OWNER_ACCOUNTS " ORDER BY a.id LIMIT 1), "
    "(SELECT a.id " OWNER_ACCOUNTS " ORDER BY a.id LIMIT 1), "
    "b.code, b.name, d.date, c.id, CASE WHEN c.public THEN c.title "
    "ELSE coalesce(c.public_title, c.title) END, r.state IS NOT NULL "
    "FROM followup f JOIN person p ON p.id = f.person_id JOIN \"case\" c ON c.id = f.case_id "
    "LEFT JOIN entry en ON en.id = f.entry_id "
    /* issue 10, flat follow-ups: the decision is the entry's or the follow-up's own */
    "LEFT JOIN decision d ON d.id = coalesce(en.decision_id, f.decision_id) "
    "LEFT JOIN meeting m ON m.id = d.meeting_id LEFT JOIN body b ON b.id = m.body_id "
    "LEFT JOIN reminder r ON r.followup_id = f.id AND r.day = ?1 "
    "WHERE f.status = 'open' AND f.due >= date(?1, '-" REMIND_LATE_DAYS " days') "
    "AND f.due <= date(?1, '+' || coalesce((SELECT CAST(bs.value AS INTEGER) FROM body_setting bs "
    "WHERE bs.body_id = b.id AND bs.key = 'followup.remind_days'), ?2) || ' days') "
    "AND (r.state = 'sender' OR (r.state IS NULL AND NOT EXISTS (SELECT 1 FROM reminder r2 "
    "WHERE r2.followup_id = f.id AND r2.kind = " KIND "))) "
    "ORDER BY accounts = 1 DESC, f.due, f.id LIMIT ?3";

int store_reminders_due(struct store *s, const char *today, const struct store_actor *a,
                        struct store_reminder **v, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    void *out;
    int rc = 0;
    if (!tools_only(s, a, e, &rc))
        return rc;
    const struct store_setting_def *d = store_body_setting_def("followup.remind_days");
    /* An earlier day's unsent claim: that run crashed; today's notice is worked out afresh. */
    if ((rc = write_begin(s, e, "dropping unsent reminders")) == 0 &&
        (rc = stmt(s, "DELETE FROM reminder WHERE state = 'sender' AND day < ?1", &st, e)) == 0) {
        bind_str(st, 1, today);
        rc = run(s, st, e, "dropping unsent reminders");
    }
    if (rc == 0)
        rc = write_commit(s, e, "dropping unsent reminders");
    else
        rollback(s);
    if (rc < 0)
        return rc;
    if ((rc = read_begin(s, e)) == 0 && (rc = stmt(s, sql_due, &st, e)) == 0) {
        bind_str(st, 1, today);
        sqlite3_bind_int(st, 2, d && d->def ? atoi(d->def) : 7);
        sqlite3_bind_int(st, 3, STORE_PAGE_MAX);
        if ((rc = collect(s, st, &reminder_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}

int store_reminder_claim(struct store *s, const struct store_reminder *r, const char *today,
                         const struct store_actor *a, bool *claimed, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char now[21];
    bool row = false, mine = false;
    int rc = 0;
    if (!tools_only(s, a, e, &rc))
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "claiming a reminder")) < 0)
        return rc;
    if ((rc = stmt(s, "SELECT state = 'sender' FROM reminder WHERE followup_id = ?1 AND day = ?2",
                   &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, r->followup_id);
        bind_str(st, 2, today);
        if ((rc = next_row(s, st, &row, e, "claiming a reminder")) == 0 && row)
            mine = r->retry && sqlite3_column_int(st, 0) != 0;
        fin(st);
    }
    if (rc == 0 && !row &&
        (rc = stmt(s, "INSERT INTO reminder (followup_id, day, kind, state, account_id, "
                      "claimed_at) VALUES (?1, ?2, ?3, 'sender', ?4, ?5)", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, r->followup_id);
        bind_str(st, 2, today);
        bind_str(st, 3, r->kind);
        bind_id(st, 4, r->account_id);
        bind_str(st, 5, now);
        rc = run(s, st, e, "claiming a reminder");
        mine = true;
    }
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    if ((rc = write_commit(s, e, "claiming a reminder")) == 0)
        *claimed = mine;
    return rc;
}

int store_reminder_sent(struct store *s, const struct store_reminder *r, const char *today,
                        const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    char now[21], object[40], detail[96];
    int rc = 0;
    if (!tools_only(s, a, e, &rc))
        return rc;
    store_now(now);
    if ((rc = write_begin(s, e, "recording a reminder")) < 0)
        return rc;
    if ((rc = stmt(s, "UPDATE reminder SET state = 'sendt', sent_at = ?3 WHERE followup_id = ?1 "
                      "AND day = ?2 AND state = 'sender'", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, r->followup_id);
        bind_str(st, 2, today);
        bind_str(st, 3, now);
        rc = run(s, st, e, "recording a reminder");
    }
    if (rc == 0 && sqlite3_changes(s->db) != 1)
        rc = fail(s, e, ERR_CONFLICT, "the reminder of follow-up %lld on %s was not claimed",
                  (long long)r->followup_id, today);
    if (rc == 0) {
        snprintf(object, sizeof object, "followup:%lld", (long long)r->followup_id);
        /* The kind and the day only: the address is the account's business. */
        snprintf(detail, sizeof detail, "{\"kind\":\"%s\",\"day\":\"%s\",\"due\":\"%s\"}",
                 strcmp(r->kind, "frist") == 0 ? "frist" : "overskredet", today,
                 r->due ? r->due : "");
        struct event ev = {.action = "followup.remind", .object = object, .detail = detail};
        rc = ledger_append(s, a, &ev, NULL, e);
    }
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    return write_commit(s, e, "recording a reminder");
}

int store_reminder_release(struct store *s, const struct store_reminder *r, const char *today,
                           const struct store_actor *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (!tools_only(s, a, e, &rc))
        return rc;
    if ((rc = write_begin(s, e, "releasing a reminder")) < 0)
        return rc;
    if ((rc = stmt(s, "DELETE FROM reminder WHERE followup_id = ?1 AND day = ?2 "
                      "AND state = 'sender'", &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, r->followup_id);
        bind_str(st, 2, today);
        rc = run(s, st, e, "releasing a reminder");
    }
    if (rc < 0) {
        rollback(s);
        return rc;
    }
    return write_commit(s, e, "releasing a reminder");
}

int store_reminders_sent(struct store *s, const char *day, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    bool found = false;
    int rc = stmt(s, "SELECT count(*) FROM reminder WHERE day = ?1 AND state = 'sendt'", &st, e);
    if (rc < 0)
        return rc;
    bind_str(st, 1, day);
    if ((rc = one_int(s, st, &v, &found, e, "counting reminders")) == 0)
        *n = (size_t)v;
    return rc;
}

/* ---- the control list ---- */

static void read_control(sqlite3_stmt *st, void *elem)
{
    struct store_control_row *c = elem;
    c->followup_id = sqlite3_column_int64(st, 0);
    c->case_id = sqlite3_column_int64(st, 1);
    c->case_title = col_str(st, 2);
    c->owner = col_str(st, 3);
    c->role = col_str(st, 4);
    c->text = col_str(st, 5);
    c->decision = col_str(st, 6);
    c->meeting_date = col_str(st, 7);
    c->due = col_str(st, 8);
    c->state = col_str(st, 9);
    c->state_reason = col_str(st, 10);
    c->done_at = col_str(st, 11);
    c->delay = sqlite3_column_int(st, 12);
}

void store_control_rows_free(struct store_control_row *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        struct store_control_row *c = &v[i];
        free(c->case_title);
        free(c->owner);
        free(c->role);
        free(c->text);
        free(c->decision);
        free(c->meeting_date);
        free(c->due);
        free(c->state);
        free(c->state_reason);
        free(c->done_at);
    }
    free(v);
}

static void control_free(void *v, size_t n)
{
    store_control_rows_free(v, n);
}

static const struct rowtype control_rows = {sizeof(struct store_control_row),
                                            "listing the control list", read_control,
                                            control_free};

/* The body's meetings (meeting_body_date_start), their decisions (decision_meeting), entries
 * and follow-ups (followup_entry), and (issue 10, flat follow-ups) the follow-ups of a
 * decision without entries (followup_decision): only the body's rows are walked, then sorted
 * by due date. ?1 body id, ?2 from, ?3 to, ?9 the reader. */
#define CONTROL_FROM                                                                         \
    "FROM meeting m JOIN decision d ON d.meeting_id = m.id LEFT JOIN entry en "              \
    "ON en.decision_id = d.id JOIN followup f ON (f.entry_id = en.id OR "                    \
    "(en.id IS NULL AND f.decision_id = d.id)) "                                             \
    "JOIN \"case\" c ON c.id = f.case_id JOIN person p ON p.id = f.person_id "               \
    "WHERE m.body_id = ?1 AND f.due IS NOT NULL AND (?2 IS NULL OR f.due >= ?2) "            \
    "AND (?3 IS NULL OR f.due <= ?3) AND " FOLLOWUP_FULL("c", "?9")

static const char sql_control_count[] = COUNT_CAPPED(CONTROL_FROM);
static const char sql_control_list[] =
    "SELECT f.id, c.id, " CASE_TITLE("c", "?9") ", p.name, f.role, f.text, en.title, d.date, "
    "f.due, f.state, f.state_reason, f.done_at, max(0, CAST(julianday(CASE WHEN "
    "f.status = 'done' THEN substr(f.done_at, 1, 10) ELSE ?4 END) - julianday(f.due) AS "
    "INTEGER)) " CONTROL_FROM " ORDER BY f.due, f.id LIMIT ?6 OFFSET ?7";

int store_control_list(struct store *s, const char *body_code, const char *from,
                       const char *to, const char *today, const struct reader *r,
                       const struct store_page *pg, struct store_control_row **v, size_t *n,
                       size_t *total, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t body = 0;
    void *out;
    int rc = read_begin(s, e);
    if (rc == 0 && (rc = body_id_of(s, body_code, &body, e)) == 0 && !body)
        rc = notfound(s, e, "no body with code %s", body_code);
    if (rc == 0 && total && (rc = stmt(s, sql_control_count, &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body);
        bind_str(st, 2, from);
        bind_str(st, 3, to);
        bind_reader(st, 9, r);
        rc = count_rows(s, st, total, e);
    }
    if (rc == 0 && (rc = stmt(s, sql_control_list, &st, e)) == 0) {
        sqlite3_bind_int64(st, 1, body);
        bind_str(st, 2, from);
        bind_str(st, 3, to);
        bind_str(st, 4, today);
        bind_reader(st, 9, r);
        bind_page_capped(st, 6, 7, pg);
        if ((rc = collect(s, st, &control_rows, &out, n, e)) == 0)
            *v = out;
    }
    read_end(s);
    return rc;
}
