-- 007_decisions: decisions (issue 9): the minute-taker's private notes, the follow-up
-- suggestions the sekretær rejected, and the drafts made for a case treated again.

-- A private note of the minute-taker: shown only on the decision page to the body's
-- sekretær(er); never part of the case's model, so never in an export, the search index, the
-- portal, a feed, the API or an e-mail. subitem is 1-based, 0 for the case as a whole.
CREATE TABLE case_note (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    subitem INTEGER NOT NULL DEFAULT 0 CHECK (subitem >= 0),
    author INTEGER,
    author_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX case_note_case ON case_note(case_id, subitem, id);

-- A follow-up the extraction suggested and the sekretær rejected: not suggested again for the
-- same entry while its sentence and owner are the same.
CREATE TABLE decision_rejection (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    subitem INTEGER NOT NULL CHECK (subitem >= 0),
    owner TEXT NOT NULL,
    text TEXT NOT NULL,
    rejected_by TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (case_id, subitem, owner, text)
) WITHOUT ROWID;

-- "Opret kladde på næste møde": the draft made from a case whose decision says it comes back.
-- One per case, so a second click makes no second draft.
CREATE TABLE decision_draft (
    case_id INTEGER PRIMARY KEY REFERENCES "case"(id) ON DELETE CASCADE,
    draft_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL
);
