-- 0005_csmlbots: several bots in one conversation (goto ... in bot).

-- The bots a channel's conversations may switch to, as JSON
-- ([{"id", "name"}]); empty: none.
ALTER TABLE channels ADD COLUMN multibot TEXT NOT NULL DEFAULT '';
-- The bot running a conversation since a goto ... in bot; empty: the
-- client's bot.
ALTER TABLE conversations ADD COLUMN running_bot TEXT NOT NULL DEFAULT '';
