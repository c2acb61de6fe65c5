-- 007_live: the live meeting: actual times of sub-items, the current item (issue 9, live)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
