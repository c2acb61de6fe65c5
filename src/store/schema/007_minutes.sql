-- 007_minutes: the minutes' approval round, frozen versions, approvals, objections, tillæg (issue 9, minutes)
-- (sqlite_minutes.c; docs/workflow.md "The minutes (issue 9)")

-- A round: minutes version `version` of a meeting sent for approval. version is 1 for the first
-- minutes and + 1 for each reopening (genaabn); a version may be sent more than once (after
-- returner_referat). outcome is NULL while the round is open.
CREATE TABLE minutes_round (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 1),
    sent_at TEXT NOT NULL,
    sent_by INTEGER REFERENCES account(id),
    closed_at TEXT,
    outcome TEXT CHECK (outcome IN ('godkendt', 'lukket', 'returneret')),
    reason TEXT
);
CREATE INDEX minutes_round_meeting ON minutes_round(meeting_id, id);
-- At most one open round per meeting.
CREATE UNIQUE INDEX minutes_round_open ON minutes_round(meeting_id) WHERE outcome IS NULL;

-- The version of each case on the agenda when the round was sent: what the members approve.
CREATE TABLE minutes_frozen (
    round_id INTEGER NOT NULL REFERENCES minutes_round(id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    case_version INTEGER NOT NULL,
    PRIMARY KEY (round_id, case_id)
) WITHOUT ROWID;
CREATE INDEX minutes_frozen_case ON minutes_frozen(case_id);

-- The body's members (role medlem) when the round was sent, and when each approved.
CREATE TABLE minutes_member (
    round_id INTEGER NOT NULL REFERENCES minutes_round(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    approved_at TEXT,
    PRIMARY KEY (round_id, account_id)
) WITHOUT ROWID;

-- A member's objection (indsigelse), which the sekretær must answer before the round can end
-- in approval.
CREATE TABLE minutes_objection (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES minutes_round(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    answer TEXT,
    answered_by INTEGER REFERENCES account(id),
    answered_at TEXT
);
CREATE INDEX minutes_objection_round ON minutes_objection(round_id, id);

-- A reopening: version `version` (the new one) of a meeting's minutes, why and by whom.
CREATE TABLE minutes_reopen (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    version INTEGER NOT NULL CHECK (version >= 2),
    reopened_at TEXT NOT NULL,
    reopened_by INTEGER REFERENCES account(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (meeting_id, version)
) WITHOUT ROWID;

-- The tillæg of a case's current version (its model's additions, in order), kept with the
-- other parts so that the model is rebuilt from rows like the rest.
CREATE TABLE case_addition (
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    text TEXT,
    PRIMARY KEY (case_id, pos)
) WITHOUT ROWID;
