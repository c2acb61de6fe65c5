/* workflow: the three state machines as tables, and taking a step in one (see workflow.h). */
#include "workflow.h"
#include "access.h"
#include "../util/buf.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define SEKR ROLE_SEKRETAER
#define SAGSB ROLE_SAGSBEHANDLER
#define GODK ROLE_GODKENDER
#define MEDL ROLE_MEDLEM

/* ROLE_ADMIN takes no step in any machine: an administrator manages users, bodies and
 * settings and may not read closed content, and every step here acts on content. */

/* --- case -------------------------------------------------------------------------------- */

static const struct wf_state case_states[] = {
    [WF_CASE_KLADDE] = {"kladde", "Kladde", false},
    [WF_CASE_TIL_GODKENDELSE] = {"til_godkendelse", "Til godkendelse", false},
    [WF_CASE_GODKENDT] = {"godkendt", "Godkendt", false},
    [WF_CASE_PAA_DAGSORDEN] = {"paa_dagsorden", "På dagsorden", false},
    [WF_CASE_BEHANDLET] = {"behandlet", "Behandlet", false},
    [WF_CASE_UDSAT] = {"udsat", "Udsat", false},
};

enum {
    C_INDSEND,
    C_TRAEK_TILBAGE,
    C_GODKEND,
    C_SEND_TILBAGE,
    C_FORTRYD_GODKENDELSE,
    C_SAET_PAA_DAGSORDEN,
    C_TAG_AF_DAGSORDEN,
    C_BEHANDL,
    C_UDSAET,
    C_GENOPTAG,
    C_VIDERESEND,
};

static const struct wf_action case_actions[] = {
    [C_INDSEND] = {"indsend", "Indsend til godkendelse"},
    [C_TRAEK_TILBAGE] = {"traek_tilbage", "Træk tilbage"},
    [C_GODKEND] = {"godkend", "Godkend"},
    [C_SEND_TILBAGE] = {"send_tilbage", "Send tilbage"},
    [C_FORTRYD_GODKENDELSE] = {"fortryd_godkendelse", "Fortryd godkendelse"},
    [C_SAET_PAA_DAGSORDEN] = {"saet_paa_dagsorden", "Sæt på dagsorden"},
    [C_TAG_AF_DAGSORDEN] = {"tag_af_dagsorden", "Tag af dagsorden"},
    [C_BEHANDL] = {"behandl", "Behandl"},
    [C_UDSAET] = {"udsaet", "Udsæt"},
    [C_GENOPTAG] = {"genoptag", "Genoptag"},
    [C_VIDERESEND] = {"videresend", "Videresend til næste organ"},
};

/* Beyond the rows (marked +), each for something a secretariat meets every month:
 * + traek_tilbage: the drafter takes a submitted case back to correct it, instead of asking
 *   the approver to send it back.
 *   send_tilbage needs a reason: the drafter must learn what to fix.
 * + fortryd_godkendelse: new facts after sign-off; the case is drafted and signed off again,
 *   so nothing unapproved reaches an agenda.
 * + udsat -> tag_af_dagsorden: a postponed case waits for a later meeting than the next one.
 * + udsat -> send_tilbage: postponed for more information ("administrationen bedes belyse"):
 *   back to the drafter and through sign-off again.
 * + videresend: along its Sagsgang (FU -> ØK -> KB) a case treated by one body goes on to the
 *   next; it stays signed off and waits for that body's agenda. */
