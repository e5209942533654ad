-- The ratio read model: what each user has transferred and been credited,
-- per user and per user and torrent. Seeding and leeching counts follow the
-- peers' state transitions recorded in the announce events. Every value is a function of the event
-- sequence alone (times come from Announce.TimeMillis), so a replay rebuilds
-- these tables row for row. Byte counts are bigint: sums saturate at
-- 9223372036854775807 instead of overflowing. Info hashes are the 20 raw
-- bytes (bytea); user ids are uuids.

-- One row per user that has announced. uploaded/downloaded are credited
-- (after the torrents' factors), raw_* are what was transferred.
CREATE TABLE users (
    user_id          uuid PRIMARY KEY,
    uploaded         bigint NOT NULL DEFAULT 0,
    downloaded       bigint NOT NULL DEFAULT 0,
    raw_uploaded     bigint NOT NULL DEFAULT 0,
    raw_downloaded   bigint NOT NULL DEFAULT 0,
    -- domain.RatioOf the credited amounts: 0 with nothing transferred,
    -- Infinity with nothing downloaded but something uploaded.
    ratio            double precision GENERATED ALWAYS AS (
                         CASE WHEN downloaded = 0 THEN CASE WHEN uploaded = 0 THEN 0 ELSE 'Infinity'::double precision END
                              ELSE uploaded::double precision / downloaded::double precision END) STORED,
    seeding          integer NOT NULL DEFAULT 0, -- active peers with left = 0
    leeching         integer NOT NULL DEFAULT 0, -- active peers with left > 0
    snatches         integer NOT NULL DEFAULT 0, -- torrents completed (once each)
    seed_ms          bigint NOT NULL DEFAULT 0,  -- sum of user_torrents.seed_ms
    last_announce_at timestamptz                 -- latest announce time seen (reaps excluded)
) WITH (fillfactor = 50); -- room for HOT updates: most rows change in every batch

-- One row per user and torrent the user announced for: what Gazelle keeps in
-- xbt_files_users, summed over the user's peers on the torrent.
CREATE TABLE user_torrents (
    user_id           uuid NOT NULL,
    info_hash         bytea NOT NULL,
    uploaded          bigint NOT NULL DEFAULT 0, -- credited
    downloaded        bigint NOT NULL DEFAULT 0, -- credited
    raw_uploaded      bigint NOT NULL DEFAULT 0,
    raw_downloaded    bigint NOT NULL DEFAULT 0,
    remaining         bigint,                    -- "left" as last reported (stream order); NULL if never reported
    seed_ms           bigint NOT NULL DEFAULT 0, -- seed time in milliseconds, see Ratio's doc comment
    first_announce_at timestamptz,               -- earliest announce time seen (reaps excluded)
    last_announce_at  timestamptz,               -- latest announce time seen (reaps excluded)
    snatched_at       timestamptz,               -- time of the first snatch; one per user and torrent
    active_peers      integer NOT NULL DEFAULT 0,
    active            boolean GENERATED ALWAYS AS (active_peers > 0) STORED,
    PRIMARY KEY (user_id, info_hash)
) WITH (fillfactor = 70);
