/* search_fixture: what the search unit tests share: an in-memory database with the search
 * tables and the Danish tokenizer, and a small case to index. Static inline: a test uses what
 * it needs. */
#ifndef REFERAT_SEARCH_FIXTURE_H
#define REFERAT_SEARCH_FIXTURE_H

#include "model/case.h"
#include "search/search.h"
#include "util/buf.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static inline sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || search_register(db) != SQLITE_OK ||
        sqlite3_exec(db, search_schema_sql(), NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot set up the database: %s\n", db ? sqlite3_errmsg(db) : "?");
        exit(1);
    }
    return db;
}

static inline struct case_doc *mkcase(const char *title, bool public, const char *presentation,
                               const char *decision)
{
    struct case_doc *c = case_new();
    c->title = xstrdup(title);
    c->public = public;
    if (presentation)
        c->presentation = xstrdup(presentation);
    if (decision) {
        struct decision *d = case_add_decision(c);
        d->body = xstrdup("Direktionen");
        d->date = xstrdup("2023-12-20");
        d->text = xstrdup(decision);
    }
    return c;
}

#endif
