-- 0001_init: the whole first schema of switchboard's store; the same step as
-- store/sqlite/migrations/0001_init.sql, in PostgreSQL's terms.
--
-- Conventions, shared with the SQLite store (same numbering, same names):
--   * times are timestamptz (microseconds, as SQLite's integers), NULL for the
--     zero time;
--   * JSON documents are json, kept as written: jsonb would refuse the
--     \u0000 escape that valid JSON (and SQLite) accept, and reformat
--     documents that are only ever read whole;
--   * optional strings are '' rather than NULL;
--   * a client is always the three columns (bot_id, channel_id, user_id);
--   * text that is sorted is COLLATE "C" (byte order, as SQLite's BINARY);
--   * where SQLite breaks ties by rowid (insertion order), a seq column does.
--   * SQLite sorts NULL first; queries say NULLS FIRST / NULLS LAST to match.

-- Every version of every bot; the version id is a content hash.
CREATE TABLE bot_versions (
    seq        bigserial   PRIMARY KEY,
    bot_id     text        COLLATE "C" NOT NULL,
    version_id text        NOT NULL,
    bot        json        NOT NULL, -- switchboard.Bot
    created_at timestamptz,
    UNIQUE (bot_id, version_id)
);
-- LatestBot / ListBots: newest version of a bot.
CREATE INDEX bot_versions_latest ON bot_versions (bot_id, created_at NULLS FIRST, seq);

CREATE TABLE channels (
    seq        bigserial   NOT NULL,
    id         text        PRIMARY KEY,
    bot_id     text        NOT NULL,
    type       text        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz
);
CREATE INDEX channels_bot ON channels (bot_id, created_at NULLS FIRST, seq);

CREATE TABLE clients (
    bot_id       text NOT NULL,
    channel_id   text NOT NULL,
    user_id      text NOT NULL,
    metadata     json,
    callback_url text NOT NULL DEFAULT '',
    created_at   timestamptz,
    updated_at   timestamptz,
    PRIMARY KEY (bot_id, channel_id, user_id)
);

-- CSML conversations.
CREATE TABLE conversations (
    id                  text        PRIMARY KEY,
    bot_id              text        NOT NULL,
    channel_id          text        NOT NULL,
    user_id             text        NOT NULL,
    flow_id             text        NOT NULL,
    step_id             text        NOT NULL,
    status              text        NOT NULL,
    hold                json,
    interaction_order   bigint      NOT NULL,
    last_interaction_at timestamptz,
    created_at          timestamptz,
    updated_at          timestamptz,
    version             bigint      NOT NULL DEFAULT 1
);
-- FindOpenConversation, and at most one open conversation per client, which
-- PutConversation relies on to refuse a second one.
CREATE UNIQUE INDEX conversations_open ON conversations (bot_id, channel_id, user_id) WHERE status = 'OPEN';

CREATE TABLE memories (
    bot_id     text NOT NULL,
    channel_id text NOT NULL,
    user_id    text NOT NULL,
    key        text COLLATE "C" NOT NULL,
    value      json,
    PRIMARY KEY (bot_id, channel_id, user_id, key)
);

-- Message history. Ids come from the sequence in commit order (see
-- append.go) and are never given twice, so "every message after N" is exact
-- without SQLite's guard on deleting the newest message.
CREATE TABLE messages (
    id                bigserial   PRIMARY KEY,
    bot_id            text        NOT NULL,
    channel_id        text        NOT NULL,
    user_id           text        NOT NULL,
    conversation_id   text        NOT NULL DEFAULT '',
    session_id        text        NOT NULL DEFAULT '',
    direction         text        NOT NULL,
    sender_kind       text        NOT NULL,
    sender_name       text        NOT NULL DEFAULT '',
    content_type      text        NOT NULL,
    content           json,
    interaction_order bigint      NOT NULL,
    request_id        text        NOT NULL DEFAULT '',
    created_at        timestamptz
);
-- MessagesAfter, LastMessages.
CREATE INDEX messages_client ON messages (bot_id, channel_id, user_id, id);
-- MessagesOfRequest.
CREATE INDEX messages_request ON messages (request_id) WHERE request_id <> '';

-- Livechat sessions.
CREATE TABLE sessions (
    seq              bigserial   NOT NULL,
    id               text        PRIMARY KEY,
    bot_id           text        NOT NULL,
    channel_id       text        NOT NULL,
    user_id          text        NOT NULL,
    platform         text        NOT NULL,
    state            text        NOT NULL,
    end_reason       text        NOT NULL DEFAULT '',
    error            text        NOT NULL DEFAULT '',
    external_id      text        NOT NULL DEFAULT '',
    agent_id         text        NOT NULL DEFAULT '',
    agent_name       text        NOT NULL DEFAULT '',
    metadata         json,
    timeout_ns       bigint      NOT NULL,
    created_at       timestamptz,
    activated_at     timestamptz,
    first_reply_at   timestamptz,
    last_activity_at timestamptz,
    ended_at         timestamptz
);
-- At most one live (pending or active) session per client: FindLiveSession
-- and the rule "the bot never answers during a session" depend on it.
CREATE UNIQUE INDEX sessions_live ON sessions (bot_id, channel_id, user_id)
    WHERE state IN ('pending', 'active');
CREATE INDEX sessions_external ON sessions (platform, external_id) WHERE external_id <> '';
-- ListSessions, newest first, with or without a bot.
CREATE INDEX sessions_created ON sessions (created_at NULLS FIRST, seq);
CREATE INDEX sessions_bot_created ON sessions (bot_id, created_at NULLS FIRST, seq);

-- The outbox. A completed job's id is never given to a new job, so a worker
-- holding a stale id can never touch someone else's job.
CREATE TABLE jobs (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL,
    key         text        NOT NULL,
    payload     json,
    attempts    integer     NOT NULL DEFAULT 0,
    run_at      timestamptz NOT NULL,
    last_error  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    lease_until timestamptz
);
-- The head (oldest job) of each key.
CREATE INDEX jobs_key ON jobs (key, id);
-- Due jobs.
CREATE INDEX jobs_run_at ON jobs (run_at);

-- Jobs given up on. seq orders them by burial; id is the job's original id.
CREATE TABLE dead_jobs (
    seq        bigserial   PRIMARY KEY,
    id         bigint      NOT NULL UNIQUE,
    kind       text        NOT NULL,
    key        text        NOT NULL,
    payload    json,
    attempts   integer     NOT NULL,
    run_at     timestamptz NOT NULL,
    last_error text        NOT NULL,
    created_at timestamptz NOT NULL,
    buried_at  timestamptz NOT NULL
);

-- Durable timers, one per key.
CREATE TABLE timers (
    key         text        COLLATE "C" PRIMARY KEY,
    kind        text        NOT NULL,
    payload     json,
    due_at      timestamptz NOT NULL,
    lease_until timestamptz
);
CREATE INDEX timers_due ON timers (due_at);

-- Desk agents. email_key is the email folded to lower case by the store (the
-- same Go code for every database), unique so two agents never share a sign-in.
CREATE TABLE agents (
    seq           bigserial   NOT NULL,
    id            text        PRIMARY KEY,
    email         text        NOT NULL,
    email_key     text        NOT NULL UNIQUE,
    name          text        NOT NULL,
    password_hash text        NOT NULL,
    disabled      boolean     NOT NULL,
    created_at    timestamptz
);

CREATE TABLE agent_logins (
    token_hash text        PRIMARY KEY,
    agent_id   text        NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    csrf_token text        NOT NULL,
    created_at timestamptz,
    expires_at timestamptz NOT NULL
);
CREATE INDEX agent_logins_agent ON agent_logins (agent_id);

CREATE TABLE saved_replies (
    seq        bigserial   NOT NULL,
    id         text        PRIMARY KEY,
    title      text        NOT NULL,
    text       text        NOT NULL,
    created_at timestamptz
);

CREATE TABLE settings (
    name  text COLLATE "C" PRIMARY KEY,
    value json
);

-- Ids already handled, to drop duplicate deliveries.
CREATE TABLE seen (
    scope   text        NOT NULL,
    id      text        NOT NULL,
    seen_at timestamptz NOT NULL,
    PRIMARY KEY (scope, id)
);
CREATE INDEX seen_at ON seen (seen_at);
