-- 008_archive: import speed and archive size (issue 11, archive)
-- Cases a bulk import (store_bulk_begin) has written but not yet indexed for search: written
-- in the case's own transaction, removed in the one that indexes it (sqlite_import.c). An
-- interrupted run leaves rows here; the next writer's open indexes them (and adds this table
-- to an archive made at schema 8 before it was here: bulk_recover).
CREATE TABLE IF NOT EXISTS search_pending (
    case_id INTEGER PRIMARY KEY REFERENCES "case"(id) ON DELETE CASCADE
);
