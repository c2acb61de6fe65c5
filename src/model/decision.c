/* decision: the decision page's model logic (decision.h). */
#include "decision.h"

#include <stdlib.h>
#include <string.h>

#include "../util/buf.h"
#include "extract.h"
#include "guest_text.h"

struct tense {
    const char *now, *then;
};
static const struct tense tenses[] = {
#define PAST_TENSE(now, then) {now, then},
#include "words.inc"
};
static const char *const again[] = {
#define TREATED_AGAIN(s) s,
#include "words.inc"
};

static bool letter(unsigned char c)
{
    /* ASCII letters, digits and every byte of a multi-byte UTF-8 letter (æ ø å é ...). */
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The sentence of text around [at, at + len): from after the last ". " (or a line break)
 * before it to its own closing stop. */
static void sentence_around(const char *text, size_t at, size_t len, size_t *start, size_t *end)
{
    size_t i = at;
    while (i > 0 && !(text[i - 1] == '\n' ||
                      (i >= 2 && text[i - 1] == ' ' &&
                       (text[i - 2] == '.' || text[i - 2] == '!' || text[i - 2] == '?'))))
        i--;
    *start = i;
    size_t j = at + len;
    while (text[j] && text[j] != '\n' &&
           !((text[j] == '.' || text[j] == '!' || text[j] == '?') &&
             (text[j + 1] == ' ' || text[j + 1] == '\n' || text[j + 1] == '\0')))
        j++;
    *end = text[j] && text[j] != '\n' ? j + 1 : j;
}

/* s[0..n) with each present-tense word of the table in the past tense; true when one was. */
static bool past(struct buf *b, const char *s, size_t n)
{
    bool changed = false;
    size_t i = 0;
    while (i < n) {
        size_t k = 0;
        const struct tense *hit = NULL;
        if (i == 0 || !letter((unsigned char)s[i - 1]))
            for (size_t t = 0; t < sizeof tenses / sizeof tenses[0] && !hit; t++) {
                size_t l = strlen(tenses[t].now);
                if (i + l <= n && memcmp(s + i, tenses[t].now, l) == 0 &&
                    (i + l == n || !letter((unsigned char)s[i + l]))) {
                    hit = &tenses[t];
                    k = l;
                }
            }
        if (hit) {
            buf_puts(b, hit->then);
            i += k;
            changed = true;
        } else {
            buf_putc(b, s[i++]);
        }
    }
    return changed;
}

/* Appends the past-tense sentence of text that names `name`, once per sentence (seen holds
 * the starts already taken); true when one was found. */
static bool sentence_of(struct buf *out, const char *text, const char *name, size_t *seen,
                        size_t *nseen)
{
    if (!text || !name || !*name)
        return false;
    const char *p = strstr(text, name);
    if (!p)
        return false;
    size_t start, end;
    sentence_around(text, (size_t)(p - text), strlen(name), &start, &end);
    for (size_t i = 0; i < *nseen; i++)
        if (seen[i] == start)
            return true;
    struct buf b = BUF_INIT;
    bool ok = past(&b, text + start, end - start);
    if (ok) {
        if (out->len)
            buf_putc(out, ' ');
        buf_puts(out, buf_cstr(&b));
        seen[(*nseen)++] = start;
    }
    buf_free(&b);
    return ok;
}

char *decision_guest_text(const struct subitem *s)
{
    if (!s->nguests)
        return NULL;
    struct buf out = BUF_INIT, std = BUF_INIT;
    /* Where the sentences already taken start, in the text and in the title. */
    size_t *seen_text = xcalloc(s->nguests, sizeof *seen_text), ntext = 0;
    size_t *seen_title = xcalloc(s->nguests, sizeof *seen_title), ntitle = 0, nrest = 0;
    struct guest *rest = xcalloc(s->nguests, sizeof *rest);
    for (size_t i = 0; i < s->nguests; i++) {
        const char *name = s->guests[i].name;
        if (!sentence_of(&out, s->text, name, seen_text, &ntext) &&
            !sentence_of(&out, s->title, name, seen_title, &ntitle))
            rest[nrest++] = s->guests[i]; /* a shallow copy: only read below */
    }
    if (nrest) {
        guest_text_sentence(&std, rest, nrest);
        if (out.len)
            buf_putc(&out, ' ');
        past(&out, buf_cstr(&std), std.len);
    }
    free(rest);
    free(seen_text);
    free(seen_title);
    buf_free(&std);
    return out.len ? buf_detach(&out) : (buf_free(&out), NULL);
}

static char *dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

struct decision *decision_prefill(struct case_doc *c, const char *body, const char *date)
{
    struct decision *d = case_add_decision(c);
    d->body = dup(body);
    d->date = dup(date);
    if (c->intro && *c->intro) {
        struct buf b = BUF_INIT;
        past(&b, c->intro, strlen(c->intro));
        d->text = buf_detach(&b);
    }
    if (!c->nsubitems) {
        struct entry *e = decision_add_entry(d);
        e->title = dup(c->title);
        if (c->nguests) {
            struct subitem tmp = {.guests = c->guests, .nguests = c->nguests};
            e->text = decision_guest_text(&tmp);
        }
        return d;
    }
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct entry *e = decision_add_entry(d);
        /* decision_add_entry may move d's entries, never c's sub-items. */
        e->title = dup(c->subitems[i].title);
        e->subitem = i + 1;
        e->text = decision_guest_text(&c->subitems[i]);
    }
    return d;
}

