/* test_remind: the reminders' bookkeeping in the archive (issue 10, remind; sqlite_remind.c):
 * what is due on a day by the body's followup.remind_days, the owner's address found by the
 * account's display name (none, one, several), claim / sent / release and the key (followup,
 * day), a crash's claim retried the same day and dropped on a later one, the ledger event,
 * the tools-only rule; the control list's rows, period and delays; CSV fields (RFC 4180) and
 * the day arithmetic. */
#include "test.h"
#include "store_fixture.h"
#include "format/format.h"
#include "model/case.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/date.h"

#include <unistd.h>

static struct store *fresh(void)
{
    return fixture_fresh("remind");
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};

/* Four follow-ups of a DIR decision: Anna (one account) due 03-10 and 03-20, Bo (two
 * accounts of that name) due 03-12, the unit Sekretariatet (none) due 03-11. */
static const char imported[] =
    "{\"format\": \"referat-case/1\", \"title\": \"Budget\", \"public\": true,\n"
    " \"decisions\": [{\"body\": \"Direktionen\", \"date\": \"2030-01-10\", \"text\": \"B.\",\n"
    "  \"entries\": [{\"title\": \"Budgetopfølgning\", \"subitem\": null, \"text\": \"G.\",\n"
    "   \"followups\": [\n"
    "    {\"owner\": \"Anna Berg\", \"role\": null, \"text\": \"Første\",\n"
    "     \"due\": \"2030-03-10\"},\n"
    "    {\"owner\": \"Sekretariatet\", \"role\": null, \"text\": \"Anden\",\n"
    "     \"due\": \"2030-03-11\"},\n"
    "    {\"owner\": \"Bo Dam\", \"role\": null, \"text\": \"Tredje\", \"due\": \"2030-03-12\"},\n"
    "    {\"owner\": \"Anna Berg\", \"role\": null, \"text\": \"Fjerde\", \"due\": \"2030-03-20\"}"
    "], \"dates\": []}]}]}\n";

static struct store_reminder *find(struct store_reminder *v, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].text && strcmp(v[i].text, text) == 0)
            return &v[i];
    return NULL;
}

static size_t due_on(struct store *s, const char *day, struct store_reminder **v)
{
    struct err e = {0};
    size_t n = 0;
    *v = NULL;
    CHECK_INT(store_reminders_due(s, day, &tools, v, &n, &e), 0);
    return n;
}

