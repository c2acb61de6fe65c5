/* test_workflow: the three state machines: every row for every role, every refused step,
 * reachability, the lock on approved minutes, names and labels, and docs/workflow.md. */
#include "test.h"
#include "model/access.h"
#include "model/workflow.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

static const struct wf_machine *const machines[] = {&wf_case, &wf_meeting, &wf_followup};
#define NMACHINES (sizeof machines / sizeof machines[0])

/* Every role a person can hold, each tried alone. */
static const int roles[] = {ROLE_SEKRETAER, ROLE_SAGSBEHANDLER, ROLE_GODKENDER, ROLE_MEDLEM,
                            ROLE_ADMIN};
#define NROLES (sizeof roles / sizeof roles[0])
#define ALL_ROLES (ROLE_SEKRETAER | ROLE_SAGSBEHANDLER | ROLE_GODKENDER | ROLE_MEDLEM | ROLE_ADMIN)

static const char *row_text(const struct wf_machine *m, const struct wf_row *r, char *out, size_t n)
{
    snprintf(out, n, "%s: %s --%s--> %s", m->name, wf_state_name(m, r->from),
             wf_action_name(m, r->action), wf_state_name(m, r->to));
    return out;
}

static void deterministic(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        for (size_t i = 0; i < m->nrows; i++)
            for (size_t j = i + 1; j < m->nrows; j++)
                if (m->rows[i].from == m->rows[j].from && m->rows[i].action == m->rows[j].action) {
                    char t[160];
                    fprintf(stderr, "two rows for %s\n", row_text(m, &m->rows[i], t, sizeof t));
                    CHECK(0);
                }
    }
}

/* Every row names real states and actions and someone who may take it; every action is used. */
static void rows_well_formed(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        CHECK(wf_state_name(m, m->initial) != NULL);
        for (size_t i = 0; i < m->nrows; i++) {
            const struct wf_row *r = &m->rows[i];
            CHECK(wf_state_name(m, r->from) && wf_state_name(m, r->to));
            CHECK(wf_action_name(m, r->action) != NULL);
            CHECK(r->roles != 0 || (r->flags & WF_OWNER));
            CHECK((r->roles & ~ALL_ROLES) == 0);
            CHECK((r->flags & ~(unsigned)(WF_REASON | WF_OWNER | WF_NEWVERSION | WF_TARGET)) == 0);
            CHECK(r->from != r->to);
        }
        for (size_t a = 0; a < m->nactions; a++) {
            bool used = false;
            for (size_t i = 0; i < m->nrows; i++)
                used |= m->rows[i].action == (int)a;
            if (!used)
                fprintf(stderr, "%s: action %s in no row\n", m->name, m->actions[a].name);
            CHECK(used);
        }
    }
}

/* Each row succeeds for each role in its mask and is refused (ERR_DENIED, naming who may) for
 * every role outside it; as owner only where the row says so. */
static void every_row_every_role(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        for (size_t i = 0; i < m->nrows; i++) {
            const struct wf_row *r = &m->rows[i];
            const char *action = wf_action_name(m, r->action);
            char t[160];
            row_text(m, r, t, sizeof t);
            for (size_t j = 0; j < NROLES; j++) {
                struct wf_actor who = {roles[j], false};
                struct err e = {0};
                int to = -1;
                int rc = wf_apply(m, r->from, action, &who, "fordi", &to, &e);
                if (r->roles & roles[j]) {
                    if (rc != 0)
                        fprintf(stderr, "%s refused for %s: %s\n", t, role_name(roles[j]), e.msg);
                    CHECK_INT(rc, 0);
                    CHECK_INT(to, r->to);
                } else {
                    if (rc != ERR_DENIED)
                        fprintf(stderr, "%s allowed for %s\n", t, role_name(roles[j]));
                    CHECK_INT(rc, ERR_DENIED);
                    CHECK_INT(e.code, ERR_DENIED);
                    CHECK_INT(to, -1);
                    /* The message names every role that may. */
                    for (size_t q = 0; q < NROLES; q++) {
                        char want[40];
                        snprintf(want, sizeof want, "'%s'", role_name(roles[q]));
                        CHECK(!!strstr(e.msg, want) == !!(r->roles & roles[q]));
                    }
                    CHECK(!!strstr(e.msg, "selv er ansvarlig") == !!(r->flags & WF_OWNER));
                    CHECK(strstr(e.msg, action) != NULL);
                }
            }
            struct wf_actor owner = {0, true};
            int to = -1;
            struct err e = {0};
            int rc = wf_apply(m, r->from, action, &owner, "fordi", &to, &e);
            CHECK_INT(rc, (r->flags & WF_OWNER) ? 0 : ERR_DENIED);
            struct wf_actor nobody = {0, false};
            CHECK_INT(wf_apply(m, r->from, action, &nobody, "fordi", &to, &e), ERR_DENIED);
            CHECK_INT(wf_apply(m, r->from, action, NULL, "fordi", &to, &e), ERR_DENIED);
        }
    }
}

