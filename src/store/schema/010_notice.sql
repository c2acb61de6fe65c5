-- 010_notice: e-mail notices (issue 10, notices): citizens' subscriptions to a body's agendas
-- and minutes (the follow-ups' reminders are 010_remind.sql's).

-- A citizen's subscription to a body's new agendas and minutes (no account). The address is
-- kept only to send to: never shown, exported or logged; email_hash (BLAKE2b-256 of the
-- lower-case address) is what uniqueness and the ledger use. topic is what a confirmation
-- gave; requested the latest form's choice, taken over when it is confirmed. Only a
-- 'confirmed' subscription receives notices; 'failing' after NOTICE_MAX_BOUNCES refusals of
-- the address by the relay (store.h).
CREATE TABLE notice_subscription (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES body(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_hash TEXT NOT NULL,
    topic TEXT CHECK (topic IN ('dagsordener', 'referater', 'begge')),
    requested TEXT NOT NULL CHECK (requested IN ('dagsordener', 'referater', 'begge')),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'confirmed', 'unsubscribed', 'failing')),
    bounces INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    UNIQUE (body_id, email_hash)
);
CREATE INDEX notice_subscription_body ON notice_subscription (body_id, state);

-- The links of the mails: a confirmation's (until expires_at, epoch seconds) and every
-- notice's unsubscribe link (no end). Only the BLAKE2b-256 hash of the token is stored.
CREATE TABLE notice_token (
    hash TEXT PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES notice_subscription(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
    created_at TEXT NOT NULL,
    expires_at INTEGER
) WITHOUT ROWID;
CREATE INDEX notice_token_subscription ON notice_token (subscription_id);

-- The notices' outbox: a confirmation mail, or a meeting's released agenda or published
-- minutes for one subscription, written in the transaction that subscribes, releases or
-- publishes. Sent by store/notice_outbox.c; a relay that is down leaves it pending.
CREATE TABLE notice_outbox (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES notice_subscription(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('confirm', 'agenda', 'minutes')),
    meeting_id INTEGER REFERENCES meeting(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dropped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
-- One notice per subscription, meeting and kind, however often an agenda is recalled and
-- released again.
CREATE UNIQUE INDEX notice_outbox_once ON notice_outbox (subscription_id, kind, meeting_id)
    WHERE kind <> 'confirm';
CREATE INDEX notice_outbox_pending ON notice_outbox (state, id);
