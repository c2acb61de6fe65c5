-- 008_search: search at archive scale (issue 11, search). The tables themselves are made in C
-- (search_upgrade_sql, called by search_migrate_v8 in sqlite_search.c after this file): the day
-- of the meeting on top of the rowid (date filters are rowid ranges, newest-first is rowid
-- order), the bilag in a column of their own with journal and document numbers. Every case is
-- indexed again once the schema is current:
INSERT OR REPLACE INTO store_state (key, value) VALUES ('reindex', '1');