static const struct wf_row case_rows[] = {
    {WF_CASE_KLADDE, C_INDSEND, WF_CASE_TIL_GODKENDELSE, SAGSB | SEKR, 0},
    {WF_CASE_TIL_GODKENDELSE, C_TRAEK_TILBAGE, WF_CASE_KLADDE, SAGSB | SEKR, 0},
    {WF_CASE_TIL_GODKENDELSE, C_GODKEND, WF_CASE_GODKENDT, GODK, 0},
    {WF_CASE_TIL_GODKENDELSE, C_SEND_TILBAGE, WF_CASE_KLADDE, GODK | SEKR, WF_REASON},
    {WF_CASE_GODKENDT, C_SAET_PAA_DAGSORDEN, WF_CASE_PAA_DAGSORDEN, SEKR, 0},
    {WF_CASE_GODKENDT, C_FORTRYD_GODKENDELSE, WF_CASE_KLADDE, GODK | SEKR, WF_REASON},
    {WF_CASE_PAA_DAGSORDEN, C_BEHANDL, WF_CASE_BEHANDLET, SEKR, 0},
    {WF_CASE_PAA_DAGSORDEN, C_UDSAET, WF_CASE_UDSAT, SEKR, 0},
    {WF_CASE_PAA_DAGSORDEN, C_TAG_AF_DAGSORDEN, WF_CASE_GODKENDT, SEKR, 0},
    {WF_CASE_UDSAT, C_GENOPTAG, WF_CASE_PAA_DAGSORDEN, SEKR, 0},
    {WF_CASE_UDSAT, C_TAG_AF_DAGSORDEN, WF_CASE_GODKENDT, SEKR, 0},
    {WF_CASE_UDSAT, C_SEND_TILBAGE, WF_CASE_KLADDE, SEKR, WF_REASON},
    {WF_CASE_BEHANDLET, C_VIDERESEND, WF_CASE_GODKENDT, SEKR, 0},
};

const struct wf_machine wf_case = {
    .name = "case",
    .label = "Sag",
    .initial = WF_CASE_KLADDE,
    .states = case_states,
    .nstates = COUNT(case_states),
    .actions = case_actions,
    .nactions = COUNT(case_actions),
    .rows = case_rows,
    .nrows = COUNT(case_rows),
};

/* --- meeting ----------------------------------------------------------------------------- */

/* Approved minutes are append-only by law (corrections only by addition): referat_godkendt
 * and offentliggjort are locked; the one way out to an editable state is genaabn, which keeps
 * the approved version and opens a new numbered one (WF_NEWVERSION, issue 9). */
static const struct wf_state meeting_states[] = {
    [WF_MEETING_PLANLAGT] = {"planlagt", "Planlagt", false},
    [WF_MEETING_DAGSORDEN_FRIGIVET] = {"dagsorden_frigivet", "Dagsorden frigivet", false},
    [WF_MEETING_I_GANG] = {"i_gang", "I gang", false},
    [WF_MEETING_AFHOLDT] = {"afholdt", "Afholdt", false},
    [WF_MEETING_REFERAT_TIL_GODKENDELSE] = {"referat_til_godkendelse", "Referat til godkendelse",
                                            false},
    [WF_MEETING_REFERAT_GODKENDT] = {"referat_godkendt", "Referat godkendt", true},
    [WF_MEETING_OFFENTLIGGJORT] = {"offentliggjort", "Offentliggjort", true},
    [WF_MEETING_AFLYST] = {"aflyst", "Aflyst", false},
};

enum {
    M_FRIGIV_DAGSORDEN,
    M_TILBAGEKALD_DAGSORDEN,
    M_START,
    M_AFSLUT,
    M_SEND_REFERAT,
    M_GODKEND_REFERAT,
    M_RETURNER_REFERAT,
    M_OFFENTLIGGOER,
    M_AFLYS,
    M_AFPUBLICER, /* issue 9, publication */
    /* ---- issue 9, minutes ---- */
    M_LUK_GODKENDELSE,
    M_GENAABN,
    /* ---- end issue 9, minutes ---- */
};

static const struct wf_action meeting_actions[] = {
    [M_FRIGIV_DAGSORDEN] = {"frigiv_dagsorden", "Frigiv dagsorden"},
    [M_TILBAGEKALD_DAGSORDEN] = {"tilbagekald_dagsorden", "Tilbagekald dagsorden"},
    [M_START] = {"start", "Start mødet"},
    [M_AFSLUT] = {"afslut", "Afslut mødet"},
    [M_SEND_REFERAT] = {"send_referat_til_godkendelse", "Send referat til godkendelse"},
    [M_GODKEND_REFERAT] = {"godkend_referat", "Godkend referat"},
    [M_RETURNER_REFERAT] = {"returner_referat", "Returnér referat"},
    [M_OFFENTLIGGOER] = {"offentliggoer", "Offentliggør"},
    [M_AFLYS] = {"aflys", "Aflys mødet"},
    [M_AFPUBLICER] = {"afpublicer", "Afpublicér referatet"}, /* issue 9, publication */
    /* ---- issue 9, minutes ---- */
    [M_LUK_GODKENDELSE] = {"luk_godkendelse", "Luk godkendelsesrunden"},
    [M_GENAABN] = {"genaabn", "Genåbn referatet"},
    /* ---- end issue 9, minutes ---- */
};

