-- 008_search: search at archive scale: prefix indexes, numbers, dates (issue 11, search)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
