-- Users as the site knows them. One row per registered user.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    name_key      text NOT NULL UNIQUE, -- lower(name): names are unique without regard to case
    passkey_nonce text NOT NULL,        -- the passkey is derived from it with the server secret
    passkey       text UNIQUE,          -- the passkey itself, only from events older than derived passkeys
    password_hash text NOT NULL,
    admin         boolean NOT NULL DEFAULT false,
    disabled      boolean NOT NULL DEFAULT false,
    disabled_reason text NOT NULL DEFAULT '',
    can_leech     boolean NOT NULL DEFAULT true,
    forgotten     boolean NOT NULL DEFAULT false, -- at the user's request: name anonymous, no password hash
    registered_at timestamptz NOT NULL,
    seq           bigint NOT NULL -- the event that last changed the row
);
