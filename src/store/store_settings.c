/* store_settings: the municipality's settings as data (key, label, help, default, kind) and
 * the check of a value against its kind; backend-neutral. */
#include "store.h"
#include "store_internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../util/email.h"
#include "../util/utf8.h"
#include "../model/sdg.h" /* issue 10, sdg */

const struct store_setting_def store_setting_defs[] = {
    {"municipality.name", "Kommunens navn", "Vises i sidehovedet og i feeds, fx Lindholm Kommune.",
     NULL, STORE_SETTING_TEXT, NULL},
    {"municipality.contact", "Kontaktadresse",
     "Postadresse og telefon, vises i sidefoden (linjeskift tilladt).", NULL, STORE_SETTING_TEXT,
     NULL},
    {"municipality.email", "Kontakt-e-mail", "Vises i sidefoden.", NULL, STORE_SETTING_EMAIL,
     NULL},
    {"municipality.logo", "Logo (adresse)",
     "En sti på dette websted (fx /static/logo.png) eller en https-adresse.", NULL,
     STORE_SETTING_URL, NULL},
    {"accessibility.url", "Tilgængelighedserklæring",
     "Adressen på kommunens tilgængelighedserklæring; linkes fra hver sides sidefod.", NULL,
     STORE_SETTING_URL, NULL},
    {"public.base_url", "Offentlig adresse",
     "Den adresse borgerne bruger, fx https://referater.lindholm.dk (bruges i feeds og links, "
     "og til Secure-cookies bag en TLS-proxy).", NULL, STORE_SETTING_URL, NULL},
    {"proxy.trusted", "Betroet proxy",
     "IP-adressen på den TLS-proxy, der står foran referat (fx 127.0.0.1). Kun fra den læses "
     "X-Forwarded-For.", NULL, STORE_SETTING_ADDR, NULL},
    {"session.idle_seconds", "Log ud efter inaktivitet (sekunder)",
     "En session udløber, når den ikke har været brugt så længe.", "7200", STORE_SETTING_SECONDS,
     NULL},
    {"session.max_seconds", "Længste session (sekunder)",
     "En session udløber senest så længe efter login.", "43200", STORE_SETTING_SECONDS, NULL},
    {"login.failures_per_name", "Mislykkede login pr. brugernavn",
     "Så mange forkerte forsøg på ét brugernavn inden for tidsrummet spærrer det en tid.", "5",
     STORE_SETTING_COUNT, NULL},
    {"login.failures_per_address", "Mislykkede login pr. IP-adresse",
     "Så mange forkerte forsøg fra én adresse spærrer den en tid (kontorer deler ofte adresse).",
     "50", STORE_SETTING_COUNT, NULL},
    {"login.window_seconds", "Tidsrum for mislykkede login (sekunder)", NULL, "900",
     STORE_SETTING_SECONDS, NULL},
    {"login.lock_seconds", "Spærretid efter for mange forsøg (sekunder)", NULL, "900",
     STORE_SETTING_SECONDS, NULL},
    {"smtp.host", "SMTP-server", "Værtsnavnet på den server, der sender e-mail.", NULL,
     STORE_SETTING_HOST, NULL},
    {"smtp.port", "SMTP-port", "Typisk 587 (STARTTLS) eller 465 (TLS).", "587",
     STORE_SETTING_PORT, NULL},
    {"smtp.security", "SMTP-sikkerhed", "starttls, tls eller none (kun til en lokal server).",
     "starttls", STORE_SETTING_CHOICE, "starttls|tls|none"},
    {"smtp.user", "SMTP-bruger", NULL, NULL, STORE_SETTING_TEXT, NULL},
    {"smtp.password", "SMTP-adgangskode", "Vises aldrig igen og skrives aldrig i loggen.", NULL,
     STORE_SETTING_SECRET, NULL},
    {"smtp.from", "Afsenderadresse", "Den adresse, e-mails sendes fra.", NULL,
     STORE_SETTING_EMAIL, NULL},
    /* editor (issue 8): the bilag upload limit (store_attachment_limit) */
    {"attachment.max_mb", "Største bilag (MB)",
     "Filer over denne størrelse afvises ved upload af bilag.", "50", STORE_SETTING_COUNT, NULL},
    /* Invitations (issue 8): the relay's certificate, when an internal CA signs it. */
    {"smtp.ca_file", "SMTP-serverens CA-certifikater",
     "Sti til en fil med de CA-certifikater, SMTP-serverens certifikat skal kunne føres "
     "tilbage til (tom: systemets).", NULL, STORE_SETTING_TEXT, NULL},
};
const size_t store_nsetting_defs = sizeof store_setting_defs / sizeof store_setting_defs[0];