static void test_reminders(void)
{
    struct store *s = fresh();
    CHECK(s != NULL);
    if (!s)
        return;
    struct err e = {0};
    int64_t id = 0;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &id, &e), 0);
    struct case_doc *model = NULL;
    struct warnings w = {0};
    CHECK_INT(fmt_read(&fmt_read_json, imported, strlen(imported), 0, &model, &e, &w), 0);
    struct store_doc d = {"budget.json", "json", imported, strlen(imported), model};
    enum store_outcome out;
    CHECK_INT(store_import(s, &d, &tools, &out, NULL, &e), 0);
    case_free(model);
    warnings_fini(&w);
    const char *pw = "en lang adgangskode";
    CHECK_INT(store_account_add(s, "anna", "Anna Berg", "anna@example.dk", false, pw, &tools,
                                &id, &e), 0);
    CHECK_INT(store_account_add(s, "bo1", "Bo Dam", "bo@example.dk", false, pw, &tools, &id,
                                &e), 0);
    int64_t bo2_id = 0;
    CHECK_INT(store_account_add(s, "bo2", "Bo Dam", "bo2@example.dk", false, pw, &tools,
                                &bo2_id, &e), 0);

    /* 2030-03-01: the default 7 days reach 03-08: nothing. */
    struct store_reminder *v = NULL;
    CHECK_INT(due_on(s, "2030-03-01", &v), 0);
    store_reminders_free(v, 0);
    /* 03-04 reaches 03-11: Anna's first (frist) and the unit's (no address). */
    size_t n = due_on(s, "2030-03-04", &v);
    CHECK_INT(n, 2);
    struct store_reminder *a = find(v, n, "Første"), *u = find(v, n, "Anden");
    CHECK(a && u);
    int64_t first = a ? a->followup_id : 0;
    if (a && u) {
        CHECK_STR(a->kind, "frist");
        CHECK_STR(a->email, "anna@example.dk");
        CHECK_INT(a->accounts, 1);
        CHECK_STR(a->body, "DIR");
        CHECK_STR(u->email, NULL);
        CHECK_INT(u->accounts, 0);
        bool claimed = false;
        CHECK_INT(store_reminder_claim(s, a, "2030-03-04", &tools, &claimed, &e), 0);
        CHECK(claimed);
        /* A second claim of the same day is refused (the key is (followup, day)). */
        struct store_reminder b = *a;
        b.retry = false;
        claimed = true;
        CHECK_INT(store_reminder_claim(s, &b, "2030-03-04", &tools, &claimed, &e), 0);
        CHECK(!claimed);
        CHECK_INT(store_reminder_sent(s, a, "2030-03-04", &tools, &e), 0);
        /* Recording twice is a conflict, not a second event. */
        CHECK_INT(store_reminder_sent(s, a, "2030-03-04", &tools, &e), ERR_CONFLICT);
    }
    store_reminders_free(v, n);
    size_t sent = 0;
    CHECK_INT(store_reminders_sent(s, "2030-03-04", &sent, &e), 0);
    CHECK_INT(sent, 1);
    /* The same day again: only the unit (reported every day), not Anna. */
    n = due_on(s, "2030-03-04", &v);
    CHECK_INT(n, 1);
    CHECK(find(v, n, "Første") == NULL);
    store_reminders_free(v, n);

    /* 03-05 reaches 03-12: Bo has two accounts: no address, accounts 2. A failed send of
     * Anna's? She had her frist: nothing for her until the due date passes. */
    n = due_on(s, "2030-03-05", &v);
    struct store_reminder *bo = find(v, n, "Tredje");
    CHECK(bo && bo->email == NULL && bo->accounts == 2);
    CHECK(find(v, n, "Første") == NULL);
    store_reminders_free(v, n);
    /* The administrator links the name to one of them (units and links, issue 10): that
     * account is the owner, whatever the display names say. */
    CHECK_INT(store_person_link_set(s, fixture_count(s, "SELECT id FROM person WHERE name = "
                                                       "'Bo Dam'"),
                                    bo2_id, 0, &tools, &e), 0);
    n = due_on(s, "2030-03-05", &v);
    bo = find(v, n, "Tredje");
    CHECK(bo != NULL);
    if (bo) {
        CHECK_INT(bo->accounts, 1);
        CHECK_STR(bo->email, "bo2@example.dk");
    }
    store_reminders_free(v, n);

    /* 03-11: Anna's first is overdue; claimed, then the relay failed: released, and due
     * again the same day. */
    n = due_on(s, "2030-03-11", &v);
    a = find(v, n, "Første");
    CHECK(a && strcmp(a->kind, "overskredet") == 0);
    if (a) {
        bool claimed = false;
        CHECK_INT(store_reminder_claim(s, a, "2030-03-11", &tools, &claimed, &e), 0);
        CHECK(claimed);
        CHECK_INT(store_reminder_release(s, a, "2030-03-11", &tools, &e), 0);
    }
    store_reminders_free(v, n);
    n = due_on(s, "2030-03-11", &v);
    a = find(v, n, "Første");
    CHECK(a && !a->retry);
    /* Claimed and then the run died: the same day's next run retries it... */
    if (a) {
        bool claimed = false;
        CHECK_INT(store_reminder_claim(s, a, "2030-03-11", &tools, &claimed, &e), 0);
        CHECK(claimed);
    }
    store_reminders_free(v, n);
    n = due_on(s, "2030-03-11", &v);
    a = find(v, n, "Første");
    CHECK(a && a->retry && strcmp(a->kind, "overskredet") == 0);
    if (a) {
        bool claimed = false;
        CHECK_INT(store_reminder_claim(s, a, "2030-03-11", &tools, &claimed, &e), 0);
        CHECK(claimed);
    }
    store_reminders_free(v, n);
    /* ... and a later day's run drops it and works the notice out afresh. */
    n = due_on(s, "2030-03-12", &v);
    a = find(v, n, "Første");
    CHECK(a && !a->retry && strcmp(a->kind, "overskredet") == 0);
    store_reminders_free(v, n);
    CHECK_INT(store_reminders_sent(s, "2030-03-11", &sent, &e), 0);
    CHECK_INT(sent, 0);

    /* A body's followup.remind_days: 0 reaches only the day itself. */
    const char *key = "followup.remind_days";
    CHECK_INT(store_body_setting_set(s, "DIR", key, "0", &tools, &e), 0);
    n = due_on(s, "2030-03-19", &v);
    CHECK(find(v, n, "Fjerde") == NULL);
    store_reminders_free(v, n);
    n = due_on(s, "2030-03-20", &v);
    CHECK(find(v, n, "Fjerde") != NULL);
    store_reminders_free(v, n);
    CHECK_INT(store_body_setting_set(s, "DIR", key, "366", &tools, &e), ERR_USAGE);

    /* A closed follow-up gets nothing. */
    struct store_followup_filter f = {.owner = "Anna Berg"};
    struct store_followup *fv = NULL;
    size_t fn = 0;
    CHECK_INT(store_followups(s, &f, &reader_all, NULL, &fv, &fn, NULL, &e), 0);
    for (size_t i = 0; i < fn; i++)
        CHECK_INT(store_followup_done(s, fv[i].id, "Anna", "2030-03-22T10:00:00Z", &tools, NULL,
                                      &e), 0);
    store_followups_free(fv, fn);
    n = due_on(s, "2030-03-23", &v);
    CHECK(find(v, n, "Første") == NULL && find(v, n, "Fjerde") == NULL);
    store_reminders_free(v, n);

    /* Only the archive's own tools. */
    static const struct reader staff = {0};
    static const struct store_actor person = {1, "anna", NULL, &staff};
    v = NULL;
    n = 0;
    CHECK_INT(store_reminders_due(s, "2030-03-23", &person, &v, &n, &e), ERR_DENIED);
    CHECK_INT(store_reminders_due(s, "2030-03-23", NULL, &v, &n, &e), ERR_DENIED);

    /* The ledger holds the sent reminder, without the address. */
    struct store_event *ev = NULL;
    size_t nev = 0;
    char object[40];
    snprintf(object, sizeof object, "followup:%lld", (long long)first);
    CHECK_INT(store_events(s, object, &reader_all, NULL, &ev, &nev, NULL, &e), 0);
    size_t reminds = 0;
    for (size_t i = 0; i < nev; i++)
        if (strcmp(ev[i].action, "followup.remind") == 0) {
            reminds++;
            CHECK(ev[i].detail && !strstr(ev[i].detail, "@"));
        }
    CHECK_INT(reminds, 1);
    store_events_free(ev, nev);

    /* The control list: DIR's four, by due date; delay to today or to the day closed. */
    struct store_control_row *cv = NULL;
    size_t cn = 0, total = 0;
    CHECK_INT(store_control_list(s, "DIR", "2030-03-11", "2030-03-20", "2030-03-25", &reader_all,
                                 NULL, &cv, &cn, &total, &e), 0);
    CHECK_INT(cn, 3);
    CHECK_INT(total, 3);
    if (cn == 3) {
        CHECK_STR(cv[0].text, "Anden");
        CHECK_INT(cv[0].delay, 14); /* open, 03-11 to 03-25 */
        CHECK_STR(cv[0].state, "aaben");
        CHECK_STR(cv[0].decision, "Budgetopfølgning");
        CHECK_STR(cv[2].text, "Fjerde");
        CHECK_INT(cv[2].delay, 2); /* closed 03-22, due 03-20 */
        CHECK_STR(cv[2].state, "udfoert");
    }
    store_control_rows_free(cv, cn);
    CHECK_INT(store_control_list(s, "DIR", NULL, NULL, "2030-03-25", &reader_all, NULL, &cv,
                                 &cn, NULL, &e), 0);
    CHECK_INT(cn, 4);
    if (cn == 4)
        CHECK_INT(cv[0].delay, 12); /* closed 03-22, due 03-10 */
    store_control_rows_free(cv, cn);
    cv = NULL;
    CHECK_INT(store_control_list(s, "NIX", NULL, NULL, "2030-03-25", &reader_all, NULL, &cv,
                                 &cn, NULL, &e), ERR_NOTFOUND);
    store_close(s);
    unlink(dbpath);
}

