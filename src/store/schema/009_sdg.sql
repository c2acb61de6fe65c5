-- 009_sdg: the verdensmål of cases and sub-items (issue 10, sdg; docs/sdg.md)

-- Part of the case's model (case_doc.sdg, subitem.sdg): one row per goal, subitem 0 for the
-- case itself and k for its sub-item k (1-based). Written with the case's parts on every
-- save and import (sqlite_sdg.c), so a version's goals are the model's.
CREATE TABLE case_sdg (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    subitem INTEGER NOT NULL CHECK (subitem >= 0),
    goal INTEGER NOT NULL CHECK (goal BETWEEN 1 AND 17),
    PRIMARY KEY (case_id, subitem, goal)
) WITHOUT ROWID;
-- The filter (verdensmål:13) and the yearly report go from a goal to its cases.
CREATE INDEX case_sdg_goal ON case_sdg(goal, case_id);
-- The search index carries each case's goals as markers (search/sdg_filter.c): built again
-- once the schema is current.
INSERT OR REPLACE INTO store_state (key, value) VALUES ('reindex', '1');
