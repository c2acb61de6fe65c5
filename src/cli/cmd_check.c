/* cmd_check: `referat check FILE [--from FMT] [--lenient]`: parse and show what was read. */
#include "cli.h"

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
        case 'h': puts("usage: referat check FILE [--from md|txt|json] [--lenient]"); return 0;
        default: return 2;
        }
    }
    if (optind != argc - 1) {
        fputs("usage: referat check FILE [--from md|txt|json] [--lenient]\n", stderr);
        return 2;
    }
    const char *path = argv[optind];
    struct warnings w = {0};
    struct case_doc *doc = NULL;
    int rc = cli_read_case(path, from, 0, &doc, &w);
    if (rc < 0 && lenient && rc != ERR_IO) {
        warnings_fini(&w);
        rc = cli_read_case(path, from, FMT_LENIENT, &doc, &w) < 0 ? -1 : ERR_SYNTAX;
    }
    cli_print_warnings(path, &w);
    warnings_fini(&w);
    if (doc)
        show(doc);
    case_free(doc);
    return rc < 0 ? 1 : 0;
}