/* godkend_referat: each member approves; counting the approvals belongs to the caller, the
 * row says only who may. tilbagekald_dagsorden undoes a release made by mistake or one that
 * must change; the members already have the agenda, so they are told why. aflys is terminal:
 * a cancelled meeting stays on record as announced, and one held after all is planned anew. */
static const struct wf_row meeting_rows[] = {
    {WF_MEETING_PLANLAGT, M_FRIGIV_DAGSORDEN, WF_MEETING_DAGSORDEN_FRIGIVET, SEKR, 0},
    {WF_MEETING_PLANLAGT, M_AFLYS, WF_MEETING_AFLYST, SEKR, WF_REASON},
    {WF_MEETING_DAGSORDEN_FRIGIVET, M_START, WF_MEETING_I_GANG, SEKR, 0},
    {WF_MEETING_DAGSORDEN_FRIGIVET, M_TILBAGEKALD_DAGSORDEN, WF_MEETING_PLANLAGT, SEKR, WF_REASON},
    {WF_MEETING_DAGSORDEN_FRIGIVET, M_AFLYS, WF_MEETING_AFLYST, SEKR, WF_REASON},
    {WF_MEETING_I_GANG, M_AFSLUT, WF_MEETING_AFHOLDT, SEKR, 0},
    {WF_MEETING_AFHOLDT, M_SEND_REFERAT, WF_MEETING_REFERAT_TIL_GODKENDELSE, SEKR, 0},
    {WF_MEETING_REFERAT_TIL_GODKENDELSE, M_GODKEND_REFERAT, WF_MEETING_REFERAT_GODKENDT, MEDL, 0},
    {WF_MEETING_REFERAT_TIL_GODKENDELSE, M_RETURNER_REFERAT, WF_MEETING_AFHOLDT, SEKR, WF_REASON},
    {WF_MEETING_REFERAT_GODKENDT, M_OFFENTLIGGOER, WF_MEETING_OFFENTLIGGJORT, SEKR, 0},
    /* ---- issue 9, publication: unpublishing takes the minutes off every public output at
     * once and needs a reason (the ledger keeps it); they stay approved and locked. ---- */
    {WF_MEETING_OFFENTLIGGJORT, M_AFPUBLICER, WF_MEETING_REFERAT_GODKENDT, SEKR, WF_REASON},
    /* ---- end issue 9, publication ---- */
    /* ---- issue 9, minutes: the approval round and reopening ----
     * godkend_referat is one member's approval: the store (sqlite_minutes.c) records it and
     * takes the row only when every member has approved and no objection is unanswered;
     * before that the meeting stays referat_til_godkendelse. luk_godkendelse: the sekretær
     * closes the round once minutes.approval_days have passed (the store checks the clock and
     * records who did not answer). genaabn: a correction bigger than a tillæg; the approved
     * version stays readable and a new numbered version starts as a draft (afholdt). */
    {WF_MEETING_REFERAT_TIL_GODKENDELSE, M_LUK_GODKENDELSE, WF_MEETING_REFERAT_GODKENDT, SEKR, 0},
    {WF_MEETING_REFERAT_GODKENDT, M_GENAABN, WF_MEETING_AFHOLDT, SEKR, WF_REASON | WF_NEWVERSION},
    {WF_MEETING_OFFENTLIGGJORT, M_GENAABN, WF_MEETING_AFHOLDT, SEKR, WF_REASON | WF_NEWVERSION},
    /* ---- end issue 9, minutes ---- */
};

const struct wf_machine wf_meeting = {
    .name = "meeting",
    .label = "Møde",
    .initial = WF_MEETING_PLANLAGT,
    .states = meeting_states,
    .nstates = COUNT(meeting_states),
    .actions = meeting_actions,
    .nactions = COUNT(meeting_actions),
    .rows = meeting_rows,
    .nrows = COUNT(meeting_rows),
};

/* --- follow-up --------------------------------------------------------------------------- */

static const struct wf_state followup_states[] = {
    [WF_FOLLOWUP_AABEN] = {"aaben", "Åben", false},
    [WF_FOLLOWUP_I_GANG] = {"i_gang", "I gang", false},
    [WF_FOLLOWUP_UDFOERT] = {"udfoert", "Udført", false},
    [WF_FOLLOWUP_BORTFALDET] = {"bortfaldet", "Bortfaldet", false},
    [WF_FOLLOWUP_VIDERESENDT] = {"videresendt", "Videresendt", false}, /* issue 10 */
};

