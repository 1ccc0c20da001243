-- 0007_channels: messaging channels (WhatsApp, ...) record the native
-- messages they sent, under the platform's id, and their receipts.

CREATE TABLE channel_sent (
    channel_id  TEXT    NOT NULL,
    platform_id TEXT    NOT NULL,
    message_id  INTEGER NOT NULL,
    bot_id      TEXT    NOT NULL,
    user_id     TEXT    NOT NULL,
    part        INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    error       TEXT    NOT NULL DEFAULT '',
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, platform_id)
);
CREATE INDEX channel_sent_message ON channel_sent (message_id, part);
CREATE INDEX channel_sent_client ON channel_sent (bot_id, channel_id, user_id);
