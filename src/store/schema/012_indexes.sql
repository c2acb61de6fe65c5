-- Schema step 12 (issue 11, storage), with 012_storage.sql.
-- Indexes that do not pay (measured on the 100,000-case archive, each query plan checked by
-- tests/unit/test_query_plans.c). Each of these four is the first column(s) of a list index
-- of step 8 (sqlite_paging.c), which serves the same lookups and foreign keys: every import
-- wrote both, at random places (a person, a date).
DROP INDEX IF EXISTS followup_person; -- followup_person_due(person_id, ...)
DROP INDEX IF EXISTS case_date; -- case_date_visibility(date, ...)
DROP INDEX IF EXISTS meeting_date; -- meeting_date_start(date, ...)
DROP INDEX IF EXISTS meeting_body_date; -- meeting_body_date_start(body_id, date, ...)
-- followup_decision: only a follow-up of a decision without entries has decision_id (issue
-- 10, flat follow-ups); the NULLs of all the others filled the index.
DROP INDEX IF EXISTS followup_decision;
CREATE INDEX followup_decision ON followup(decision_id) WHERE decision_id IS NOT NULL;