/* Rows that need a reason refuse a missing or blank one; the others take none. */
static void reasons(void)
{
    size_t with_reason = 0;
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        for (size_t i = 0; i < m->nrows; i++) {
            const struct wf_row *r = &m->rows[i];
            const char *action = wf_action_name(m, r->action);
            struct wf_actor who = {ALL_ROLES, true};
            const char *missing[] = {NULL, "", " \t\n"};
            for (size_t j = 0; j < 3; j++) {
                struct err e = {0};
                int to = -1;
                int rc = wf_apply(m, r->from, action, &who, missing[j], &to, &e);
                if (r->flags & WF_REASON) {
                    CHECK_INT(rc, ERR_SYNTAX);
                    CHECK_INT(to, -1);
                    char want[120];
                    snprintf(want, sizeof want, "handling '%s' kræver en begrundelse", action);
                    CHECK_STR(e.msg, want);
                } else {
                    CHECK_INT(rc, 0);
                    CHECK_INT(to, r->to);
                }
            }
            with_reason += !!(r->flags & WF_REASON);
        }
    }
    CHECK(with_reason > 0);
    /* Those the issue names. */
    const struct wf_row *aflys =
        wf_find(&wf_meeting, WF_MEETING_PLANLAGT, wf_action_parse(&wf_meeting, "aflys"));
    const struct wf_row *bortfald =
        wf_find(&wf_followup, WF_FOLLOWUP_I_GANG, wf_action_parse(&wf_followup, "bortfald"));
    CHECK(aflys && (aflys->flags & WF_REASON));
    CHECK(bortfald && (bortfald->flags & WF_REASON));
}

/* Every (state, action) pair without a row is refused as "not from this state", even for
 * someone holding every role, and the message lists exactly the actions that are possible. */
static void pairs_not_in_table(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        for (size_t s = 0; s < m->nstates; s++)
            for (size_t a = 0; a < m->nactions; a++) {
                if (wf_find(m, (int)s, (int)a))
                    continue;
                struct wf_actor who = {ALL_ROLES, true};
                struct err e = {0};
                int to = -1;
                int rc = wf_apply(m, (int)s, m->actions[a].name, &who, "fordi", &to, &e);
                CHECK_INT(rc, ERR_CONFLICT);
                CHECK_INT(e.code, ERR_CONFLICT);
                CHECK_INT(to, -1);
                struct buf want = BUF_INIT;
                buf_printf(&want, "handling '%s' er ikke mulig fra tilstanden '%s' (",
                           m->actions[a].name, m->states[s].name);
                size_t n = 0;
                for (size_t i = 0; i < m->nrows; i++)
                    if (m->rows[i].from == (int)s)
                        buf_printf(&want, "%s%s",
                                   n++ ? ", " : "mulige: ", m->actions[m->rows[i].action].name);
                buf_puts(&want, n ? ")" : "ingen handlinger er mulige)");
                CHECK_STR(e.msg, buf_cstr(&want));
                buf_free(&want);
            }
    }
    /* One spelled out, as a person reads it. */
    struct wf_actor sekr = {ROLE_SEKRETAER, false};
    struct err e = {0};
    int to;
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "godkend", &sekr, NULL, &to, &e), ERR_CONFLICT);
    CHECK_STR(e.msg, "handling 'godkend' er ikke mulig fra tilstanden 'kladde' (mulige: indsend)");
}