enum { F_PAABEGYND, F_UDFOER, F_BORTFALD, F_GENAABN, F_VIDERESEND /* issue 10 */ };

static const struct wf_action followup_actions[] = {
    [F_PAABEGYND] = {"paabegynd", "Påbegynd"},
    [F_UDFOER] = {"udfoer", "Markér som udført"},
    [F_BORTFALD] = {"bortfald", "Lad bortfalde"},
    [F_GENAABN] = {"genaabn", "Genåbn"},
    [F_VIDERESEND] = {"videresend", "Videresend til et møde"}, /* issue 10, followups */
};

/* The follow-up's owner (the person or unit the decision names) reports on it as the
 * secretariat does; letting one lapse needs a reason, which the ledger keeps. */
static const struct wf_row followup_rows[] = {
    {WF_FOLLOWUP_AABEN, F_PAABEGYND, WF_FOLLOWUP_I_GANG, SEKR, WF_OWNER},
    {WF_FOLLOWUP_AABEN, F_UDFOER, WF_FOLLOWUP_UDFOERT, SEKR, WF_OWNER},
    {WF_FOLLOWUP_AABEN, F_BORTFALD, WF_FOLLOWUP_BORTFALDET, SEKR, WF_OWNER | WF_REASON},
    {WF_FOLLOWUP_I_GANG, F_UDFOER, WF_FOLLOWUP_UDFOERT, SEKR, WF_OWNER},
    {WF_FOLLOWUP_I_GANG, F_BORTFALD, WF_FOLLOWUP_BORTFALDET, SEKR, WF_OWNER | WF_REASON},
    {WF_FOLLOWUP_UDFOERT, F_GENAABN, WF_FOLLOWUP_AABEN, SEKR, WF_OWNER},
    {WF_FOLLOWUP_BORTFALDET, F_GENAABN, WF_FOLLOWUP_AABEN, SEKR, WF_OWNER},
    /* ---- issue 10, followups: the sekretær hands an open follow-up to another body's
     * planned meeting (it joins that agenda as a note). Terminal: the other body carries it
     * on; a mistake is put right there, so no row leads back. ---- */
    {WF_FOLLOWUP_AABEN, F_VIDERESEND, WF_FOLLOWUP_VIDERESENDT, SEKR, WF_TARGET},
    {WF_FOLLOWUP_I_GANG, F_VIDERESEND, WF_FOLLOWUP_VIDERESENDT, SEKR, WF_TARGET},
    /* ---- end issue 10, followups ---- */
};

/* ---- issue 10, followups ---- */
bool wf_followup_closed(int state)
{
    return state == WF_FOLLOWUP_UDFOERT || state == WF_FOLLOWUP_BORTFALDET ||
           state == WF_FOLLOWUP_VIDERESENDT;
}
/* ---- end issue 10, followups ---- */

const struct wf_machine wf_followup = {
    .name = "followup",
    .label = "Opfølgning",
    .initial = WF_FOLLOWUP_AABEN,
    .states = followup_states,
    .nstates = COUNT(followup_states),
    .actions = followup_actions,
    .nactions = COUNT(followup_actions),
    .rows = followup_rows,
    .nrows = COUNT(followup_rows),
};

/* --- names and labels -------------------------------------------------------------------- */

int wf_state_parse(const struct wf_machine *m, const char *name)
{
    for (size_t i = 0; name && i < m->nstates; i++)
        if (strcmp(m->states[i].name, name) == 0)
            return (int)i;
    return -1;
}

static bool state_ok(const struct wf_machine *m, int state)
{
    return state >= 0 && (size_t)state < m->nstates;
}

static bool action_ok(const struct wf_machine *m, int action)
{
    return action >= 0 && (size_t)action < m->nactions;
}

const char *wf_state_name(const struct wf_machine *m, int state)
{
    return state_ok(m, state) ? m->states[state].name : NULL;
}

const char *wf_state_label(const struct wf_machine *m, int state)
{
    return state_ok(m, state) ? m->states[state].label : NULL;
}

bool wf_state_locked(const struct wf_machine *m, int state)
{
    return state_ok(m, state) && m->states[state].locked;
}

