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