/* ---- issue 10, flat follow-ups: a decision without entries has follow-ups of its own; the
 * reminders and the control list find its body through the decision itself. ---- */
static const char flat_case[] =
    "{\"format\": \"referat-case/1\", \"title\": \"Plan\", \"public\": true,\n"
    " \"decisions\": [{\"body\": \"Direktionen\", \"date\": \"2030-01-10\", \"text\": \"B.\",\n"
    "  \"entries\": [{\"title\": \"Punkt\", \"subitem\": null, \"text\": \"G.\",\n"
    "   \"followups\": [{\"owner\": \"Anna Berg\", \"text\": \"Posten\", \"due\": "
    "\"2030-03-11\"}]}]},\n"
    "  {\"body\": \"Direktionen\", \"date\": \"2030-02-10\", \"text\": \"Godkendt.\",\n"
    "   \"followups\": [{\"owner\": \"Anna Berg\", \"text\": \"Beslutningen\", \"due\": "
    "\"2030-03-12\"}]}]}\n";

static void test_decision_followups(void)
{
    struct store *s = fresh();
    CHECK(s != NULL);
    if (!s)
        return;
    struct err e = {0};
    int64_t id = 0;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &id, &e), 0);
    struct case_doc *model = NULL;
    struct warnings w = {0};
    CHECK_INT(fmt_read(&fmt_read_json, flat_case, strlen(flat_case), 0, &model, &e, &w), 0);
    CHECK(model && model->ndecisions == 2 && model->decisions[1].nfollowups == 1);
    struct store_doc d = {"plan.json", "json", flat_case, strlen(flat_case), model};
    enum store_outcome out;
    CHECK_INT(store_import(s, &d, &tools, &out, NULL, &e), 0);
    case_free(model);
    warnings_fini(&w);
    struct store_reminder *v = NULL;
    size_t n = due_on(s, "2030-03-05", &v);
    CHECK_INT(n, 2);
    struct store_reminder *r = find(v, n, "Beslutningen");
    CHECK(r != NULL);
    if (r)
        CHECK_STR(r->body, "DIR");
    store_reminders_free(v, n);
    struct store_control_row *cv = NULL;
    size_t cn = 0, total = 0;
    CHECK_INT(store_control_list(s, "DIR", NULL, NULL, "2030-03-25", &reader_all, NULL, &cv,
                                 &cn, &total, &e), 0);
    CHECK_INT(cn, 2);
    CHECK_INT(total, 2);
    if (cn == 2) {
        CHECK_STR(cv[0].text, "Posten");
        CHECK_STR(cv[0].decision, "Punkt");
        CHECK_STR(cv[1].text, "Beslutningen");
        CHECK_STR(cv[1].decision, NULL);
        CHECK_STR(cv[1].meeting_date, "2030-02-10");
    }
    store_control_rows_free(cv, cn);
    store_close(s);
    unlink(dbpath);
}
/* ---- end issue 10, flat follow-ups ---- */

