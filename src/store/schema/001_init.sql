-- 001_init: the archive's tables: bodies, meetings, cases and their parts, people,
-- follow-ups, and every imported source (which is also each case's history).

-- A body (Direktionen, Økonomiudvalget, ...). code is the short form routes use (DIR, ØK);
-- name is NULL while only the code has been seen in a route.
CREATE TABLE body (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT UNIQUE
);
CREATE INDEX body_code ON body(code);

CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id),
    date TEXT NOT NULL,
    UNIQUE (body_id, date)
);
CREATE INDEX meeting_date ON meeting(date);

-- The current version of each case. key identifies it across re-imports (see store.h);
-- body_id and date (first deciding body and meeting) serve lists and search filters.
CREATE TABLE "case" (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    presentation TEXT,
    intro TEXT,
    has_table INTEGER NOT NULL,
    recommendation TEXT,
    has_attachments INTEGER NOT NULL,
    body_id INTEGER REFERENCES body(id),
    date TEXT,
    layout_format TEXT,
    layout_base TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX case_date ON "case"(date);

-- The exact bytes of every import that created or changed a case: version n of a case is
-- the source with that version number.
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (case_id, version)
);

-- The line patch from the canonical rendering to the source bytes (model layout).
CREATE TABLE hunk (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    at INTEGER NOT NULL,
    del INTEGER NOT NULL,
    nins INTEGER NOT NULL,
    ins TEXT NOT NULL,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;

CREATE TABLE route (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    code TEXT NOT NULL,
    body_id INTEGER NOT NULL REFERENCES body(id),
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;

CREATE TABLE subitem (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    time TEXT,
    title TEXT,
    text TEXT,
    UNIQUE (case_id, pos)
);

-- A person or a unit, seen as a guest or as the owner of a follow-up. Roles belong to each
-- appearance (guest.role, followup.role), so a closed case never lends its words to a person.
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE guest (
    subitem_id INTEGER NOT NULL REFERENCES subitem(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT,
    PRIMARY KEY (subitem_id, pos)
) WITHOUT ROWID;
CREATE INDEX guest_person ON guest(person_id);

-- Where a case was treated: one decision per meeting. body and date keep the heading's
-- words exactly; meeting_id is NULL only when the heading lacked either.
CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    body TEXT,
    date TEXT,
    meeting_id INTEGER REFERENCES meeting(id),
    text TEXT,
    UNIQUE (case_id, pos)
);
CREATE INDEX decision_meeting ON decision(meeting_id);

CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    title TEXT,
    subitem INTEGER NOT NULL,
    text TEXT,
    UNIQUE (decision_id, pos)
);

CREATE TABLE dateref (
    entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    text TEXT,
    start TEXT,
    "end" TEXT,
    PRIMARY KEY (entry_id, pos)
) WITHOUT ROWID;

-- Follow-ups outlive a re-import of their case when unchanged: entry_id is set NULL while
-- the case's decisions are replaced, then pointed at the new entry.
CREATE TABLE followup (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    entry_id INTEGER REFERENCES entry(id) ON DELETE SET NULL,
    pos INTEGER NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person(id),
    role TEXT,
    text TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_by TEXT,
    done_at TEXT,
    CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX followup_case ON followup(case_id);
CREATE INDEX followup_entry ON followup(entry_id);
CREATE INDEX followup_person ON followup(person_id);
CREATE INDEX followup_due ON followup(status, due);

CREATE TABLE attachment (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    number INTEGER NOT NULL,
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    title TEXT,
    journal TEXT,
    flag TEXT,
    document TEXT,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;

-- The file of an attachment when one was given; kept across re-imports of its case.
CREATE TABLE attachment_file (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT,
    hash TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (case_id, number)
) WITHOUT ROWID;
