-- 007_decisions: decisions: the minute-taker's private notes, follow-up suggestions (issue 9, decisions)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