static void unknown_action_and_state(void)
{
    struct wf_actor who = {ALL_ROLES, true};
    struct err e = {0};
    int to = -1;
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "x", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "ukendt handling 'x'");
    /* A state name is not an action, and one machine's action is not another's. */
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "kladde", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "aflys", &who, "x", &to, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "ukendt handling 'aflys'");
    /* Whatever else a URL brings is not quoted back. */
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "<b>\xff", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "ukendt handling");
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "ukendt handling");
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, NULL, &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_INT(wf_apply(&wf_case, -1, "indsend", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_STR(e.msg, "ukendt tilstand (-1)");
    CHECK_INT(wf_apply(&wf_case, (int)wf_case.nstates, "indsend", &who, NULL, &to, &e), ERR_SYNTAX);
    CHECK_INT(to, -1);
}

static void denied_message(void)
{
    struct wf_actor medlem = {ROLE_MEDLEM, false};
    struct err e = {0};
    int to;
    CHECK_INT(wf_apply(&wf_case, WF_CASE_KLADDE, "indsend", &medlem, NULL, &to, &e), ERR_DENIED);
    CHECK_STR(e.msg, "handling 'indsend' kræver en af rollerne 'sekretaer' eller 'sagsbehandler'");
    CHECK_INT(wf_apply(&wf_case, WF_CASE_TIL_GODKENDELSE, "godkend", &medlem, NULL, &to, &e),
              ERR_DENIED);
    CHECK_STR(e.msg, "handling 'godkend' kræver rollen 'godkender'");
    CHECK_INT(wf_apply(&wf_followup, WF_FOLLOWUP_AABEN, "udfoer", &medlem, NULL, &to, &e),
              ERR_DENIED);
    CHECK_STR(e.msg, "handling 'udfoer' kræver rollen 'sekretaer' eller at man selv er ansvarlig");
    CHECK(ERR_DENIED != ERR_CONFLICT && ERR_CONFLICT != ERR_SYNTAX);
    CHECK_STR(err_strerror(ERR_DENIED), "not permitted");
    CHECK_STR(err_strerror(ERR_CONFLICT), "not possible in the current state");
}

/* The rows the issue asks for, with at least the roles it names. */
static void required_rows(void)
{
    static const struct {
        const struct wf_machine *m;
        const char *from, *action, *to;
        int roles;
        bool owner;
    } want[] = {
        {&wf_case, "kladde", "indsend", "til_godkendelse", ROLE_SAGSBEHANDLER | ROLE_SEKRETAER,
         false},
        {&wf_case, "til_godkendelse", "godkend", "godkendt", ROLE_GODKENDER, false},
        {&wf_case, "til_godkendelse", "send_tilbage", "kladde", ROLE_GODKENDER | ROLE_SEKRETAER,
         false},
        {&wf_case, "godkendt", "saet_paa_dagsorden", "paa_dagsorden", ROLE_SEKRETAER, false},
        {&wf_case, "paa_dagsorden", "tag_af_dagsorden", "godkendt", ROLE_SEKRETAER, false},
        {&wf_case, "paa_dagsorden", "behandl", "behandlet", ROLE_SEKRETAER, false},
        {&wf_case, "paa_dagsorden", "udsaet", "udsat", ROLE_SEKRETAER, false},
        {&wf_case, "udsat", "genoptag", "paa_dagsorden", ROLE_SEKRETAER, false},
        {&wf_meeting, "planlagt", "frigiv_dagsorden", "dagsorden_frigivet", ROLE_SEKRETAER, false},
        {&wf_meeting, "dagsorden_frigivet", "tilbagekald_dagsorden", "planlagt", ROLE_SEKRETAER,
         false},
        {&wf_meeting, "dagsorden_frigivet", "start", "i_gang", ROLE_SEKRETAER, false},
        {&wf_meeting, "i_gang", "afslut", "afholdt", ROLE_SEKRETAER, false},
        {&wf_meeting, "afholdt", "send_referat_til_godkendelse", "referat_til_godkendelse",
         ROLE_SEKRETAER, false},
        {&wf_meeting, "referat_til_godkendelse", "godkend_referat", "referat_godkendt", ROLE_MEDLEM,
         false},
        {&wf_meeting, "referat_til_godkendelse", "returner_referat", "afholdt", ROLE_SEKRETAER,
         false},
        {&wf_meeting, "referat_godkendt", "offentliggoer", "offentliggjort", ROLE_SEKRETAER, false},
        /* issue 9, minutes */
        {&wf_meeting, "referat_til_godkendelse", "luk_godkendelse", "referat_godkendt",
         ROLE_SEKRETAER, false},
        {&wf_meeting, "referat_godkendt", "genaabn", "afholdt", ROLE_SEKRETAER, false},
        {&wf_meeting, "offentliggjort", "genaabn", "afholdt", ROLE_SEKRETAER, false},
        {&wf_meeting, "planlagt", "aflys", "aflyst", ROLE_SEKRETAER, false},
        {&wf_meeting, "dagsorden_frigivet", "aflys", "aflyst", ROLE_SEKRETAER, false},
        /* issue 9, publication */
        {&wf_meeting, "offentliggjort", "afpublicer", "referat_godkendt", ROLE_SEKRETAER, false},
        {&wf_followup, "aaben", "paabegynd", "i_gang", ROLE_SEKRETAER, true},
        {&wf_followup, "aaben", "udfoer", "udfoert", ROLE_SEKRETAER, true},
        {&wf_followup, "i_gang", "udfoer", "udfoert", ROLE_SEKRETAER, true},
        {&wf_followup, "aaben", "bortfald", "bortfaldet", ROLE_SEKRETAER, true},
        {&wf_followup, "i_gang", "bortfald", "bortfaldet", ROLE_SEKRETAER, true},
        {&wf_followup, "udfoert", "genaabn", "aaben", ROLE_SEKRETAER, true},
        {&wf_followup, "bortfaldet", "genaabn", "aaben", ROLE_SEKRETAER, true},
        /* ---- issue 10, followups ---- */
        {&wf_followup, "aaben", "videresend", "videresendt", ROLE_SEKRETAER, false},
        {&wf_followup, "i_gang", "videresend", "videresendt", ROLE_SEKRETAER, false},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct wf_machine *m = want[i].m;
        const struct wf_row *r =
            wf_find(m, wf_state_parse(m, want[i].from), wf_action_parse(m, want[i].action));
        if (!r) {
            fprintf(stderr, "missing %s: %s %s\n", m->name, want[i].from, want[i].action);
            CHECK(0);
            continue;
        }
        CHECK_STR(wf_state_name(m, r->to), want[i].to);
        CHECK((r->roles & want[i].roles) == want[i].roles);
        CHECK(!!(r->flags & WF_OWNER) == want[i].owner);
    }
    CHECK_INT(wf_case.initial, WF_CASE_KLADDE);
    CHECK_INT(wf_meeting.initial, WF_MEETING_PLANLAGT);
    CHECK_INT(wf_followup.initial, WF_FOLLOWUP_AABEN);
}

static void every_state_reachable(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        bool seen[64] = {false};
        CHECK(m->nstates <= 64);
        seen[m->initial] = true;
        for (bool more = true; more;) {
            more = false;
            for (size_t i = 0; i < m->nrows; i++)
                if (seen[m->rows[i].from] && !seen[m->rows[i].to])
                    more = seen[m->rows[i].to] = true;
        }
        for (size_t s = 0; s < m->nstates; s++) {
            if (!seen[s])
                fprintf(stderr, "%s: %s unreachable\n", m->name, m->states[s].name);
            CHECK(seen[s]);
        }
    }
}

