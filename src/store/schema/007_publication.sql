-- 007_publication: publication levels, scheduled publishing, unpublishing (issue 9, publication)
-- (an empty step is valid: this file's owner fills it)
SELECT 1;
