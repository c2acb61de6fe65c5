/* store_settings: the municipality's settings as data (key, label, help, default, kind) and
 * the check of a value against its kind; backend-neutral. */
#include "store.h"
#include "store_internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../util/email.h"
#include "../util/utf8.h"

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

int store_setting_check(const char *key, const char *value, struct err *e)
{
    const struct store_setting_def *d = store_setting_def(key);
    if (!d) {
        err_set(e, ERR_USAGE, 0, 0, "unknown setting '%s'", key ? key : "");
        return ERR_USAGE;
    }
    if (!value || !*value)
        return 0; /* empty: back to the default */
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
            if (!text_ok(value, false))
                want = "text on one line";
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
        }
    if (want) {
        /* The value itself is not quoted: it may be a secret. */
        err_set(e, ERR_USAGE, 0, 0, "%s: expected %s", key, want);
        return ERR_USAGE;
    }
    return 0;
}