/* Approved minutes are append-only: from referat_godkendt and offentliggjort nothing leads
 * back to a state where the minutes can be edited, except a step that opens a new numbered
 * version and keeps the approved one (WF_NEWVERSION: genaabn, issue 9), which needs a reason
 * and the sekretær; in general, no other row leaves a locked state for an unlocked one. */
static void approved_minutes_stay_locked(void)
{
    const struct wf_machine *m = &wf_meeting;
    int locked[] = {wf_state_parse(m, "referat_godkendt"), wf_state_parse(m, "offentliggjort")};
    const char *editable[] = {"planlagt", "dagsorden_frigivet", "i_gang", "afholdt",
                              "referat_til_godkendelse"};
    for (size_t i = 0; i < 2; i++) {
        CHECK(locked[i] >= 0);
        CHECK(wf_state_locked(m, locked[i]));
        for (size_t j = 0; j < m->nrows; j++) {
            const struct wf_row *r = &m->rows[j];
            if (r->from != locked[i] || (r->flags & WF_NEWVERSION))
                continue;
            for (size_t q = 0; q < sizeof editable / sizeof editable[0]; q++)
                CHECK(r->to != wf_state_parse(m, editable[q]));
            CHECK(wf_state_locked(m, r->to));
        }
    }
    for (size_t q = 0; q < sizeof editable / sizeof editable[0]; q++)
        CHECK(!wf_state_locked(m, wf_state_parse(m, editable[q])));
    for (size_t k = 0; k < NMACHINES; k++)
        for (size_t j = 0; j < machines[k]->nrows; j++) {
            const struct wf_row *r = &machines[k]->rows[j];
            if (r->flags & WF_NEWVERSION) {
                /* only out of a locked state, with a reason, by the sekretær alone */
                CHECK(machines[k] == &wf_meeting);
                CHECK(wf_state_locked(machines[k], r->from));
                CHECK(r->flags & WF_REASON);
                CHECK(!(r->flags & WF_OWNER));
                CHECK_INT(r->roles, ROLE_SEKRETAER);
                CHECK_STR(wf_action_name(machines[k], r->action), "genaabn");
                continue;
            }
            CHECK(!wf_state_locked(machines[k], r->from) || wf_state_locked(machines[k], r->to));
        }
    /* Reopening from either locked state leads to the draft of the new version. */
    int a = wf_action_parse(m, "genaabn");
    for (size_t i = 0; i < 2; i++) {
        const struct wf_row *r = wf_find(m, locked[i], a);
        CHECK(r != NULL);
        if (r)
            CHECK_INT(r->to, WF_MEETING_AFHOLDT);
    }
    int to = -1;
    CHECK_INT(wf_apply(m, WF_MEETING_REFERAT_GODKENDT, "genaabn",
                       &(struct wf_actor){ROLE_SEKRETAER, false}, "  ", &to, NULL),
              ERR_SYNTAX);
    CHECK_INT(wf_apply(m, WF_MEETING_OFFENTLIGGJORT, "genaabn",
                       &(struct wf_actor){ROLE_MEDLEM, false}, "fejl", &to, NULL),
              ERR_DENIED);
}

