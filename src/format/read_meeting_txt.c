/* read_meeting_txt: whole-meeting documents as plain text (a web page or PDF flattened to
 * text): the lines as they are, for the meeting grammar. */
#include "format.h"
#include "lines.h"
#include "mtext.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int lines(const char *p, size_t n, int flags, struct mtext *out, struct err *e,
                 struct warnings *w)
{
    (void)flags, (void)e, (void)w;
    struct span *L;
    size_t nl = lines_split(p, n, &L);
    for (size_t i = 0; i < nl; i++)
        mtext_add(out, L[i].p, L[i].n, (unsigned)(i + 1), 0, 0);
    free(L);
    return 0;
}

/* Text with numbered agenda items under a header that names minutes or an agenda. The case
 * exports always carry "Åben Sag" or "Lukket Sag" (a line meeting documents never have), so
 * the two kinds of text never claim the same file. */
static int sniff(const char *p, size_t n)
{
    if (n > 65536)
        n = 65536;
    if (n && (p[0] == '{' || p[0] == '<' || (n >= 5 && memcmp(p, "%PDF-", 5) == 0)))
        return 0;
    static const char *const exports[] = {"\n\u00c5ben Sag", "\nLukket Sag", "\nTid\tPunkt",
                                          "*\u00c5ben Sag*", "*Lukket Sag*", NULL};
    for (const char *const *x = exports; *x; x++)
        if (memmem(p, n, *x, strlen(*x)))
            return 0;
    static const char *const kinds[] = {"Referat", "REFERAT", "Dagsorden", "DAGSORDEN",
                                        "Beslutningsprotokol", "BESLUTNINGSPROTOKOL",
                                        "Mødereferat", NULL};
    bool kind = false;
    for (const char *const *k = kinds; *k && !kind; k++)
        kind = memmem(p, n, *k, strlen(*k)) != NULL;
    struct span *L;
    size_t nl = lines_split(p, n, &L), items = 0;
    for (size_t i = 0; i < nl; i++) {
        const char *s = L[i].p;
        size_t m = L[i].n, k = 0;
        while (k < m && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (m - k > 6 && (strncmp(s + k, "Punkt ", 6) == 0 || strncmp(s + k, "Pkt. ", 5) == 0)) {
            items++;
            continue;
        }
        size_t d = 0;
        while (k + d < m && s[k + d] >= '0' && s[k + d] <= '9' && d < 5)
            d++;
        if (d >= 1 && d <= 4 && k + d + 1 < m &&
            (s[k + d] == '.' || (s[k + d] >= 'A' && s[k + d] <= 'Z')))
            items++;
    }
    free(L);
    if (kind && items)
        return 95;
    return items ? 40 : kind ? 20 : 0;
}

const struct fmt_meeting_reader fmt_read_meeting_txt = {"meeting-txt", sniff, lines, 0};
