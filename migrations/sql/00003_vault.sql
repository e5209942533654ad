-- +goose Up
-- The vault: one key per user that seals the user's personal data (name,
-- password hash) in the log. It is not a read model: no replay drops it.
-- Forgetting a user deletes their key, after which what the log holds of
-- them cannot be read by anyone (crypto-shredding).
CREATE SCHEMA vault;
CREATE TABLE vault.user_keys (
    user_id    uuid PRIMARY KEY,
    key        bytea NOT NULL CHECK (length(key) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP SCHEMA vault CASCADE;
