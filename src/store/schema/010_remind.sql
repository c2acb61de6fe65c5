-- 010_remind: e-mail reminders of follow-ups (issue 10, reminders).

-- One row per follow-up and day a reminder was sent on (src/store/remind.c, docs/workflow.md):
-- the key is what makes `referat remind` send at most one notice per follow-up per day,
-- however often it runs. A row is written as 'sender' before the message goes to the relay
-- and becomes 'sendt' after the relay took it (a ledger event, followup.remind); a failed
-- send deletes its row, and a 'sender' row left by a crash is sent again by the next run of
-- the same day (with the same Message-ID) and dropped by a later day's run, whose notice is
-- worked out afresh. kind: 'frist' (the due date is near) or 'overskredet' (it has passed),
-- each sent once per follow-up.
CREATE TABLE reminder (
    followup_id INTEGER NOT NULL REFERENCES followup(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('frist', 'overskredet')),
    state TEXT NOT NULL CHECK (state IN ('sender', 'sendt')),
    account_id INTEGER REFERENCES account(id) ON DELETE SET NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    CHECK ((state = 'sendt') = (sent_at IS NOT NULL)),
    PRIMARY KEY (followup_id, day)
) WITHOUT ROWID;
CREATE INDEX reminder_day ON reminder(day, state);
