/* sqlite_search: schema step 8's search part (issue 11): the search tables made anew in the
 * layout of schema 8 (the day on top of the rowid, a bilag column, search_doc; docs/search.md),
 * to be filled from every case once the schema is current (008_search.sql sets the mark). */
#include "store_sqlite.h"

#include "../search/search.h"

int search_migrate_v8(struct store *s, struct err *e)
{
    return exec(s, search_upgrade_sql(), e, "making the search index of schema 8");
}
