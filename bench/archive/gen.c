/* gen: seeded Markdown cases for the archive benchmark, varied from the examples' models. */
#include "gen.h"
#include "format/format.h"
#include "util/file.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const first_names[] = {
    "Anne",  "Bo",    "Camilla", "Dorte", "Erik",   "Frederik", "Gitte", "Henrik",
    "Ida",   "Jens",  "Karin",   "Lars",  "Mette",  "Niels",    "Ole",   "Pia",
    "Rasmus", "Sofie", "Thomas", "Ulla",  "Vibeke", "Åse",      "Søren", "Birgitte"};
static const char *const last_names[] = {
    "Andersen", "Bech",   "Christensen", "Dahl",     "Enevoldsen", "Frost", "Grøn",
    "Holm",     "Iversen", "Juhl",       "Kjær",     "Lund",       "Møller", "Nørgaard",
    "Overgaard", "Poulsen", "Rasmussen", "Sørensen", "Thygesen",   "Vestergaard"};
static const char *const topics[] = {"budget", "klima", "skole", "ældrepleje", "trafik",
                                     "digitalisering", "beredskab", "råderum", "kultur",
                                     "erhverv", "bosætning", "sundhed", "vand", "affald"};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])
#define MAX_TEMPLATES 64

struct gen {
    unsigned state;
    struct case_doc *tmpl[MAX_TEMPLATES];
    size_t ntmpl;
    /* Pools across all templates: sub-items, entry texts, attachments, person names. */
    const struct subitem **sub;
    size_t nsub;
    const char **entry_text;
    size_t nentry_text;
    const struct attachment **att;
    size_t natt;
    char **names;
    size_t nnames;
    size_t serial;
};

/* xorshift32: the same numbers on every machine, unlike rand(). */
static unsigned rnd(struct gen *g)
{
    unsigned x = g->state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return g->state = x;
}

#define GROW(v, n) ((v) = xrealloc((v), ((n) + 1) * sizeof *(v)), &(v)[(n)++])

