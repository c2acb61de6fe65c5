-- 008_archive: import speed and archive size (issue 11, archive)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
