-- 0007_hours: desk agents' presence, the values agents hand back to bots,
-- and the satisfaction surveys of sessions.

CREATE TABLE agent_presence (
    agent_id  TEXT PRIMARY KEY,
    status    TEXT NOT NULL,
    active_at INTEGER
);

-- One JSON object of strings per session that had any.
CREATE TABLE session_handbacks (
    session_id TEXT PRIMARY KEY,
    handback   TEXT NOT NULL
);

CREATE TABLE csat_answers (
    session_id  TEXT PRIMARY KEY,
    bot_id      TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    platform    TEXT NOT NULL,
    agent_id    TEXT NOT NULL DEFAULT '',
    agent_name  TEXT NOT NULL DEFAULT '',
    team        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    rating      INTEGER NOT NULL DEFAULT 0,
    comment     TEXT NOT NULL DEFAULT '',
    asked_at    INTEGER,
    answered_at INTEGER
);
-- FindOpenCSAT: a client's newest survey.
CREATE INDEX csat_client ON csat_answers (bot_id, channel_id, user_id, asked_at);
-- ListCSAT and CSATSummaries over a period.
CREATE INDEX csat_asked ON csat_answers (asked_at);
