-- 0002_admin: credentials of API channels, and administrators; the same step
-- as store/sqlite/migrations/0002_admin.sql.

-- An API channel's public key (unique when set) and its secret, sealed by the
-- application before it reaches the store.
ALTER TABLE channels ADD COLUMN api_key text NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN secret  text NOT NULL DEFAULT '';
-- FindChannelByAPIKey, and one channel per key.
CREATE UNIQUE INDEX channels_api_key ON channels (api_key) WHERE api_key <> '';

-- Agents who may also use the administration pages and API.
ALTER TABLE agents ADD COLUMN admin boolean NOT NULL DEFAULT false;