const struct store_setting_def *store_setting_def(const char *key)
{
    for (size_t i = 0; key && i < store_nsetting_defs; i++)
        if (strcmp(store_setting_defs[i].key, key) == 0)
            return &store_setting_defs[i];
    return NULL;
}

static bool text_ok(const char *v, bool newlines)
{
    size_t n = strlen(v);
    if (utf8_invalid_at(v, n) != n)
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 && !(newlines && (*p == '\n' || *p == '\r'))) || *p == 0x7f)
            return false;
    return true;
}

static bool url_ok(const char *v)
{
    if (v[0] == '/' && v[1] != '/')
        return text_ok(v, false) && !strpbrk(v, " \"'<>\\");
    const char *rest = strncmp(v, "https://", 8) == 0  ? v + 8
                       : strncmp(v, "http://", 7) == 0 ? v + 7
                                                       : NULL;
    if (!rest || !*rest || *rest == '/' || strpbrk(v, " \"'<>\\`"))
        return false;
    return text_ok(v, false);
}

bool store_email_ok(const char *v)
{
    return email_ok(v);
}

static bool host_ok(const char *v)
{
    if (!*v || strlen(v) > 253)
        return false;
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-'))
            return false;
    return v[0] != '-' && v[0] != '.';
}

static bool addr_ok(const char *v)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1;
}

static bool number_in(const char *v, long lo, long hi)
{
    char *end;
    if (!*v || *v == '-' || *v == '+')
        return false;
    long n = strtol(v, &end, 10);
    return !*end && n >= lo && n <= hi;
}

static bool choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = choices; p && *p;) {
        size_t k = strcspn(p, "|");
        if (k == n && strncmp(p, v, n) == 0)
            return true;
        p += k + (p[k] == '|');
    }
    return false;
}

/* The value checked against its definition; ERR_USAGE names the key and what was expected,
 * never the value (it may be a secret). Empty is always allowed: back to the default. */
static int check_def(const struct store_setting_def *d, const char *value, struct err *e)
{
    if (!value || !*value)
        return 0;
    const char *want = NULL;
    if (strlen(value) > 2000)
        want = "at most 2000 bytes";
    else
        switch (d->kind) {
        case STORE_SETTING_TEXT:
            if (!text_ok(value, true))
                want = "text without control characters";
            break;
        case STORE_SETTING_SECRET:
        case STORE_SETTING_LINE:
            if (!text_ok(value, false) || strlen(value) > 200)
                want = "text on one line (at most 200 bytes)";
            break;
        case STORE_SETTING_URL:
            if (!url_ok(value))
                want = "an address beginning with https:// (or http://), or a path beginning "
                       "with /";
            break;
        case STORE_SETTING_EMAIL:
            if (!store_email_ok(value))
                want = "an e-mail address such as post@lindholm.dk";
            break;
        case STORE_SETTING_HOST:
            if (!host_ok(value))
                want = "a host name such as smtp.lindholm.dk";
            break;
        case STORE_SETTING_ADDR:
            if (!addr_ok(value))
                want = "an IPv4 or IPv6 address such as 127.0.0.1";
            break;
        case STORE_SETTING_PORT:
            if (!number_in(value, 1, 65535))
                want = "a port number from 1 to 65535";
            break;
        case STORE_SETTING_SECONDS:
            if (!number_in(value, 60, 366L * 24 * 3600))
                want = "seconds from 60 to 31622400";
            break;
        case STORE_SETTING_COUNT:
            if (!number_in(value, 1, 1000000))
                want = "a whole number from 1 to 1000000";
            break;
        case STORE_SETTING_CHOICE:
            if (!choice_ok(d->choices, value))
                want = d->choices;
            break;
        case STORE_SETTING_DAYS:
            if (!number_in(value, 0, 365))
                want = "whole days from 0 to 365";
            break;
        case STORE_SETTING_MINUTES:
            if (!number_in(value, 1, 240))
                want = "minutes from 1 to 240";
            break;
        case STORE_SETTING_TIME:
            if (store_time_minutes(value) < 0)
                want = "a time of day HH:MM from 00:00 to 23:59, such as 09:00";
            break;
        case STORE_SETTING_GOALS: { /* issue 10, sdg */
            sdg_set set;
            if (sdg_parse(value, &set, NULL) < 0)
                want = "goal numbers from 1 to 17, each once, separated by commas, such as 7, 13";
            break;
        }
        }
    if (want) {
        err_set(e, ERR_USAGE, 0, 0, "%s: expected %s", d->key, want);
        return ERR_USAGE;
    }
    return 0;
}

