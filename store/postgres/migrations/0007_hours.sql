-- 0007_hours: desk agents' presence, the values agents hand back to bots,
-- and the satisfaction surveys of sessions.

CREATE TABLE agent_presence (
    agent_id  text PRIMARY KEY,
    status    text NOT NULL,
    active_at timestamptz
);

-- One JSON object of strings per session that had any.
CREATE TABLE session_handbacks (
    session_id text PRIMARY KEY,
    handback   jsonb NOT NULL
);

CREATE TABLE csat_answers (
    session_id  text PRIMARY KEY,
    bot_id      text NOT NULL,
    channel_id  text NOT NULL,
    user_id     text NOT NULL,
    platform    text NOT NULL,
    agent_id    text NOT NULL DEFAULT '',
    agent_name  text NOT NULL DEFAULT '',
    team        text NOT NULL DEFAULT '',
    state       text NOT NULL,
    rating      integer NOT NULL DEFAULT 0,
    comment     text NOT NULL DEFAULT '',
    asked_at    timestamptz,
    answered_at timestamptz
);
-- FindOpenCSAT: a client's newest survey.
CREATE INDEX csat_client ON csat_answers (bot_id, channel_id, user_id, asked_at);
-- ListCSAT and CSATSummaries over a period.
CREATE INDEX csat_asked ON csat_answers (asked_at);
