-- 0007_attachments: files users and agents send. SQLite keeps their bytes in
-- files of the data folder (attachments/<id>); this table says what they are.

CREATE TABLE attachments (
    id           TEXT    NOT NULL PRIMARY KEY,
    bot_id       TEXT    NOT NULL,
    channel_id   TEXT    NOT NULL,
    user_id      TEXT    NOT NULL,
    sender       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   INTEGER
);
