-- 0007_queue: routing (team, priority, tags, a note), the claim and the
-- queue position told to the customer.

ALTER TABLE sessions ADD COLUMN team text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN priority text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
ALTER TABLE sessions ADD COLUMN note text NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN claimed_at timestamptz;
ALTER TABLE sessions ADD COLUMN queue_position bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN queue_wait_ns bigint NOT NULL DEFAULT 0;

-- Sessions claimed before this migration count as claimed when their agent
-- answered or took them.
UPDATE sessions SET claimed_at = COALESCE(first_reply_at, activated_at) WHERE agent_id <> '' OR first_reply_at IS NOT NULL;

-- The median wait of a team: its sessions by claim time.
CREATE INDEX sessions_team_claimed ON sessions (team, claimed_at) WHERE claimed_at IS NOT NULL;
