-- 005_agenda: preparing the agenda in referat: what a case written here holds beyond the
-- exports (a closed case's public title and text, planned durations, guests' unit and e-mail),
-- the agenda's supplement and late marks, each body's settings and library (standard texts,
-- templates, recurring items), reviews with comments, and guests' invitations and links.

ALTER TABLE "case" ADD COLUMN public_title TEXT;
ALTER TABLE "case" ADD COLUMN public_text TEXT;
ALTER TABLE subitem ADD COLUMN duration INTEGER;
ALTER TABLE guest ADD COLUMN unit TEXT;
ALTER TABLE guest ADD COLUMN email TEXT;

-- A case put on an agenda after it was released is on the tillægsdagsorden (supplement); one
-- put on after the body's deadline is late. A case is published with its agenda's release.
ALTER TABLE agenda ADD COLUMN supplement INTEGER NOT NULL DEFAULT 0
    CHECK (supplement IN (0, 1));
ALTER TABLE agenda ADD COLUMN late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1));
ALTER TABLE meeting ADD COLUMN released_at TEXT;

-- A body's settings (keys and checks in store_settings.c: store_body_setting_defs).
CREATE TABLE body_setting (
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (body_id, key)
) WITHOUT ROWID;

-- A body's library: standard texts (a named paragraph inserted with one action), case
-- templates (named sections with help text shown while writing, kept as a JSON array in
-- `sections`; help text is never exported or published), and recurring items (a case every
-- agenda of the body gets: "Godkendelse af dagsorden", "Eventuelt").
CREATE TABLE body_item (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'template', 'recurring')),
    pos INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT,
    sections TEXT,
    duration INTEGER,
    public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1)),
    version INTEGER NOT NULL,
    UNIQUE (body_id, kind, name)
);
CREATE INDEX body_item_body ON body_item(body_id, kind, pos);

-- "Send til gennemlæsning": a frozen version of a case sent to named members, who comment.
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX review_case ON review(case_id);
CREATE TABLE review_member (
    review_id INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    PRIMARY KEY (review_id, account_id)
) WITHOUT ROWID;
CREATE INDEX review_member_account ON review_member(account_id);
CREATE TABLE comment (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    review_id INTEGER REFERENCES review(id) ON DELETE SET NULL,
    account_id INTEGER NOT NULL REFERENCES account(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX comment_case ON comment(case_id);

-- A guest's invitation to their slot: one per guest (by e-mail) and case. uid stays the same
-- for the invitation's life; sequence rises whenever the slot moves; method REQUEST or CANCEL.
-- state: pending (to send), sent, failed (error says why; retried on request, never dropped).
CREATE TABLE invitation (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    uid TEXT NOT NULL UNIQUE,
    sequence INTEGER NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('REQUEST', 'CANCEL')),
    dtstart TEXT,
    dtend TEXT,
    subitems TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (case_id, email)
);
CREATE INDEX invitation_state ON invitation(state);

-- A guest's link: by the hash of its token; it shows the guest their slot and the open
-- material of their sub-items only, and expires after the meeting.
CREATE TABLE guest_link (
    hash TEXT PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX guest_link_case ON guest_link(case_id, email);
