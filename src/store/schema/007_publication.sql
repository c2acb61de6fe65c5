-- 007_publication: publication levels, scheduled publishing, unpublishing (issue 9, publication)
-- A case's and a bilag's level (NULL: by Åben/Lukket; see model/case.h), and the decision a
-- closed case shows the public (written for the public; public only once its minutes are).
ALTER TABLE "case" ADD COLUMN publication TEXT
    CHECK (publication IN ('fuld', 'beslutning', 'titel', 'ingen'));
ALTER TABLE "case" ADD COLUMN public_decision TEXT;
ALTER TABLE attachment ADD COLUMN publication TEXT
    CHECK (publication IN ('fuld', 'beslutning', 'titel', 'ingen'));
-- The minutes' publication: when they were published (UTC), a publish asked for later
-- (publish_at, UTC; run by the outbox thread or `referat meeting publish-due` once the clock
-- passes it), and why the last scheduled try failed (shown to the sekretær).
ALTER TABLE meeting ADD COLUMN minutes_published_at TEXT;
ALTER TABLE meeting ADD COLUMN publish_at TEXT;
ALTER TABLE meeting ADD COLUMN publish_error TEXT;
CREATE INDEX meeting_publish_at ON meeting(publish_at) WHERE publish_at IS NOT NULL;