int store_setting_check(const char *key, const char *value, struct err *e)
{
    const struct store_setting_def *d = store_setting_def(key);
    if (!d) {
        err_set(e, ERR_USAGE, 0, 0, "unknown setting '%s'", key ? key : "");
        return ERR_USAGE;
    }
    return check_def(d, value, e);
}

/* ---- a body's settings (issue 8) ---- */

/* The agenda's rules and a new meeting's defaults, per body. case.signoff's default depends on
 * the body (store_body_setting_default). */
const struct store_setting_def store_body_setting_defs[] = {
    {"agenda.deadline_days", "Frist for dagsordenen (dage før mødet)",
     "Sager skal være sat på dagsordenen senest så mange hele dage før mødet.", "5",
     STORE_SETTING_DAYS, NULL},
    {"agenda.late", "Sager efter fristen",
     "tilladt: optages som andre; markeret: optages og markeres som for sene; afvist: kan "
     "ikke optages.", "markeret", STORE_SETTING_CHOICE, "tilladt|markeret|afvist"},
    {"meeting.start", "Mødets start", "Forslag til et nyt mødes starttid (TT:MM).", "09:00",
     STORE_SETTING_TIME, NULL},
    {"meeting.end", "Mødets slut", "Forslag til et nyt mødes sluttid (TT:MM).", "12:00",
     STORE_SETTING_TIME, NULL},
    {"meeting.place", "Mødested", "Forslag til et nyt mødes sted, fx Rådhuset, mødelokale 1.",
     NULL, STORE_SETTING_LINE, NULL},
    {"meeting.slot_minutes", "Taletid pr. punkt (minutter)",
     "Den varighed, et nyt punkt i tidsplanen får.", "5", STORE_SETTING_MINUTES, NULL},
    {"case.signoff", "Sager skal godkendes",
     "1: en godkender skal godkende sagen, før den kan optages; 0: sekretariatet skriver "
     "sagerne selv.", "1", STORE_SETTING_CHOICE, "1|0"},
    /* ---- issue 9, publication ---- */
    {"publication.rule", "Regel for offentliggørelse",
     "kommunalbestyrelse: en lukket sag skal have en offentlig beslutningstekst, før "
     "referatet kan offentliggøres; frivillig: offentliggørelse er frivillig (Direktionen).",
     "kommunalbestyrelse", STORE_SETTING_CHOICE, "kommunalbestyrelse|frivillig"},
    /* ---- end issue 9, publication ---- */
    /* ---- issue 9, minutes ---- */
    {"minutes.approval_days", "Frist for godkendelse af referatet (dage)",
     "Så mange dage efter, at referatet er sendt til godkendelse, kan sekretæren lukke "
     "godkendelsesrunden, også hvis ikke alle medlemmer har svaret.", "3", STORE_SETTING_DAYS,
     NULL},
    /* ---- end issue 9, minutes ---- */
    /* ---- issue 9, decisions: the standard phrases one click away on the decision page ---- */
    {"decision.phrases", "Standardformuleringer i beslutninger",
     "Formuleringer, der kan indsættes med ét klik, adskilt af |.",
     "Godkendt|Drøftet|Taget til efterretning", STORE_SETTING_LINE, NULL},
    /* ---- issue 9, live: whether the HTML minutes show the actual times ---- */
    {"minutes.actual_times", "Faktiske tider i referatet",
     "1: referatet (HTML) viser punkternes faktiske start og slut fra mødet ved siden af de "
     "planlagte; 0: kun de planlagte.", "0", STORE_SETTING_CHOICE, "0|1"},
    /* ---- end issue 9, live ---- */
    /* ---- issue 10, sdg: the verdensmål a new case of the body starts with ---- */
    {"sdg.default", "Verdensmål for nye sager",
     "Numrene på de verdensmål (1-17), en ny sag i organet får på forhånd, adskilt af komma; "
     "tom: ingen.", NULL, STORE_SETTING_GOALS, NULL},
    /* ---- end issue 10, sdg ---- */
    /* ---- issue 10, portal follow-ups: what the portal shows of the body's follow-ups ---- */
    {"followup.public", "Opfølgninger på portalen",
     "1: portalen viser organets opfølgninger med ansvarlig, frist og status (på "
     "/opfoelgning, personsiderne, sagssiderne og i API'et); 0: ikke (beslutningsteksten "
     "vises stadig).", "1", STORE_SETTING_CHOICE, "1|0"},
    {"followup.overdue_mark", "Overskredne frister på portalen",
     "1: portalen markerer en åben opfølgning efter fristen som Overskredet ved den "
     "ansvarliges navn; 0: portalen viser kun fristen.", "0", STORE_SETTING_CHOICE, "0|1"},
    /* ---- end issue 10, portal follow-ups ---- */
    /* ---- issue 10, remind: how early `referat remind` tells a follow-up's owner ---- */
    {"followup.remind_days", "Påmindelse om opfølgning (dage før fristen)",
     "Så mange dage før en opfølgnings frist får den ansvarlige en påmindelse pr. e-mail; "
     "dagen efter fristen får den ansvarlige besked om, at fristen er overskredet.", "7",
     STORE_SETTING_DAYS, NULL},
    /* ---- end issue 10, remind ---- */
};
const size_t store_nbody_setting_defs =
    sizeof store_body_setting_defs / sizeof store_body_setting_defs[0];

