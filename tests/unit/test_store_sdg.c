/* test_store_sdg: the verdensmål in the archive (issue 10, sqlite_sdg.c): saved and read with
 * the case's model, replaced by a new version, carried by an imported JSON case, and a body's
 * yearly report for staff and public (a closed or unpublished case's goals never reach the
 * public). */
#include "test.h"
#include "store_fixture.h"
#include "format/format.h"
#include "model/case.h"
#include "model/sdg.h"
#include "store/store.h"

#include <unistd.h>

static struct store *fresh(void)
{
    return fixture_fresh("sdg");
}

static const struct store_actor tools = {0, "cli:test", NULL, &reader_all};

static const char imported[] =
    "{\"format\": \"referat-case/1\", \"title\": \"Skovrejsning\", \"public\": true,\n"
    " \"sdg\": [15],\n"
    " \"decisions\": [{\"body\": \"Direktionen\", \"date\": \"2024-05-01\", \"text\": "
    "\"Godkendt.\", \"entries\": []}]}\n";

static void test_store(void)
{
    struct store *s = fresh();
    CHECK(s != NULL);
    if (!s)
        return;
    struct err e = {0};
    int64_t body = 0, mid = 0, open_id = 0, closed_id = 0, imp_id = 0;
    CHECK_INT(store_body_add(s, "DIR", "Direktionen", &tools, &body, &e), 0);
    struct store_meeting_save m = {
        .body = "DIR", .date = "2024-03-05", .start = "10:00", .end = "12:00"};
    CHECK_INT(store_meeting_save(s, &m, &tools, &mid, NULL, &e), 0);

    struct case_doc *c = case_new();
    c->title = xstrdup("Klimaplan");
    c->public = true;
    c->sdg = SDG_BIT(13);
    case_add_subitem(c)->title = xstrdup("Solceller");
    c->subitems[0].sdg = SDG_BIT(7) | SDG_BIT(13);
    case_add_subitem(c)->title = xstrdup("Eventuelt");
    struct store_save sv = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(s, &sv, &tools, &open_id, NULL, &e), 0);
    struct case_doc *back = NULL;
    CHECK_INT(store_case_get(s, open_id, &reader_all, &back, &e), 0);
    CHECK(back && back->sdg == SDG_BIT(13));
    CHECK(back && back->nsubitems == 2 && back->subitems[0].sdg == (SDG_BIT(7) | SDG_BIT(13)) &&
          back->subitems[1].sdg == 0);
    CHECK(back && case_equal(c, back, false));
    /* A new version replaces the goals. */
    if (back) {
        back->sdg = 0;
        back->subitems[1].sdg = SDG_BIT(17);
        struct store_save sv2 = {.case_id = open_id, .base_version = 1, .model = back};
        CHECK_INT(store_case_save(s, &sv2, &tools, NULL, NULL, &e), 0);
    }
    case_free(back);
    back = NULL;
    CHECK_INT(store_case_get(s, open_id, &reader_all, &back, &e), 0);
    CHECK(back && back->sdg == 0 && back->subitems[1].sdg == SDG_BIT(17) &&
          back->subitems[0].sdg == (SDG_BIT(7) | SDG_BIT(13)));
    case_free(back);
    case_free(c);

    c = case_new();
    c->title = xstrdup("Personalesag");
    c->public_title = xstrdup("Lukket punkt");
    c->public = false;
    c->sdg = SDG_BIT(8);
    struct store_save sv3 = {.meeting_id = mid, .model = c};
    CHECK_INT(store_case_save(s, &sv3, &tools, &closed_id, NULL, &e), 0);
    case_free(c);

    /* An imported JSON case keeps its goals, and it is published (open) at once. */
    struct case_doc *model = NULL;
    struct warnings w = {0};
    CHECK_INT(fmt_read(&fmt_read_json, imported, strlen(imported), 0, &model, &e, &w), 0);
    struct store_doc d = {"skov.json", "json", imported, strlen(imported), model};
    enum store_outcome out;
    CHECK_INT(store_import(s, &d, &tools, &out, &imp_id, &e), 0);
    case_free(model);
    warnings_fini(&w);
    back = NULL;
    CHECK_INT(store_case_get(s, imp_id, NULL, &back, &e), 0);
    CHECK(back && back->sdg == SDG_BIT(15));
    case_free(back);
    /* The public view of the closed case has no goals. */
    back = NULL;
    if (store_case_get(s, closed_id, NULL, &back, &e) == 0)
        CHECK(back && back->sdg == 0);
    case_free(back);

    /* The report: staff see all three; the public only the published open one. */
    struct store_sdg_report rep;
    CHECK_INT(store_sdg_report(s, "DIR", 2024, &reader_all, &rep, &e), 0);
    CHECK_INT(rep.ncases, 3);
    CHECK_STR(rep.body_name, "Direktionen");
    uint32_t all = 0;
    for (size_t i = 0; i < rep.ncases; i++)
        all |= rep.cases[i].goals;
    CHECK_INT(all, SDG_BIT(7) | SDG_BIT(8) | SDG_BIT(13) | SDG_BIT(15) | SDG_BIT(17));
    for (size_t i = 0; i < rep.ncases; i++)
        if (rep.cases[i].id == imp_id)
            CHECK_INT(rep.cases[i].decisions, 1);
    store_sdg_report_fini(&rep);
    CHECK_INT(store_sdg_report(s, "DIR", 2024, NULL, &rep, &e), 0);
    CHECK_INT(rep.ncases, 1);
    CHECK(rep.ncases == 1 && rep.cases[0].id == imp_id && rep.cases[0].goals == SDG_BIT(15));
    store_sdg_report_fini(&rep);
    CHECK_INT(store_sdg_report(s, "DIR", 2023, &reader_all, &rep, &e), 0);
    CHECK_INT(rep.ncases, 0);
    store_sdg_report_fini(&rep);
    CHECK_INT(store_sdg_report(s, "XYZ", 2024, &reader_all, &rep, &e), ERR_NOTFOUND);
    CHECK_INT(store_sdg_report(s, "DIR", 20245, &reader_all, &rep, &e), ERR_USAGE);
    store_close(s);
    unlink(dbpath);
}

int main(void)
{
    RUN(test_store);
    return TEST_REPORT();
}
