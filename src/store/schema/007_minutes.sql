-- 007_minutes: the minutes' approval round, frozen versions, approvals, objections, tillæg (issue 9, minutes)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
