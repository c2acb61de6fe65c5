/* sqlite_publication: publishing minutes on SQLite (issue 9, publication): when the public
 * may read a case's minutes, the meeting's step into and out of offentliggjort, and the
 * search index kept in line with it. See docs/workflow.md, "Publication (issue 9)". */
#include "store_sqlite.h"
#include "../format/format.h"
#include "../model/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the safety rule: no minutes before they are published ---- */

int pub_minutes_hidden(struct store *s, int64_t case_id, bool *hidden, struct err *e)
{
    sqlite3_stmt *st;
    int64_t v = 0;
    bool found = false;
    int rc = stmt(s, "SELECT NOT " MINUTES_PUBLIC("c") " FROM \"case\" c WHERE c.id = ?1", &st,
                  e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    if ((rc = one_int(s, st, &v, &found, e, "reading whether the minutes are published")) == 0)
        *hidden = !found || v != 0; /* no such case: hide, the safe answer */
    return rc;
}

int pub_public_case(struct store *s, int64_t case_id, struct case_doc *c, struct err *e)
{
    bool hidden = true;
    int rc = pub_minutes_hidden(s, case_id, &hidden, e);
    if (rc == 0 && hidden)
        case_hide_minutes(c);
    return rc;
}

int pub_public_source(struct store *s, int64_t case_id, const struct store_source *src,
                      struct err *e)
{
    bool hidden = true;
    int rc = pub_minutes_hidden(s, case_id, &hidden, e);
    if (rc < 0 || !hidden)
        return rc;
    /* The source is the whole model: it may go out only when it holds no minutes. */
    const struct fmt_reader *r = fmt_reader_find(src->format);
    struct case_doc *c = NULL;
    struct err pe = {0};
    struct warnings w = {0};
    bool minutes = true;
    if (r && fmt_read(r, src->bytes, src->len, FMT_NOLAYOUT | FMT_NOEXTRACT, &c, &pe, &w) == 0)
        minutes = c->ndecisions > 0;
    case_free(c);
    warnings_fini(&w);
    if (minutes)
        return fail(s, e, ERR_CLOSED, "the minutes of case %lld are not published yet",
                    (long long)case_id);
    return 0;
}

/* Re-indexes every case on the meeting's agenda: the public index follows the minutes. */
static int reindex_meeting(struct store *s, int64_t meeting_id, struct err *e)
{
    sqlite3_stmt *st;
    bool row;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = stmt(s, "SELECT case_id FROM agenda WHERE meeting_id = ?1 ORDER BY pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, meeting_id);
    while ((rc = next_row(s, st, &row, e, "reading the agenda")) == 0 && row) {
        ids = grow(ids, n, &cap, sizeof *ids);
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    fin(st);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct case_doc *c = NULL;
        if ((rc = load_case(s, ids[i], &c, e)) == 0)
            rc = index_case(s, ids[i], c, e);
        case_free(c);
    }
    free(ids);
    return rc;
}

int pub_meeting_step(struct store *s, int64_t meeting_id, int from, int to, struct err *e)
{
    /* Publishing and unpublishing: portal, API and feeds read the state; the search index
     * is rewritten in the same transaction. The release and its recall publish and take
     * back the cases themselves (sqlite_agenda.c), which the public index must follow too. */
    bool release = (from == WF_MEETING_PLANLAGT && to == WF_MEETING_DAGSORDEN_FRIGIVET) ||
                   (from == WF_MEETING_DAGSORDEN_FRIGIVET && to == WF_MEETING_PLANLAGT);
    if (from != WF_MEETING_OFFENTLIGGJORT && to != WF_MEETING_OFFENTLIGGJORT && !release)
        return 0;
    return reindex_meeting(s, meeting_id, e);
}
