-- 0003_agent_scope: which bots an agent answers, ending every sign-in of an
-- agent, and reading a session's own messages.

-- An agent sees every bot's sessions (all_bots, what agents made before this
-- migration keep) or those of the bots listed in bots, a JSON array of ids.
ALTER TABLE agents ADD COLUMN all_bots INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agents ADD COLUMN bots TEXT NOT NULL DEFAULT '[]';

-- A sign-in holds while its generation is its agent's: disabling an agent,
-- signing it out everywhere or changing its password moves the agent's on.
ALTER TABLE agents ADD COLUMN signin_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agent_logins ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;

-- SessionMessages. Partial: messages outside sessions (most) cost nothing.
CREATE INDEX messages_session ON messages (session_id) WHERE session_id <> '';