static bool ascii_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
            return false;
    return true;
}

static bool good_label(const char *s)
{
    return s && *s && utf8_invalid_at(s, strlen(s)) == strlen(s) && !strchr(s, '|') &&
           !strchr(s, '\n');
}

static void names_and_labels(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        CHECK(ascii_name(m->name));
        CHECK(good_label(m->label));
        for (size_t s = 0; s < m->nstates; s++) {
            const char *name = wf_state_name(m, (int)s);
            CHECK(ascii_name(name));
            CHECK_INT(wf_state_parse(m, name), s);
            CHECK(good_label(wf_state_label(m, (int)s)));
        }
        for (size_t a = 0; a < m->nactions; a++) {
            const char *name = wf_action_name(m, (int)a);
            CHECK(ascii_name(name));
            CHECK_INT(wf_action_parse(m, name), a);
            CHECK(good_label(wf_action_label(m, (int)a)));
        }
        CHECK_INT(wf_state_parse(m, "nope"), -1);
        CHECK_INT(wf_state_parse(m, NULL), -1);
        CHECK_INT(wf_action_parse(m, "nope"), -1);
        CHECK_INT(wf_action_parse(m, NULL), -1);
        CHECK(wf_state_name(m, -1) == NULL && wf_state_name(m, (int)m->nstates) == NULL);
        CHECK(wf_state_label(m, (int)m->nstates) == NULL);
        CHECK(wf_action_name(m, (int)m->nactions) == NULL);
        CHECK(wf_action_label(m, -1) == NULL);
        CHECK(!wf_state_locked(m, -1));
    }
    CHECK_STR(wf_state_label(&wf_case, WF_CASE_TIL_GODKENDELSE), "Til godkendelse");
    CHECK_STR(wf_action_label(&wf_case, wf_action_parse(&wf_case, "saet_paa_dagsorden")),
              "Sæt på dagsorden");
}