void decision_followup_fini(struct followup *f)
{
    free(f->owner);
    free(f->role);
    free(f->text);
    free(f->due);
    *f = (struct followup){0};
}

void decision_followups_free(struct followup *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        decision_followup_fini(&v[i]);
    free(v);
}

void decision_followup_copy(struct followup *dst, const struct followup *src)
{
    *dst = (struct followup){dup(src->owner), dup(src->role), dup(src->text), dup(src->due)};
}

size_t decision_suggest(const struct case_doc *c, size_t subitem, const char *text,
                        const char *date, struct followup **out)
{
    *out = NULL;
    if (!text || !*text)
        return 0;
    /* A case of its sub-items and their guests (the roles the extraction lends to a name
     * written without one) and this one entry; the extraction fills its follow-ups. */
    struct case_doc *t = case_new();
    t->title = xstrdup(c->title ? c->title : "");
    for (size_t i = 0; i < c->nsubitems; i++) {
        struct subitem *s = case_add_subitem(t);
        s->title = dup(c->subitems[i].title);
        s->text = dup(c->subitems[i].text);
        for (size_t g = 0; g < c->subitems[i].nguests; g++) {
            struct guest *k = subitem_add_guest(s);
            k->name = dup(c->subitems[i].guests[g].name);
            k->role = dup(c->subitems[i].guests[g].role);
        }
    }
    struct decision *d = case_add_decision(t);
    d->date = dup(date);
    struct entry *e = decision_add_entry(d);
    e->subitem = subitem <= c->nsubitems ? subitem : 0;
    e->text = xstrdup(text);
    extract_case(t, NULL);
    e = &t->decisions[0].entries[0];
    size_t n = e->nfollowups;
    *out = e->followups;
    e->followups = NULL;
    e->nfollowups = 0;
    case_free(t);
    return n;
}

size_t decision_entry_dates(const char *text, const char *date, struct dateref **out)
{
    *out = NULL;
    if (!text || !*text)
        return 0;
    struct case_doc *t = case_new();
    t->title = xstrdup("");
    struct decision *d = case_add_decision(t);
    d->date = dup(date);
    struct entry *e = decision_add_entry(d);
    e->text = xstrdup(text);
    extract_case(t, NULL);
    e = &t->decisions[0].entries[0];
    size_t n = e->ndates;
    *out = e->dates;
    e->dates = NULL;
    e->ndates = 0;
    case_free(t);
    return n;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

char *decision_append_phrase(const char *text, const char *phrase)
{
    struct buf b = BUF_INIT;
    size_t n = text ? strlen(text) : 0;
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\n' || text[n - 1] == '\r' ||
                 text[n - 1] == '\t'))
        n--;
    if (n) {
        buf_put(&b, text, n);
        /* A sentence left without its stop gets one before the phrase. */
        char last = text[n - 1];
        if (last != '.' && last != '!' && last != '?' && last != ':')
            buf_putc(&b, '.');
        buf_putc(&b, ' ');
    }
    if (phrase && !blank(phrase)) {
        buf_puts(&b, phrase);
        size_t l = strlen(phrase);
        char last = phrase[l - 1];
        if (last != '.' && last != '!' && last != '?')
            buf_putc(&b, '.');
    }
    return buf_detach(&b);
}

size_t decision_phrases(const char *setting, char ***out)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    const char *p = setting ? setting : "";
    while (*p) {
        size_t len = strcspn(p, "|");
        const char *a = p, *z = p + len;
        while (a < z && (*a == ' ' || *a == '\t'))
            a++;
        while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
            z--;
        if (z > a) {
            if (n == cap) {
                cap = cap ? cap * 2 : 4;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n++] = xstrndup(a, (size_t)(z - a));
        }
        p += len;
        if (*p == '|')
            p++;
    }
    *out = v;
    return n;
}

void decision_phrases_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

bool decision_treated_again(const char *text)
{
    if (!text)
        return false;
    size_t n = strlen(text);
    char *low = xmalloc(n + 1);
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)text[i];
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    bool hit = false;
    for (size_t i = 0; i < sizeof again / sizeof again[0] && !hit; i++)
        hit = strstr(low, again[i]) != NULL;
    free(low);
    return hit;
}
