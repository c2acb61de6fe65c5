-- 007_live: the live meeting: actual times of sub-items, the current item (issue 9, live)

-- When a sub-item actually began and ended ("HH:MM", local time), part of the case's model
-- (struct subitem actual_start / actual_end), written from the stamps when the meeting ends.
ALTER TABLE subitem ADD COLUMN actual_start TEXT;
ALTER TABLE subitem ADD COLUMN actual_end TEXT;

-- The stamps of a meeting in progress ("Næste punkt"), one row per row of its timetable: a
-- sub-item (1-based) of a case on its agenda, or 0 for a case without sub-items. Seconds
-- since the epoch on the server's clock. The current row is the one started and not ended;
-- every stamp is also a ledger event (meeting.live).
CREATE TABLE live_stamp (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES "case"(id) ON DELETE CASCADE,
    subitem INTEGER NOT NULL CHECK (subitem >= 0),
    started_at INTEGER,
    ended_at INTEGER,
    PRIMARY KEY (meeting_id, case_id, subitem)
) WITHOUT ROWID;