static void add_name(struct gen *g, const char *name)
{
    /* Only people (two words or more) are renamed; units keep their names. */
    if (!name || !strchr(name, ' '))
        return;
    for (size_t i = 0; i < g->nnames; i++)
        if (strcmp(g->names[i], name) == 0)
            return;
    *GROW(g->names, g->nnames) = xstrdup(name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct gen *gen_new(const char *dir, unsigned seed)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    struct gen *g = xcalloc(1, sizeof *g);
    g->state = seed ? seed : 1;
    char *files[MAX_TEMPLATES];
    size_t nfiles = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && nfiles < MAX_TEMPLATES) {
        size_t len = strlen(de->d_name);
        if (len > 3 && de->d_name[0] >= '0' && de->d_name[0] <= '9' &&
            strcmp(de->d_name + len - 3, ".md") == 0)
            files[nfiles++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(files, nfiles, sizeof *files, by_name); /* readdir's order is not reproducible */
    for (size_t i = 0; i < nfiles; i++) {
        struct buf path = BUF_INIT, bytes = BUF_INIT;
        struct err e = {0};
        struct warnings w = {0};
        struct case_doc *c = NULL;
        buf_printf(&path, "%s/%s", dir, files[i]);
        if (file_read(buf_cstr(&path), &bytes, &e) == 0 &&
            fmt_read(&fmt_read_md, buf_cstr(&bytes), bytes.len, FMT_NOLAYOUT, &c, &e, &w) == 0)
            g->tmpl[g->ntmpl++] = c;
        warnings_fini(&w);
        buf_free(&path);
        buf_free(&bytes);
        free(files[i]);
    }
    for (size_t t = 0; t < g->ntmpl; t++) {
        struct case_doc *c = g->tmpl[t];
        for (size_t i = 0; i < c->nsubitems; i++) {
            *GROW(g->sub, g->nsub) = &c->subitems[i];
            for (size_t k = 0; k < c->subitems[i].nguests; k++)
                add_name(g, c->subitems[i].guests[k].name);
        }
        for (size_t i = 0; i < c->ndecisions; i++)
            for (size_t k = 0; k < c->decisions[i].nentries; k++) {
                const struct entry *en = &c->decisions[i].entries[k];
                if (en->text)
                    *GROW(g->entry_text, g->nentry_text) = en->text;
                for (size_t j = 0; j < en->nfollowups; j++)
                    if (en->followups[j].role)
                        add_name(g, en->followups[j].owner);
            }
        for (size_t i = 0; i < c->nattachments; i++)
            *GROW(g->att, g->natt) = &c->attachments[i];
    }
    if (!g->ntmpl || !g->nsub || !g->nentry_text) {
        gen_free(g);
        return NULL;
    }
    return g;
}

void gen_free(struct gen *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->ntmpl; i++)
        case_free(g->tmpl[i]);
    for (size_t i = 0; i < g->nnames; i++)
        free(g->names[i]);
    free(g->names);
    free(g->sub);
    free(g->entry_text);
    free(g->att);
    free(g);
}

static char *replace_all(char *s, const char *from, const char *to)
{
    if (!s || !strstr(s, from))
        return s;
    struct buf b = BUF_INIT;
    size_t fl = strlen(from);
    const char *p = s;
    for (const char *q; (q = strstr(p, from)) != NULL; p = q + fl) {
        buf_put(&b, p, (size_t)(q - p));
        buf_puts(&b, to);
    }
    buf_puts(&b, p);
    free(s);
    return buf_detach(&b);
}

/* Days since 1970-01-01 to a civil date and back (proleptic Gregorian). */
static void civil(long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

static char *iso_date(long days)
{
    int y;
    unsigned m, d;
    char out[48];
    civil(days, &y, &m, &d);
    snprintf(out, sizeof out, "%04d-%02u-%02u", y, m, d);
    return xstrdup(out);
}

static char *dupf(const char *fmt, const char *a, const char *b)
{
    struct buf x = BUF_INIT;
    buf_printf(&x, fmt, a, b);
    return buf_detach(&x);
}

/* A fresh agenda: 6 to 18 sub-items drawn from all examples, each decided by an entry. */
static void vary_agenda(struct gen *g, struct case_doc *c)
{
    bool timed = c->nsubitems && c->subitems[0].time;
    size_t k = 6 + rnd(g) % 13;
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = &c->subitems[i];
        free(s->time);
        free(s->title);
        free(s->text);
        for (size_t j = 0; j < s->nguests; j++) {
            free(s->guests[j].name);
            free(s->guests[j].role);
        }
        free(s->guests);
    }
    free(c->subitems);
    c->subitems = NULL;
    c->nsubitems = 0;
    for (size_t i = 0; i < k; i++) {
        const struct subitem *p = g->sub[rnd(g) % g->nsub];
        struct subitem *s = case_add_subitem(c);
        char num[16];
        snprintf(num, sizeof num, "%zu", i + 1);
        /* Unique titles: the decision entries find their sub-item by title. */
        s->title = dupf("%s (%s)", p->title ? p->title : "Punkt", num);
        s->text = xstrdup(p->text);
        if (timed) {
            char t[48];
            snprintf(t, sizeof t, "%02zu.%02zu", 9 + i * 15 / 60, i * 15 % 60);
            s->time = xstrdup(t);
        }
    }
    for (size_t d = 0; d < c->ndecisions; d++) {
        struct decision *dec = &c->decisions[d];
        if (!dec->nentries)
            continue;
        for (size_t i = 0; i < dec->nentries; i++) {
            struct entry *en = &dec->entries[i];
            free(en->title);
            free(en->text);
            for (size_t j = 0; j < en->nfollowups; j++) {
                free(en->followups[j].owner);
                free(en->followups[j].role);
                free(en->followups[j].text);
                free(en->followups[j].due);
            }
            free(en->followups);
            for (size_t j = 0; j < en->ndates; j++) {
                free(en->dates[j].text);
                free(en->dates[j].start);
                free(en->dates[j].end);
            }
            free(en->dates);
        }
        free(dec->entries);
        dec->entries = NULL;
        dec->nentries = 0;
        for (size_t i = 0; i < c->nsubitems; i++) {
            struct entry *en = decision_add_entry(dec);
            en->title = xstrdup(c->subitems[i].title);
            en->subitem = i + 1;
            en->text = xstrdup(g->entry_text[rnd(g) % g->nentry_text]);
        }
    }
}

static void vary_attachments(struct gen *g, struct case_doc *c)
{
    for (size_t i = 0; i < c->nattachments; i++) {
        free(c->attachments[i].title);
        free(c->attachments[i].journal);
        free(c->attachments[i].flag);
        free(c->attachments[i].document);
    }
    free(c->attachments);
    c->attachments = NULL;
    c->nattachments = 0;
    if (!c->has_attachments)
        return;
    size_t n = rnd(g) % 7;
    for (size_t i = 0; i < n; i++) {
        const struct attachment *p = g->att[rnd(g) % g->natt];
        struct attachment *a = case_add_attachment(c);
        char buf[32];
        a->number = (unsigned)i + 1;
        a->public = p->public;
        a->title = xstrdup(p->title);
        a->flag = xstrdup(p->flag);
        if (p->journal && *p->journal && strcmp(p->journal, "0") != 0) {
            snprintf(buf, sizeof buf, "%u/%02u", 100000 + rnd(g) % 900000, 15 + rnd(g) % 11);
            a->journal = xstrdup(buf);
        } else {
            a->journal = xstrdup(p->journal);
        }
        if (p->document) {
            snprintf(buf, sizeof buf, "%u", 3000000 + rnd(g) % 999999);
            a->document = xstrdup(buf);
        }
    }
}

static void rename_person(struct case_doc *c, const char *from, const char *to)
{
    c->presentation = replace_all(c->presentation, from, to);
    c->recommendation = replace_all(c->recommendation, from, to);
    for (size_t i = 0; i < c->nsubitems; i++)
        c->subitems[i].text = replace_all(c->subitems[i].text, from, to);
    for (size_t i = 0; i < c->ndecisions; i++) {
        c->decisions[i].text = replace_all(c->decisions[i].text, from, to);
        for (size_t k = 0; k < c->decisions[i].nentries; k++)
            c->decisions[i].entries[k].text =
                replace_all(c->decisions[i].entries[k].text, from, to);
    }
}

size_t gen_next(struct gen *g, struct buf *out)
{
    const struct case_doc *t = g->tmpl[rnd(g) % g->ntmpl];
    struct case_doc *c = case_dup(t);
    layout_fini(&c->layout);
    g->serial++;
    if (c->nsubitems)
        vary_agenda(g, c);
    vary_attachments(g, c);
    /* Some titles name their topic, as real archives' titles do. */
    if (rnd(g) % 2) {
        char *title = dupf("%s: %s", c->title, topics[rnd(g) % COUNT(topics)]);
        free(c->title);
        c->title = title;
    }
    for (size_t i = 0; i < g->nnames; i++) {
        char *to = dupf("%s %s", first_names[rnd(g) % COUNT(first_names)],
                        last_names[rnd(g) % COUNT(last_names)]);
        rename_person(c, g->names[i], to);
        free(to);
    }
    /* Meetings from 2015 to 2025; each later body in the route two weeks on. */
    long day = 16436 + (long)(rnd(g) % 4000);
    for (size_t i = 0; i < c->ndecisions; i++) {
        free(c->decisions[i].date);
        c->decisions[i].date = iso_date(day + 14 * (long)i);
    }
    buf_truncate(out, 0);
    fmt_write(&fmt_write_md, c, FMT_NOLAYOUT, out);
    size_t n = c->nsubitems;
    case_free(c);
    return n;
}
