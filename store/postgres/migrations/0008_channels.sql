-- 0007_channels: messaging channels (WhatsApp, ...) record the native
-- messages they sent, under the platform's id, and their receipts.

CREATE TABLE channel_sent (
    channel_id  text        NOT NULL,
    platform_id text        NOT NULL,
    message_id  bigint      NOT NULL,
    bot_id      text        NOT NULL,
    user_id     text        NOT NULL,
    part        integer     NOT NULL,
    status      text        NOT NULL,
    error       text        NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (channel_id, platform_id)
);
CREATE INDEX channel_sent_message ON channel_sent (message_id, part);
CREATE INDEX channel_sent_client ON channel_sent (bot_id, channel_id, user_id);
