-- 010_flat: follow-ups of a decision without entries (issue 10, flat follow-ups). Such a
-- follow-up has entry_id NULL and decision_id set; an entry's has entry_id set and
-- decision_id NULL. While a re-import replaces the case's decisions both are NULL (SET NULL),
-- and the ones still NULL when it is done were not matched again and are deleted.
ALTER TABLE followup ADD COLUMN decision_id INTEGER REFERENCES decision(id) ON DELETE SET NULL;
CREATE INDEX followup_decision ON followup(decision_id);
