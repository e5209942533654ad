-- Accounts as the site knows them besides the users table: invites, API
-- tokens, RSS keys and the registration setting. Tokens and invite codes
-- are kept as their SHA-256 only; RSS keys as the nonce they are derived
-- from with the server secret.
CREATE TABLE users (
    user_id      uuid PRIMARY KEY,
    invites_left integer NOT NULL DEFAULT 0,
    rss_nonce    text NOT NULL UNIQUE, -- the RSS key's first half (see domain.RSSKey)
    seq          bigint NOT NULL       -- the event that last changed the row
);

CREATE TABLE invites (
    invite_id  uuid PRIMARY KEY,
    code_hash  text NOT NULL UNIQUE, -- SHA-256 of the code, hex
    by_user    uuid NOT NULL,        -- who may hand it out
    free       boolean NOT NULL,     -- created by staff: it spent none of by_user's invites
    created_at timestamptz NOT NULL,
    used_by    uuid,                 -- the user it registered; NULL while unused
    used_at    timestamptz,
    seq        bigint NOT NULL
);
CREATE INDEX invites_by_user ON invites (by_user, created_at);
CREATE INDEX invites_used_by ON invites (used_by) WHERE used_by IS NOT NULL;

CREATE TABLE tokens (
    token_id   uuid PRIMARY KEY,
    user_id    uuid NOT NULL,
    label      text NOT NULL,
    hash       text NOT NULL UNIQUE, -- SHA-256 of the token, hex
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    seq        bigint NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id, created_at);

CREATE TABLE registration (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    open     boolean NOT NULL, -- anyone may register without an invite
    seq      bigint NOT NULL
);
