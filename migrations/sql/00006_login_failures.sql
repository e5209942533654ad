-- +goose Up
-- The site's failed logins (web/login_throttle.go), so the throttle
-- survives a restart and holds across every web process on the database.
-- Not a read model: no replay drops it. One row per failure and key (the
-- account's, the address's), the key only as an HMAC-SHA256 under the
-- server secret, so no username or address is kept in clear. Rows older
-- than the throttle's sliding window needs are deleted by the site.
CREATE TABLE login_failures (
    key_hash bytea NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX login_failures_key_at_idx ON login_failures (key_hash, at);
CREATE INDEX login_failures_at_idx ON login_failures (at);

-- +goose Down
DROP TABLE login_failures;
