-- +goose Up
-- The site's login sessions, in the table github.com/alexedwards/scs/pgxstore
-- reads and writes (its schema, unqualified: the search path's public).
-- Not a read model: no replay drops it. A session holds the signed-in
-- user's id; expired rows are deleted by the web role every few minutes.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