/* What wf_actions offers is exactly what wf_apply accepts (with a reason given). */
static void actions_offered(void)
{
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        for (size_t s = 0; s < m->nstates; s++)
            for (int mask = 0; mask <= 31; mask++)
                for (int owner = 0; owner <= 1; owner++) {
                    struct wf_actor who = {0, owner};
                    for (size_t j = 0; j < NROLES; j++)
                        if (mask & (1 << j))
                            who.roles |= roles[j];
                    const struct wf_row *out[32];
                    size_t n = wf_actions(m, (int)s, &who, out, 32);
                    CHECK(n <= 32);
                    for (size_t a = 0; a < m->nactions; a++) {
                        bool offered = false;
                        for (size_t i = 0; i < n; i++)
                            offered |= out[i]->action == (int)a && out[i]->from == (int)s;
                        int to = -1;
                        int rc = wf_apply(m, (int)s, m->actions[a].name, &who, "fordi", &to, NULL);
                        CHECK(offered == (rc == 0));
                    }
                    /* A short array gets the first ones and the full count. */
                    if (n > 1) {
                        const struct wf_row *one[1];
                        CHECK_INT(wf_actions(m, (int)s, &who, one, 1), n);
                        CHECK(one[0] == out[0]);
                    }
                    CHECK_INT(wf_actions(m, (int)s, &who, NULL, 0), n);
                }
    }
    /* The buttons a drafter sees on a draft. */
    struct wf_actor sagsb = {ROLE_SAGSBEHANDLER, false};
    const struct wf_row *out[8];
    CHECK_INT(wf_actions(&wf_case, WF_CASE_KLADDE, &sagsb, out, 8), 1);
    CHECK_STR(wf_action_name(&wf_case, out[0]->action), "indsend");
    /* Published minutes: no button leads to an editable state but reopening (issue 9). */
    size_t npub = wf_actions(&wf_meeting, WF_MEETING_OFFENTLIGGJORT,
                             &(struct wf_actor){ALL_ROLES, 1}, out, 8);
    CHECK(npub >= 1 && npub <= 8);
    bool reopen = false;
    for (size_t i = 0; i < npub && i < 8; i++) {
        reopen |= strcmp(wf_action_name(&wf_meeting, out[i]->action), "genaabn") == 0;
        CHECK((out[i]->flags & WF_NEWVERSION) || wf_state_locked(&wf_meeting, out[i]->to));
    }
    CHECK(reopen);
}

/* --- docs/workflow.md -------------------------------------------------------------------- */

#define DOC_BEGIN "<!-- generated from src/model/workflow.c: tests/unit/test_workflow.c -->\n"
#define DOC_END "<!-- end of generated tables -->\n"

static void doc_who(struct buf *b, const struct wf_row *r)
{
    bool first = true;
    for (size_t j = 0; j < NROLES; j++)
        if (r->roles & roles[j]) {
            buf_printf(b, "%s%s", first ? "" : ", ", role_name(roles[j]));
            first = false;
        }
    if (r->flags & WF_OWNER)
        buf_printf(b, "%sowner", first ? "" : ", ");
}

static void doc_render(struct buf *b)
{
    buf_puts(b, DOC_BEGIN);
    for (size_t k = 0; k < NMACHINES; k++) {
        const struct wf_machine *m = machines[k];
        buf_printf(b, "\n## %s (`%s`)\n\n", m->label, m->name);
        buf_printf(b, "Starts in `%s`.\n\n", wf_state_name(m, m->initial));
        buf_puts(b, "| State | Label | Locked |\n|---|---|---|\n");
        for (size_t s = 0; s < m->nstates; s++)
            buf_printf(b, "| `%s` | %s | %s |\n", m->states[s].name, m->states[s].label,
                       m->states[s].locked ? "yes" : "no");
        buf_puts(b, "\n| From | Action | Label | To | Who | Reason required |\n"
                    "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < m->nrows; i++) {
            const struct wf_row *r = &m->rows[i];
            buf_printf(b, "| `%s` | `%s` | %s | `%s` | ", wf_state_name(m, r->from),
                       wf_action_name(m, r->action), wf_action_label(m, r->action),
                       wf_state_name(m, r->to));
            doc_who(b, r);
            buf_printf(b, " | %s%s%s |\n", (r->flags & WF_REASON) ? "yes" : "no",
                       (r->flags & WF_NEWVERSION) ? " (opens a new version)" : "",
                       (r->flags & WF_TARGET) ? " (names a planned meeting)" : "");
        }
    }
    buf_puts(b, "\n" DOC_END);
}

