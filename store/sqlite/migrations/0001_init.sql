-- 0001_init: the whole first schema of switchboard's store.
--
-- Conventions, shared with the PostgreSQL store (same numbering, same names):
--   * times are INTEGER unix microseconds in UTC (timestamptz precision), NULL
--     for the zero time;
--   * JSON documents are TEXT (jsonb in PostgreSQL), NULL for "no document";
--   * optional strings are '' rather than NULL;
--   * a client is always the three columns (bot_id, channel_id, user_id).

-- Every version of every bot; the version id is a content hash.
CREATE TABLE bot_versions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    bot_id     TEXT    NOT NULL,
    version_id TEXT    NOT NULL,
    bot        TEXT    NOT NULL, -- switchboard.Bot as JSON
    created_at INTEGER,
    UNIQUE (bot_id, version_id)
);
-- LatestBot / ListBots: newest version of a bot.
CREATE INDEX bot_versions_latest ON bot_versions (bot_id, created_at, seq);

CREATE TABLE channels (
    id         TEXT PRIMARY KEY,
    bot_id     TEXT NOT NULL,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at INTEGER
);
CREATE INDEX channels_bot ON channels (bot_id, created_at);

CREATE TABLE clients (
    bot_id     TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    metadata   TEXT,
    callback_url TEXT NOT NULL DEFAULT '',
    created_at INTEGER,
    updated_at INTEGER,
    PRIMARY KEY (bot_id, channel_id, user_id)
) WITHOUT ROWID;

-- CSML conversations. WITHOUT ROWID keeps a conversation in one b-tree, so
-- saving it after a turn writes one page and no separate primary-key index.
CREATE TABLE conversations (
    id                  TEXT    NOT NULL PRIMARY KEY,
    bot_id              TEXT    NOT NULL,
    channel_id          TEXT    NOT NULL,
    user_id             TEXT    NOT NULL,
    flow_id             TEXT    NOT NULL,
    step_id             TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    hold                TEXT,
    interaction_order   INTEGER NOT NULL,
    last_interaction_at INTEGER,
    created_at          INTEGER,
    updated_at          INTEGER,
    version             INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
-- FindOpenConversation, and at most one open conversation per client, which
-- PutConversation relies on to refuse a second one. Saving a conversation
-- without closing it leaves this index alone.
CREATE UNIQUE INDEX conversations_open ON conversations (bot_id, channel_id, user_id) WHERE status = 'OPEN';

CREATE TABLE memories (
    bot_id     TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT,
    PRIMARY KEY (bot_id, channel_id, user_id, key)
) WITHOUT ROWID;

-- Message history. An id is the rowid: one more than the largest id in the
-- table. (AUTOINCREMENT would read and write sqlite_sequence on every insert,
-- a third of the cost of a bot turn.) So that an id is never given twice and
-- "every message after N" stays exact, the newest message may not be deleted;
-- see the trigger below.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    bot_id            TEXT    NOT NULL,
    channel_id        TEXT    NOT NULL,
    user_id           TEXT    NOT NULL,
    conversation_id   TEXT    NOT NULL DEFAULT '',
    session_id        TEXT    NOT NULL DEFAULT '',
    direction         TEXT    NOT NULL,
    sender_kind       TEXT    NOT NULL,
    sender_name       TEXT    NOT NULL DEFAULT '',
    content_type      TEXT    NOT NULL,
    content           TEXT,
    interaction_order INTEGER NOT NULL,
    request_id        TEXT    NOT NULL DEFAULT '',
    created_at        INTEGER
);
-- MessagesAfter, LastMessages (the rowid id is the implicit last column).
CREATE INDEX messages_client ON messages (bot_id, channel_id, user_id);
-- MessagesOfRequest. Keyed by the request id alone: when request ids grow
-- with time (UUIDv7, ULID), new entries all land on the same last page.
CREATE INDEX messages_request ON messages (request_id) WHERE request_id <> '';
CREATE TRIGGER messages_keep_newest BEFORE DELETE ON messages
    WHEN old.id = (SELECT MAX(id) FROM messages)
BEGIN
    SELECT RAISE(ABORT, 'the newest message cannot be deleted: its id would be given again');
END;

-- Livechat sessions.
CREATE TABLE sessions (
    id               TEXT    NOT NULL PRIMARY KEY,
    bot_id           TEXT    NOT NULL,
    channel_id       TEXT    NOT NULL,
    user_id          TEXT    NOT NULL,
    platform         TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    end_reason       TEXT    NOT NULL DEFAULT '',
    error            TEXT    NOT NULL DEFAULT '',
    external_id      TEXT    NOT NULL DEFAULT '',
    agent_id         TEXT    NOT NULL DEFAULT '',
    agent_name       TEXT    NOT NULL DEFAULT '',
    metadata         TEXT,
    timeout_ns       INTEGER NOT NULL,
    created_at       INTEGER,
    activated_at     INTEGER,
    first_reply_at   INTEGER,
    last_activity_at INTEGER,
    ended_at         INTEGER
);
-- At most one live (pending or active) session per client: FindLiveSession
-- and the rule "the bot never answers during a session" depend on it.
CREATE UNIQUE INDEX sessions_live ON sessions (bot_id, channel_id, user_id)
    WHERE state IN ('pending', 'active');
CREATE INDEX sessions_external ON sessions (platform, external_id) WHERE external_id <> '';
-- ListSessions, newest first, with or without a bot.
CREATE INDEX sessions_created ON sessions (created_at);
CREATE INDEX sessions_bot_created ON sessions (bot_id, created_at);

-- The outbox. AUTOINCREMENT: a completed job's id is never given to a new job,
-- so a worker holding a stale id can never touch someone else's job.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    payload     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_at      INTEGER NOT NULL,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    lease_until INTEGER
);
-- The head (oldest job) of each key.
CREATE INDEX jobs_key ON jobs (key);
-- Due jobs.
CREATE INDEX jobs_run_at ON jobs (run_at);

-- Jobs given up on. seq orders them by burial; id is the job's original id.
CREATE TABLE dead_jobs (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         INTEGER NOT NULL UNIQUE,
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    payload    TEXT,
    attempts   INTEGER NOT NULL,
    run_at     INTEGER NOT NULL,
    last_error TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    buried_at  INTEGER NOT NULL
);

-- Durable timers, one per key.
CREATE TABLE timers (
    key         TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL,
    payload     TEXT,
    due_at      INTEGER NOT NULL,
    lease_until INTEGER
) WITHOUT ROWID;
CREATE INDEX timers_due ON timers (due_at);

-- Desk agents. email_key is the email folded to lower case by the store (the
-- same Go code for every database), unique so two agents never share a sign-in.
CREATE TABLE agents (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL,
    created_at    INTEGER
);

CREATE TABLE agent_logins (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    agent_id   TEXT    NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX agent_logins_agent ON agent_logins (agent_id);

CREATE TABLE saved_replies (
    id         TEXT NOT NULL PRIMARY KEY,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER
);

CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- Ids already handled, to drop duplicate deliveries.
CREATE TABLE seen (
    scope   TEXT    NOT NULL,
    id      TEXT    NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (scope, id)
) WITHOUT ROWID;
CREATE INDEX seen_at ON seen (seen_at);
