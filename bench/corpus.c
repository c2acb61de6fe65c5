/* corpus: generate many plausible cases by varying the examples (names, dates, counts). */
#include "corpus.h"
#include "format/format.h"
#include "util/file.h"

#include <dirent.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const first[] = {"Anne", "Bo", "Camilla", "Dorte", "Erik", "Frederik",
                                    "Gitte", "Henrik", "Ida", "Jens", "Karin", "Lars",
                                    "Mette", "Niels", "Ole", "Pia", "Rasmus", "Sofie",
                                    "Thomas", "Ulla", "Vibeke", "Åse", "Ørjan", "Ægir"};
static const char *const last[] = {"Andersen", "Bech", "Christensen", "Dahl", "Enevoldsen",
                                   "Frost", "Grøn", "Holm", "Iversen", "Juhl", "Kjær",
                                   "Lund", "Møller", "Nørgaard", "Overgaard", "Poulsen",
                                   "Rasmussen", "Sørensen", "Thygesen", "Vestergaard"};
static const char *const words[] = {"budget", "klima", "skole", "ældrepleje", "trafik",
                                    "digitalisering", "beredskab", "råderum", "kultur",
                                    "erhverv", "bosætning", "sundhed", "vand", "affald"};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* xorshift32: reproducible across machines, unlike rand(). */
static unsigned next(unsigned *s)
{
    unsigned x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    if (!s)
        return NULL;
    struct buf b = BUF_INIT;
    size_t fl = strlen(from);
    for (const char *q; (q = strstr(s, from));) {
        buf_put(&b, s, (size_t)(q - s));
        buf_puts(&b, to);
        s = q + fl;
    }
    buf_puts(&b, s);
    return buf_detach(&b);
}

static void swap_text(char **field, const char *from, const char *to)
{
    char *n = replace_all(*field, from, to);
    free(*field);
    *field = n;
}

/* Every text field of the case, so one replacement reaches all of them. */
static void rename_everywhere(struct case_doc *c, const char *from, const char *to)
{
    swap_text(&c->presentation, from, to);
    for (size_t i = 0; i < c->nsubitems; i++)
        swap_text(&c->subitems[i].text, from, to);
    for (size_t i = 0; i < c->ndecisions; i++)
        for (size_t k = 0; k < c->decisions[i].nentries; k++)
            swap_text(&c->decisions[i].entries[k].text, from, to);
}

static void shift_date(char **iso, int days)
{
    int y, m, d;
    if (!*iso || sscanf(*iso, "%d-%d-%d", &y, &m, &d) != 3)
        return;
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = d;
    icaltime_adjust(&t, days, 0, 0, 0);
    char out[32];
    snprintf(out, sizeof out, "%04d-%02d-%02d", t.year, t.month, t.day);
    free(*iso);
    *iso = xstrdup(out);
}

static void vary(struct case_doc *c, unsigned *seed, size_t serial)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s (%s, sag %zu)", c->title, words[next(seed) % COUNT(words)],
             serial);
    free(c->title);
    c->title = xstrdup(buf);
    /* Guests get other names, everywhere they are mentioned. */
    for (size_t i = 0; i < c->nsubitems; i++)
        for (size_t k = 0; k < c->subitems[i].nguests; k++) {
            snprintf(buf, sizeof buf, "%s %s", first[next(seed) % COUNT(first)],
                     last[next(seed) % COUNT(last)]);
            char *old = xstrdup(c->subitems[i].guests[k].name);
            rename_everywhere(c, old, buf);
            free(old);
        }
    int days = (int)(next(seed) % 1500) - 750;
    for (size_t i = 0; i < c->ndecisions; i++)
        shift_date(&c->decisions[i].date, days);
    /* Counts: repeat the agenda and its decisions up to three times. */
    size_t n = c->nsubitems, times = 1 + next(seed) % 3;
    for (size_t t = 1; t < times && n; t++)
        for (size_t i = 0; i < n; i++) {
            struct subitem *s = case_add_subitem(c), *o = &c->subitems[i];
            snprintf(buf, sizeof buf, "%s, del %zu", o->title, t + 1);
            s->title = xstrdup(buf);
            s->text = xstrdup(o->text);
            s->time = xstrdup(o->time);
            for (size_t d = 0; d < c->ndecisions; d++) {
                struct entry *e = decision_add_entry(&c->decisions[d]);
                e->title = xstrdup(buf);
                e->text = xstrdup(c->decisions[d].nentries > 1
                                      ? c->decisions[d].entries[i % (c->decisions[d].nentries - 1)].text
                                      : NULL);
            }
        }
    for (size_t i = 0; i < c->nattachments; i++) {
        struct attachment *a = &c->attachments[i];
        if (a->journal && strlen(a->journal) > 3) {
            snprintf(buf, sizeof buf, "%u/%02u", 100000 + next(seed) % 900000, 20 + next(seed) % 6);
            free(a->journal);
            a->journal = xstrdup(buf);
        }
        if (a->document) {
            snprintf(buf, sizeof buf, "%u", 3000000 + next(seed) % 999999);
            free(a->document);
            a->document = xstrdup(buf);
        }
    }
    layout_fini(&c->layout);
}

static void add_doc(struct corpus_docs *d, const char *fmt, const struct case_doc *c)
{
    if (!d->off)
        d->off = xcalloc(1, sizeof *d->off);
    fmt_write(fmt_writer_find(fmt), c, FMT_NOLAYOUT, &d->text);
    d->off = xrealloc(d->off, (d->n + 2) * sizeof *d->off);
    d->off[++d->n] = d->text.len;
}

int corpus_generate(struct corpus *c, const char *examples_dir, size_t target_bytes,
                    unsigned seed)
{
    memset(c, 0, sizeof *c);
    struct case_doc *tmpl[64];
    size_t nt = 0;
    struct dirent **names;
    int nn = scandir(examples_dir, &names, NULL, alphasort);
    for (int i = 0; i < nn; i++) {
        const char *nm = names[i]->d_name;
        size_t len = strlen(nm);
        if (nt < 64 && nm[0] >= '0' && nm[0] <= '9' && len > 3 && !strcmp(nm + len - 3, ".md")) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", examples_dir, nm);
            struct buf b = BUF_INIT;
            struct err e = {0};
            struct warnings w = {0};
            struct case_doc *doc = NULL;
            if (file_read(path, &b, &e) == 0 &&
                fmt_read(&fmt_read_md, b.ptr, b.len, FMT_NOLAYOUT, &doc, &e, &w) == 0)
                tmpl[nt++] = doc;
            warnings_fini(&w);
            buf_free(&b);
        }
        free(names[i]);
    }
    free(names);
    if (!nt)
        return -1;
    if (!seed)
        seed = 1;
    for (size_t serial = 1; c->md.text.len < target_bytes; serial++) {
        struct case_doc *doc = case_dup(tmpl[next(&seed) % nt]);
        vary(doc, &seed, serial);
        add_doc(&c->md, "md", doc);
        add_doc(&c->txt, "txt", doc);
        case_free(doc);
    }
    for (size_t i = 0; i < nt; i++)
        case_free(tmpl[i]);
    return 0;
}

void corpus_fini(struct corpus *c)
{
    buf_free(&c->md.text);
    buf_free(&c->txt.text);
    free(c->md.off);
    free(c->txt.off);
}
