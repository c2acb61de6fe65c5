/* cmd_check: `referat check FILE [--from FMT] [--lenient]`: parse and show what was read: a
 * case export, or a whole-meeting document (its meeting and one case per item). */
#include "cli.h"
#include "model/meeting_doc.h"

#include <getopt.h>
#include <stdio.h>

static void show(const struct case_doc *c)
{
    printf("titel: %s\nstatus: %s\n", c->title, c->public ? "Åben" : "Lukket");
    printf("sagsgang:");
    for (size_t i = 0; i < c->nroute; i++)
        printf("%s %s", i ? "," : "", c->route[i]);
    printf("\npunkter: %zu\n", c->nsubitems);
    for (size_t i = 0; i < c->nsubitems; i++) {
        const struct subitem *s = &c->subitems[i];
        printf("  %zu. [%s] %s\n", i + 1, s->time ? s->time : "-", s->title);
        for (size_t k = 0; k < s->nguests; k++)
            printf("     deltager: %s%s%s\n", s->guests[k].name, s->guests[k].role ? ", " : "",
                   s->guests[k].role ? s->guests[k].role : "");
    }
    printf("beslutninger: %zu\n", c->ndecisions);
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        printf("  %s %s: %zu punkter\n", d->body, d->date, d->nentries);
        for (size_t j = 0; j < d->nfollowups; j++) { /* issue 10, flat follow-ups */
            const struct followup *f = &d->followups[j];
            printf("    opfølgning: %s", f->owner);
            if (f->role)
                printf(" (%s)", f->role);
            if (f->due)
                printf(", frist %s", f->due);
            putchar('\n');
        }
        for (size_t k = 0; k < d->nentries; k++) {
            const struct entry *en = &d->entries[k];
            printf("    - %s", en->title);
            if (en->subitem)
                printf(" (punkt %zu)", en->subitem);
            putchar('\n');
            for (size_t j = 0; j < en->nfollowups; j++) {
                const struct followup *f = &en->followups[j];
                printf("      opfølgning: %s", f->owner);
                if (f->role)
                    printf(" (%s)", f->role);
                if (f->due)
                    printf(", frist %s", f->due);
                putchar('\n');
            }
            for (size_t j = 0; j < en->ndates; j++)
                printf("      dato: %s = %s..%s\n", en->dates[j].text, en->dates[j].start,
                       en->dates[j].end);
        }
    }
    printf("bilag: %zu\n", c->nattachments);
    for (size_t i = 0; i < c->nattachments; i++) {
        const struct attachment *a = &c->attachments[i];
        printf("  %u %s %s\n", a->number, a->public ? "Åben" : "Lukket", a->title);
    }
}

static void show_case_extras(const struct case_doc *c, const char *in)
{
    for (size_t i = 0; i < c->nrefs; i++)
        printf("%s%s: %s\n", in, c->refs[i].kind, c->refs[i].value);
    if (c->presentation)
        printf("%ssagsfremstilling: ja\n", in);
    if (c->recommendation)
        printf("%sindstilling: ja\n", in);
    for (size_t i = 0; i < c->nsections; i++)
        printf("%safsnit: %s\n", in, *c->sections[i].name ? c->sections[i].name : "(uden overskrift)");
    for (size_t i = 0; i < c->nguests; i++)
        printf("%sdeltager: %s%s%s\n", in, c->guests[i].name, c->guests[i].role ? ", " : "",
               c->guests[i].role ? c->guests[i].role : "");
    for (size_t i = 0; i < c->ndecisions; i++) {
        const struct decision *d = &c->decisions[i];
        printf("%sbeslutning: %s %s\n", in, d->body, d->date ? d->date : "-");
        for (size_t j = 0; j < d->nfollowups; j++) { /* issue 10, flat follow-ups */
            const struct followup *f = &d->followups[j];
            printf("%s  opfølgning: %s", in, f->owner);
            if (f->role)
                printf(" (%s)", f->role);
            if (f->due)
                printf(", frist %s", f->due);
            putchar('\n');
        }
        for (size_t k = 0; k < d->nentries; k++)
            for (size_t j = 0; j < d->entries[k].nfollowups; j++) {
                const struct followup *f = &d->entries[k].followups[j];
                printf("%s  opfølgning: %s", in, f->owner);
                if (f->role)
                    printf(" (%s)", f->role);
                if (f->due)
                    printf(", frist %s", f->due);
                putchar('\n');
            }
    }
}

static void show_meeting(const struct meeting_doc *d)
{
    const struct meeting *m = d->meeting;
    printf("møde: %s\n", d->body ? d->body : "-");
    printf("type: %s\n", d->kind ? d->kind : "-");
    printf("dato: %s\n", m->date ? m->date : "-");
    printf("tid: %s-%s\n", m->start ? m->start : "", m->end ? m->end : "");
    printf("sted: %s\n", m->place ? m->place : "-");
    printf("deltagere: %zu\n", m->nattendees);
    for (size_t i = 0; i < m->nattendees; i++) {
        const struct attendee *a = &m->attendees[i];
        printf("  %s%s%s%s: %s", a->name, a->remark ? " (" : "", a->remark ? a->remark : "",
               a->remark ? ")" : "", attendee_status_label((int)a->status));
        if (a->substitute)
            printf(", %s", a->substitute);
        putchar('\n');
    }
    printf("punkter: %zu\n", d->nitems);
    for (size_t i = 0; i < d->nitems; i++) {
        const struct meeting_item *it = &d->items[i];
        printf("  %s. [%s] %s%s%s%s\n", it->number ? it->number : "-",
               it->c->public ? "Åben" : "Lukket", it->c->title, it->kind ? " (" : "",
               it->kind ? it->kind : "", it->kind ? ")" : "");
        show_case_extras(it->c, "     ");
    }
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"lenient", no_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *from = NULL;
    int lenient = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:lh", opts, NULL)) != -1) {
        switch (c) {
        case 'f': from = optarg; break;
        case 'l': lenient = 1; break;
        case 'h': puts("usage: referat check FILE [--from md|txt|json|html|pdf|meeting-txt] [--lenient]"); return 0;
        default: return 2;
        }
    }
    if (optind != argc - 1) {
        fputs("usage: referat check FILE [--from md|txt|json|html|pdf|meeting-txt] [--lenient]\n", stderr);
        return 2;
    }
    const char *path = argv[optind];
    struct warnings w = {0};
    struct cli_doc d;
    struct err e;
    int rc = cli_read_doc(path, from, 0, &d, &w, &e);
    if (rc < 0)
        cli_print_err(&e);
    if (rc < 0 && lenient && rc != ERR_IO && rc != ERR_USAGE && rc != ERR_LIMIT) {
        warnings_fini(&w);
        cli_doc_fini(&d);
        if (cli_read_doc(path, from, FMT_LENIENT, &d, &w, &e) < 0)
            cli_print_err(&e);
        rc = ERR_SYNTAX; /* what was read is shown, but the document is not well-formed */
    }
    cli_print_warnings(path, &w);
    warnings_fini(&w);
    if (d.c)
        show(d.c);
    if (d.m)
        show_meeting(d.m);
    cli_doc_fini(&d);
    return rc < 0 ? 1 : 0;
}
