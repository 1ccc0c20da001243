-- 0006_desk: the agent desk lists a customer's earlier sessions.

-- ListSessions of one client, newest first.
CREATE INDEX sessions_client ON sessions (bot_id, channel_id, user_id, created_at);
