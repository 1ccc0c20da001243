-- 0007_attachments: files users and agents send, bytes included, so that
-- every instance sharing the database serves them with no other storage.

CREATE TABLE attachments (
    id           text        PRIMARY KEY,
    bot_id       text        NOT NULL,
    channel_id   text        NOT NULL,
    user_id      text        NOT NULL,
    sender       text        NOT NULL,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    created_at   timestamptz,
    data         bytea       NOT NULL
);
