-- Users as the site knows them. One row per registered user.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,
    name_key      text NOT NULL UNIQUE, -- lower(name): names are unique without regard to case
    passkey_nonce text NOT NULL,        -- the passkey is derived from it with the server secret
    passkey       text UNIQUE,          -- the passkey itself, only from events older than derived passkeys
    password_hash text NOT NULL,
    class         text NOT NULL DEFAULT 'user', -- domain.Class's code: user, member, power_user, ... moderator, administrator
    admin         boolean NOT NULL DEFAULT false, -- staff: class moderator or administrator (kept with class)
    disabled      boolean NOT NULL DEFAULT false,
    disabled_reason text NOT NULL DEFAULT '',
    can_leech     boolean NOT NULL DEFAULT true,
    leech_disabled_by_watch boolean NOT NULL DEFAULT false, -- can_leech is false by the ratio watch, which restores it on recovery
    leech_reason  text NOT NULL DEFAULT '', -- why can_leech was last set, when the setter said
    -- The ratio watch (domain.RatioWatch): on it since ratio_watch_started_at
    -- (the RatioWatchStarted's time), leeching goes at ratio_watch_deadline
    -- unless the user recovers; ratio_watch_downloaded is the credited
    -- download when it began, ratio_watch_times how often it began.
    ratio_watch   boolean NOT NULL DEFAULT false,
    ratio_watch_started_at timestamptz,
    ratio_watch_deadline   timestamptz,
    ratio_watch_downloaded bigint NOT NULL DEFAULT 0,
    ratio_watch_times      integer NOT NULL DEFAULT 0,
    forgotten     boolean NOT NULL DEFAULT false, -- at the user's request: name anonymous, no password hash
    registered_at timestamptz NOT NULL,
    seq           bigint NOT NULL -- the event that last changed the row
);
