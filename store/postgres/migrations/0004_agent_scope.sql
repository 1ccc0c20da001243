-- 0003_agent_scope: which bots an agent answers, ending every sign-in of an
-- agent, and reading a session's own messages.

-- An agent sees every bot's sessions (all_bots, what agents made before this
-- migration keep) or those of the bots listed in bots.
ALTER TABLE agents ADD COLUMN all_bots boolean NOT NULL DEFAULT true;
ALTER TABLE agents ADD COLUMN bots text[] NOT NULL DEFAULT '{}';

-- A sign-in holds while its generation is its agent's: disabling an agent,
-- signing it out everywhere or changing its password moves the agent's on.
ALTER TABLE agents ADD COLUMN signin_generation bigint NOT NULL DEFAULT 0;
ALTER TABLE agent_logins ADD COLUMN generation bigint NOT NULL DEFAULT 0;

-- SessionMessages. Partial: messages outside sessions (most) cost nothing.
CREATE INDEX messages_session ON messages (session_id, id) WHERE session_id <> '';
