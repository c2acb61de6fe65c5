-- 006_meeting_import: whole-meeting documents (issue 12). A document's exact bytes are kept as
-- the source of its meeting (each item's case keeps its own model as JSON, so that history and
-- the public rules work per case); the items of a meeting with their numbers as written; what
-- a case read from such a document has beyond the reference exports (its own guests, its case
-- numbers, its sections under their headings); and the reservations of a lenient import
-- ("læst med forbehold") until a secretary has reviewed them.

CREATE TABLE meeting_source (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    actor TEXT,
    event_id INTEGER,
    UNIQUE (meeting_id, version)
);
CREATE INDEX meeting_source_key ON meeting_source(key);

CREATE TABLE meeting_item (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    number TEXT,
    kind TEXT,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, pos)
) WITHOUT ROWID;
CREATE INDEX meeting_item_case ON meeting_item(case_id);

-- The people taking part in a case without a Tid/Punkt table (model: case_doc.guests).
CREATE TABLE case_guest (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;
CREATE INDEX case_guest_person ON case_guest(person_id);

CREATE TABLE case_ref (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;

CREATE TABLE case_section (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;

-- A case with rows here was read with reservations (`import --lenient`); the rows are the
-- reader's warnings (positions in the document, never quoted text).
CREATE TABLE case_caveat (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;
