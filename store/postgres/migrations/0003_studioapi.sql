-- 0003_studioapi: the CSML engine API's list of a client's conversations.

-- ClientConversations: a client's conversations, newest first. Conversations
-- are inserted once and never change client or creation time, so saves after
-- a turn leave this index alone.
CREATE INDEX conversations_client ON conversations (bot_id, channel_id, user_id, created_at);