const struct store_setting_def *store_body_setting_def(const char *key)
{
    for (size_t i = 0; key && i < store_nbody_setting_defs; i++)
        if (strcmp(store_body_setting_defs[i].key, key) == 0)
            return &store_body_setting_defs[i];
    return NULL;
}

const char *store_body_setting_default(const struct store_setting_def *d, const char *code,
                                       const char *name)
{
    /* The Direktion's secretariat writes its cases itself. */
    if (strcmp(d->key, "case.signoff") == 0 &&
        ((code && strcmp(code, "DIR") == 0) || (name && strcmp(name, "Direktionen") == 0)))
        return "0";
    /* issue 9, publication: the Direktion's minutes are internal; publishing is voluntary. */
    if (strcmp(d->key, "publication.rule") == 0 &&
        ((code && strcmp(code, "DIR") == 0) || (name && strcmp(name, "Direktionen") == 0)))
        return "frivillig";
    return d->def;
}

int store_body_setting_check(const char *key, const char *value, struct err *e)
{
    const struct store_setting_def *d = store_body_setting_def(key);
    if (!d) {
        err_set(e, ERR_USAGE, 0, 0, "unknown body setting '%s' (see referat body settings)",
                key ? key : "");
        return ERR_USAGE;
    }
    return check_def(d, value, e);
}

int store_time_minutes(const char *v)
{
    /* HH:MM exactly: two digits each, as <input type="time"> sends it. */
    if (!v || strlen(v) != 5 || v[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -1;
    int h = (v[0] - '0') * 10 + (v[1] - '0'), m = (v[3] - '0') * 10 + (v[4] - '0');
    return h > 23 || m > 59 ? -1 : h * 60 + m;
}
