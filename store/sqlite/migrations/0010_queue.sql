-- 0007_queue: routing (team, priority, tags, a note), the claim and the
-- queue position told to the customer.

ALTER TABLE sessions ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN priority TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN claimed_at INTEGER;
ALTER TABLE sessions ADD COLUMN queue_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN queue_wait_ns INTEGER NOT NULL DEFAULT 0;

-- Sessions claimed before this migration count as claimed when their agent
-- answered or took them.
UPDATE sessions SET claimed_at = COALESCE(first_reply_at, activated_at) WHERE agent_id <> '' OR first_reply_at IS NOT NULL;

-- The median wait of a team: its sessions by claim time.
CREATE INDEX sessions_team_claimed ON sessions (team, claimed_at) WHERE claimed_at IS NOT NULL;