int wf_action_parse(const struct wf_machine *m, const char *name)
{
    for (size_t i = 0; name && i < m->nactions; i++)
        if (strcmp(m->actions[i].name, name) == 0)
            return (int)i;
    return -1;
}

const char *wf_action_name(const struct wf_machine *m, int action)
{
    return action_ok(m, action) ? m->actions[action].name : NULL;
}

const char *wf_action_label(const struct wf_machine *m, int action)
{
    return action_ok(m, action) ? m->actions[action].label : NULL;
}

/* --- steps ------------------------------------------------------------------------------- */

const struct wf_row *wf_find(const struct wf_machine *m, int from, int action)
{
    for (size_t i = 0; i < m->nrows; i++)
        if (m->rows[i].from == from && m->rows[i].action == action)
            return &m->rows[i];
    return NULL;
}

bool wf_allowed(const struct wf_row *row, const struct wf_actor *who)
{
    if (!who)
        return false;
    return (row->roles & who->roles) != 0 || ((row->flags & WF_OWNER) && who->owner);
}

size_t wf_actions(const struct wf_machine *m, int from, const struct wf_actor *who,
                  const struct wf_row **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < m->nrows; i++) {
        if (m->rows[i].from != from || !wf_allowed(&m->rows[i], who))
            continue;
        if (n < max)
            out[n] = &m->rows[i];
        n++;
    }
    return n;
}

/* A name safe to quote back: short lowercase ASCII, as every action name is. What a URL
 * brought may be anything, and the message may reach a page. */
static bool quotable(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= 40 || !((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_'))
            return false;
    return n > 0;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

/* "'sekretaer'", "'sekretaer' eller 'godkender'", plus the owner for WF_OWNER rows. */
static void who_may(struct buf *b, const struct wf_row *row)
{
    int n = 0, total = __builtin_popcount((unsigned)row->roles);
    for (unsigned bit = 0; bit < 16; bit++) {
        const char *name = role_name(1 << bit);
        if (!(row->roles & (1 << bit)) || !name)
            continue;
        n++;
        buf_printf(b, "%s'%s'", n == 1 ? "" : n == total ? " eller " : ", ", name);
    }
    if (row->flags & WF_OWNER)
        buf_puts(b, n ? " eller at man selv er ansvarlig" : "at man selv er ansvarlig");
}

int wf_apply(const struct wf_machine *m, int from, const char *action, const struct wf_actor *who,
             const char *reason, int *to, struct err *e)
{
    int a = wf_action_parse(m, action);
    if (a < 0) {
        if (action && quotable(action))
            err_set(e, ERR_SYNTAX, 0, 0, "ukendt handling '%s'", action);
        else
            err_set(e, ERR_SYNTAX, 0, 0, "ukendt handling");
        return ERR_SYNTAX;
    }
    if (!state_ok(m, from)) {
        err_set(e, ERR_SYNTAX, 0, 0, "ukendt tilstand (%d)", from);
        return ERR_SYNTAX;
    }
    const char *aname = m->actions[a].name;
    const struct wf_row *row = wf_find(m, from, a);
    struct buf b = BUF_INIT;
    int rc = 0;
    if (!row) {
        for (size_t i = 0; i < m->nrows; i++)
            if (m->rows[i].from == from)
                buf_printf(&b, "%s%s", b.len ? ", " : "", m->actions[m->rows[i].action].name);
        err_set(e, ERR_CONFLICT, 0, 0, "handling '%s' er ikke mulig fra tilstanden '%s' (%s%s)",
                aname, m->states[from].name, b.len ? "mulige: " : "ingen handlinger er mulige",
                buf_cstr(&b));
        rc = ERR_CONFLICT;
    } else if (!wf_allowed(row, who)) {
        who_may(&b, row);
        err_set(e, ERR_DENIED, 0, 0, "handling '%s' kræver %s%s", aname,
                __builtin_popcount((unsigned)row->roles) > 1 ? "en af rollerne "
                : row->roles                                 ? "rollen "
                                                             : "",
                buf_cstr(&b));
        rc = ERR_DENIED;
    } else if ((row->flags & WF_REASON) && blank(reason)) {
        err_set(e, ERR_SYNTAX, 0, 0, "handling '%s' kræver en begrundelse", aname);
        rc = ERR_SYNTAX;
    } else {
        *to = row->to;
    }
    buf_free(&b);
    return rc;
}