static void doc_matches_tables(void)
{
    char *doc = test_read_file(SOURCE_DIR "/docs/workflow.md", NULL);
    CHECK(doc != NULL);
    if (!doc)
        return;
    struct buf want = BUF_INIT;
    doc_render(&want);
    const char *begin = strstr(doc, DOC_BEGIN), *end = strstr(doc, DOC_END);
    bool same = begin && end && (size_t)(end + strlen(DOC_END) - begin) == want.len &&
                memcmp(begin, want.ptr, want.len) == 0;
    if (!same)
        fprintf(stderr,
                "docs/workflow.md does not match the tables; paste this in place of "
                "the generated part:\n%s",
                buf_cstr(&want));
    CHECK(same);
    buf_free(&want);
    free(doc);
}

/* ---- issue 10, followups: videresend is the sekretær's alone (an owner cannot hand their
 * follow-up to another body), names a target, and is terminal; closed states are exactly
 * those whose status is 'done' (udfoert, bortfaldet, videresendt). ---- */
static void followup_forward(void)
{
    const struct wf_machine *m = &wf_followup;
    struct wf_actor owner = {0, true}, sekr = {ROLE_SEKRETAER, false};
    struct err e = {0};
    int to = -1;
    CHECK_INT(wf_apply(m, WF_FOLLOWUP_AABEN, "videresend", &owner, NULL, &to, &e), ERR_DENIED);
    CHECK_INT(to, -1);
    CHECK_INT(wf_apply(m, WF_FOLLOWUP_I_GANG, "videresend", &sekr, NULL, &to, &e), 0);
    CHECK_INT(to, WF_FOLLOWUP_VIDERESENDT);
    const struct wf_row *r = wf_find(m, WF_FOLLOWUP_AABEN, wf_action_parse(m, "videresend"));
    CHECK(r && (r->flags & WF_TARGET));
    CHECK_INT(wf_apply(m, WF_FOLLOWUP_VIDERESENDT, "genaabn", &sekr, NULL, &to, &e),
              ERR_CONFLICT);
    CHECK_INT(wf_apply(m, WF_FOLLOWUP_UDFOERT, "videresend", &sekr, NULL, &to, &e),
              ERR_CONFLICT);
    const struct wf_row *out[8];
    CHECK_INT(wf_actions(m, WF_FOLLOWUP_VIDERESENDT, &sekr, out, 8), 0);
    /* bortfald without a reason names the missing reason */
    CHECK_INT(wf_apply(m, WF_FOLLOWUP_AABEN, "bortfald", &owner, "  ", &to, &e), ERR_SYNTAX);
    CHECK(strstr(e.msg, "begrundelse") != NULL);
    for (int st = 0; st < (int)m->nstates; st++)
        CHECK(wf_followup_closed(st) ==
              (st == WF_FOLLOWUP_UDFOERT || st == WF_FOLLOWUP_BORTFALDET ||
               st == WF_FOLLOWUP_VIDERESENDT));
}
/* ---- end issue 10, followups ---- */

int main(void)
{
    RUN(deterministic);
    RUN(followup_forward); /* issue 10, followups */
    RUN(rows_well_formed);
    RUN(every_row_every_role);
    RUN(reasons);
    RUN(pairs_not_in_table);
    RUN(unknown_action_and_state);
    RUN(denied_message);
    RUN(required_rows);
    RUN(every_state_reachable);
    RUN(approved_minutes_stay_locked);
    RUN(names_and_labels);
    RUN(actions_offered);
    RUN(doc_matches_tables);
    return TEST_REPORT();
}
