/* meeting_doc: allocation and lookup of a whole-meeting document's model. */
#include "meeting_doc.h"
#include "grow.h"
#include "../util/buf.h"

#include <stdlib.h>
#include <string.h>

struct meeting_doc *meeting_doc_new(void)
{
    struct meeting_doc *d = xcalloc(1, sizeof *d);
    d->meeting = meeting_new();
    return d;
}

void meeting_doc_free(struct meeting_doc *d)
{
    if (!d)
        return;
    meeting_free(d->meeting);
    free(d->body);
    free(d->kind);
    free(d->notes);
    for (size_t i = 0; i < d->nitems; i++) {
        free(d->items[i].number);
        free(d->items[i].kind);
        case_free(d->items[i].c);
    }
    free(d->items);
    free(d);
}

struct meeting_item *meeting_doc_add_item(struct meeting_doc *d)
{
    struct meeting_item *it = GROW(d->items, d->nitems);
    it->c = case_new();
    return it;
}

struct meeting_item *meeting_doc_item(struct meeting_doc *d, const char *number)
{
    for (size_t i = 0; number && i < d->nitems; i++)
        if (d->items[i].number && strcmp(d->items[i].number, number) == 0)
            return &d->items[i];
    return NULL;
}
