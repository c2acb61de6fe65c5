-- 010_followup: follow-ups to completion (issue 10, followups): states, progress notes,
-- units and the links from extracted owner names to people and units.