static void test_csv(void)
{
    struct buf b = BUF_INIT;
    csv_field(&b, "enkel");
    csv_sep(&b);
    csv_field(&b, "med, komma");
    csv_sep(&b);
    csv_field(&b, "\"citat\"");
    csv_sep(&b);
    csv_field(&b, "linje\nskift");
    csv_sep(&b);
    csv_field(&b, NULL);
    csv_sep(&b);
    csv_field(&b, "Ærø");
    csv_row_end(&b);
    CHECK_STR(buf_cstr(&b), "enkel,\"med, komma\",\"\"\"citat\"\"\",\"linje\nskift\",,Ærø\r\n");
    buf_free(&b);
    /* what a spreadsheet would run as a formula is text; a negative number stays one */
    const char *in[] = {"=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "-x", "-5", "\t=1", "-"};
    const char *out[] = {"\"'=HYPERLINK(\"\"x\"\")\"", "'+1", "'@SUM(A1)", "'-x", "-5",
                         "'\t=1", "-"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        struct buf c = BUF_INIT;
        csv_field(&c, in[i]);
        CHECK_STR(buf_cstr(&c), out[i]);
        buf_free(&c);
    }
}

static void test_days(void)
{
    CHECK_INT(date_days_between("2030-03-10", "2030-03-11"), 1);
    CHECK_INT(date_days_between("2030-03-11", "2030-03-10"), -1);
    CHECK_INT(date_days_between("2028-02-28", "2028-03-01"), 2); /* a leap year */
    CHECK_INT(date_days_between("2029-12-31", "2031-01-01"), 366);
    CHECK_INT(date_days_between("2030-02-30", "2030-03-01"), 0);
    CHECK_INT(date_days_between(NULL, "2030-03-01"), 0);
    char out[32];
    date_format_long("2030-03-05", out);
    CHECK_STR(out, "5. marts 2030");
    date_format_long("ikke", out);
    CHECK_STR(out, "ikke");
}

int main(void)
{
    RUN(test_reminders);
    RUN(test_csv);
    RUN(test_days);
    RUN(test_decision_followups); /* issue 10, flat follow-ups */
    return TEST_REPORT();
}
