/* sqlite_sdg: the verdensmål of cases and sub-items (table case_sdg, schema 009_sdg.sql) and
 * a body's yearly report (store.h, issue 10, sdg; docs/sdg.md). */
#include "store_sqlite.h"
#include "../model/sdg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the goals in the case's rows ---- */

static int put_goals(struct store *s, int64_t case_id, size_t subitem, uint32_t set, struct err *e)
{
    int rc = 0;
    for (unsigned g = 1; g <= SDG_COUNT && rc == 0; g++) {
        if (!(set & SDG_BIT(g)))
            continue;
        sqlite3_stmt *st;
        if ((rc = stmt(s, "INSERT INTO case_sdg (case_id, subitem, goal) VALUES (?1, ?2, ?3)", &st,
                       e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, case_id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)subitem);
        sqlite3_bind_int(st, 3, (int)g);
        rc = run(s, st, e, "storing the verdensmål");
    }
    return rc;
}

int sdg_case_put(struct store *s, int64_t case_id, const struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    int rc = stmt(s, "DELETE FROM case_sdg WHERE case_id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = run(s, st, e, "storing the verdensmål")) < 0)
        return rc;
    rc = put_goals(s, case_id, 0, c->sdg, e);
    for (size_t i = 0; i < c->nsubitems && rc == 0; i++)
        rc = put_goals(s, case_id, i + 1, c->subitems[i].sdg, e);
    return rc;
}

int sdg_case_load(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int rc = stmt(s, "SELECT subitem, goal FROM case_sdg WHERE case_id = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    c->sdg = 0;
    for (size_t i = 0; i < c->nsubitems; i++)
        c->subitems[i].sdg = 0;
    while ((rc = next_row(s, st, &row, e, "reading the verdensmål")) == 0 && row) {
        int64_t sub = sqlite3_column_int64(st, 0);
        int g = sqlite3_column_int(st, 1);
        if (g < 1 || g > (int)SDG_COUNT)
            continue;
        if (sub == 0)
            c->sdg |= SDG_BIT(g);
        else if (sub > 0 && (size_t)sub <= c->nsubitems)
            c->subitems[sub - 1].sdg |= SDG_BIT(g);
    }
    fin(st);
    return rc;
}

/* ---- the yearly report ---- */

void store_sdg_report_fini(struct store_sdg_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->ncases; i++) {
        free(rep->cases[i].title);
        free(rep->cases[i].date);
    }
    free(rep->cases);
    free(rep->body_code);
    free(rep->body_name);
    memset(rep, 0, sizeof *rep);
}

static void read_case(sqlite3_stmt *st, void *elem)
{
    struct store_sdg_case *c = elem;
    c->id = sqlite3_column_int64(st, 0);
    c->title = col_str(st, 1);
    c->date = col_str(st, 2);
    const char *goals = (const char *)sqlite3_column_text(st, 3);
    for (const char *p = goals ? goals : ""; *p;) {
        unsigned g = (unsigned)strtoul(p, (char **)&p, 10);
        if (g >= 1 && g <= SDG_COUNT)
            c->goals |= SDG_BIT(g);
        while (*p == ',')
            p++;
    }
    c->decisions = (unsigned)sqlite3_column_int(st, 4);
    c->followups_open = (unsigned)sqlite3_column_int(st, 5);
    c->followups_done = (unsigned)sqlite3_column_int(st, 6);
    c->followups_other = (unsigned)sqlite3_column_int(st, 7);
}

static void free_cases(void *v, size_t n)
{
    struct store_sdg_case *c = v;
    for (size_t i = 0; i < n; i++) {
        free(c[i].title);
        free(c[i].date);
    }
    free(v);
}

static const struct rowtype case_row = {sizeof(struct store_sdg_case), "listing the verdensmål",
                                        read_case, free_cases};

int store_sdg_report(struct store *s, const char *body_code, int year, const struct reader *r,
                     struct store_sdg_report *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (year < 1000 || year > 9999)
        return fail(s, e, ERR_USAGE, "år: expected a year from 1000 to 9999");
    struct store_body b = {0};
    int rc = store_body_get(s, body_code, &b, e);
    if (rc < 0)
        return rc;
    char from[16], to[16], y[8];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-01-01", year + 1);
    snprintf(y, sizeof y, "%04d", year);
    sqlite3_stmt *st;
    /* The year's cases by the date index, then theirs of the body with goals (a body's
     * cases of every year would be the bigger walk); one more than the bound tells that
     * there are more. */
    if ((rc = stmt(s,
                   "SELECT c.id, c.title, c.date, "
                   "(SELECT group_concat(goal) FROM (SELECT DISTINCT goal FROM case_sdg "
                   "WHERE case_id = c.id)), "
                   "(SELECT count(*) FROM decision d WHERE d.case_id = c.id AND "
                   "substr(d.date, 1, 4) = ?5), "
                   "(SELECT count(*) FROM followup f WHERE f.case_id = c.id AND "
                   "f.status = 'open'), "
                   "(SELECT count(*) FROM followup f WHERE f.case_id = c.id AND "
                   "f.status = 'done'), "
                   "(SELECT count(*) FROM followup f WHERE f.case_id = c.id AND "
                   "f.status NOT IN ('open', 'done')) "
                   "FROM \"case\" c WHERE c.date >= ?2 AND c.date < ?3 "
                   "AND EXISTS (SELECT 1 FROM case_body cb WHERE cb.case_id = c.id AND "
                   "cb.body_id = ?1) "
                   "AND EXISTS (SELECT 1 FROM case_sdg g WHERE g.case_id = c.id) AND " CASE_FULL(
                       "c", "?9") " ORDER BY c.date, c.id LIMIT ?4",
                   &st, e)) < 0)
        goto done;
    sqlite3_bind_int64(st, 1, b.id);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, STORE_SDG_MAX + 1);
    sqlite3_bind_text(st, 5, y, -1, SQLITE_TRANSIENT);
    bind_reader(st, 9, r);
    void *v = NULL;
    size_t n = 0;
    if ((rc = collect(s, st, &case_row, &v, &n, e)) < 0)
        goto done;
    out->cases = v;
    out->ncases = n;
    if (n > STORE_SDG_MAX) {
        out->truncated = true;
        free(out->cases[STORE_SDG_MAX].title);
        free(out->cases[STORE_SDG_MAX].date);
        out->ncases = STORE_SDG_MAX;
    }
    out->body_code = b.code;
    out->body_name = b.name;
    b.code = b.name = NULL;
    out->year = year;
done:
    store_body_fini(&b);
    return rc;
}
