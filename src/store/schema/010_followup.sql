-- 010_followup: follow-ups to completion (issue 10, followups): states, progress notes,
-- units and the links from extracted owner names to people and units.

-- The state a follow-up is in (docs/workflow.md). status stays the open/closed flag every
-- list, index and public page reads: status = 'done' exactly when the state is one of
-- udfoert, bortfaldet, videresendt (sqlite_followup.c keeps the two together).
ALTER TABLE followup ADD COLUMN state TEXT NOT NULL DEFAULT 'aaben'
    CHECK (state IN ('aaben', 'i_gang', 'udfoert', 'bortfaldet', 'videresendt'));
-- Why it was dropped (bortfaldet) or where it went (videresendt).
ALTER TABLE followup ADD COLUMN state_reason TEXT;
UPDATE followup SET state = 'udfoert' WHERE status = 'done';
-- The planned meeting a videresendt follow-up was handed to: it is on that meeting's agenda
-- as a note (page_work_meeting.c), NULL otherwise.
ALTER TABLE followup ADD COLUMN forwarded_to INTEGER REFERENCES meeting(id);
CREATE INDEX followup_forwarded ON followup(forwarded_to) WHERE forwarded_to IS NOT NULL;

-- Progress notes: what was done, when and by whom (append-only; each one a ledger event).
CREATE TABLE followup_note (
    id INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followup(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    account_id INTEGER REFERENCES account(id),
    author TEXT NOT NULL,
    text TEXT NOT NULL CHECK (length(text) > 0)
);
CREATE INDEX followup_note_followup ON followup_note(followup_id, id);

-- Units ("Ledelsessekretariatet"): groups of accounts that own follow-ups together.
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    created_at TEXT NOT NULL
);
CREATE TABLE unit_member (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    PRIMARY KEY (unit_id, account_id)
) WITHOUT ROWID;
CREATE INDEX unit_member_account ON unit_member(account_id);

-- An owner name found by extraction (person) linked to the account or the unit it means.
CREATE TABLE person_link (
    person_id INTEGER PRIMARY KEY REFERENCES person(id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES account(id) ON DELETE CASCADE,
    unit_id INTEGER REFERENCES unit(id) ON DELETE CASCADE,
    CHECK ((account_id IS NULL) != (unit_id IS NULL))
);
CREATE INDEX person_link_account ON person_link(account_id) WHERE account_id IS NOT NULL;
CREATE INDEX person_link_unit ON person_link(unit_id) WHERE unit_id IS NOT NULL;
