-- 003_workspace: referat becomes the system of record: meetings as first-class objects with
-- their agenda, cases written in referat beside imported ones, accounts with roles on bodies,
-- sessions and API tokens, settings, and the append-only audit ledger.
-- Runs with foreign keys off (the meeting table is rebuilt); the migration checks them after.

-- A body may meet twice on one day, so (body, date) is no longer unique; a meeting written in
-- referat has a number within its body's year, times, a place and a workflow state
-- (model/workflow.h). Meetings known from imported minutes were published with them.
CREATE TABLE meeting_new (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id),
    date TEXT NOT NULL,
    number INTEGER,
    start TEXT,
    "end" TEXT,
    place TEXT,
    state TEXT NOT NULL,
    cancel_reason TEXT,
    published INTEGER NOT NULL CHECK (published IN (0, 1)),
    authored INTEGER NOT NULL CHECK (authored IN (0, 1)),
    version INTEGER NOT NULL,
    created_at TEXT,
    updated_at TEXT
);
INSERT INTO meeting_new (id, body_id, date, state, published, authored, version)
    SELECT id, body_id, date, 'offentliggjort', 1, 0, 1 FROM meeting;
DROP TABLE meeting;
ALTER TABLE meeting_new RENAME TO meeting;
CREATE INDEX meeting_date ON meeting(date);
CREATE INDEX meeting_body_date ON meeting(body_id, date);
CREATE UNIQUE INDEX meeting_number ON meeting(body_id, substr(date, 1, 4), number)
    WHERE number IS NOT NULL;

-- Attendance at a meeting (filled by the meeting issue): present, afbud, fravaerende,
-- stedfortraeder; arrived/left are sub-item numbers (NULL: the whole meeting).
CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    status TEXT NOT NULL CHECK (status IN ('present', 'afbud', 'fravaerende', 'stedfortraeder')),
    substitute TEXT,
    remark TEXT,
    arrived INTEGER,
    "left" INTEGER,
    PRIMARY KEY (meeting_id, pos)
) WITHOUT ROWID;

-- Cases: where they come from, their workflow state, whether the public may see them at
-- all (an authored case is unpublished until it is released), and who created it.
ALTER TABLE "case" ADD COLUMN authored INTEGER NOT NULL DEFAULT 0 CHECK (authored IN (0, 1));
ALTER TABLE "case" ADD COLUMN state TEXT;
ALTER TABLE "case" ADD COLUMN published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1));
ALTER TABLE "case" ADD COLUMN created_by INTEGER;

-- The ordered cases on a meeting's agenda. An imported case is on the meeting of each of its
-- decisions; a case written in referat joins its meeting's agenda when it is created.
CREATE TABLE agenda (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, pos),
    UNIQUE (meeting_id, case_id)
) WITHOUT ROWID;
CREATE INDEX agenda_case ON agenda(case_id);
INSERT INTO agenda (meeting_id, pos, case_id)
    SELECT meeting_id, row_number() OVER (PARTITION BY meeting_id ORDER BY case_id) - 1, case_id
    FROM (SELECT DISTINCT meeting_id, case_id FROM decision WHERE meeting_id IS NOT NULL);

-- The bodies a case belongs to, for the one visibility rule (store_sqlite.h): its owner, and
-- the bodies of the meetings that have it on their agenda or decided it.
CREATE TABLE case_body (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id),
    PRIMARY KEY (case_id, body_id)
) WITHOUT ROWID;
CREATE INDEX case_body_body ON case_body(body_id);
INSERT OR IGNORE INTO case_body (case_id, body_id)
    SELECT id, body_id FROM "case" WHERE body_id IS NOT NULL
    UNION SELECT a.case_id, m.body_id FROM agenda a JOIN meeting m ON m.id = a.meeting_id;

-- Who stored each version, and the ledger event that records it.
ALTER TABLE source ADD COLUMN actor TEXT;
ALTER TABLE source ADD COLUMN event_id INTEGER;

-- People who log in. login is lower case (a-z 0-9 . _ -); password is an Argon2id string
-- (crypto_pwhash_str), NULL when the account cannot log in with a password.
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    password TEXT,
    admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE account_role (
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    body_id INTEGER NOT NULL REFERENCES body(id),
    role TEXT NOT NULL CHECK (role IN ('sekretaer', 'sagsbehandler', 'godkender', 'medlem')),
    PRIMARY KEY (account_id, body_id, role)
) WITHOUT ROWID;
CREATE INDEX account_role_body ON account_role(body_id);

-- Sessions by the hash of their id (the id itself exists only in the browser's cookie).
-- Times are seconds since the epoch on the server's clock.
CREATE TABLE session (
    hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    client TEXT
) WITHOUT ROWID;
CREATE INDEX session_account ON session(account_id);

-- API bearer tokens by their hash; shown once when made.
CREATE TABLE token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    label TEXT,
    created_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
);

-- Failed logins per login name (hashed) and per client address, for throttling.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- What the store itself must still do, across runs: 'reindex' = 1 while the search index has
-- to be built again from the cases (store_migrate does it once the schema is current).
CREATE TABLE store_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO store_state (key, value) VALUES ('reindex', '1');

-- The municipality's settings (keys and checks in store_settings.c).
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The audit ledger: append-only; each event carries the hash of the one before
-- (store_internal.h: store_event_hash), so `referat audit verify` finds any change.
-- AUTOINCREMENT keeps the highest id ever used in sqlite_sequence, so a deleted last event
-- shows too.
CREATE TABLE ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT,
    before INTEGER NOT NULL,
    after INTEGER NOT NULL,
    client TEXT,
    detail TEXT,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ledger_object ON ledger(object);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
