-- Schema step 12 (issue 11, storage): a smaller archive. A source's bytes are kept deflated
-- (zlib) when that is smaller: packed = 1; hash and size stay those of the original bytes.
-- The step's C half (store_sqlite.c, migrate_storage) packs the stored sources and makes the
-- search tables anew (contentless FTS5, the row texts deflated per case in search_*_text).
ALTER TABLE source ADD COLUMN packed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting_source ADD COLUMN packed INTEGER NOT NULL DEFAULT 0;
