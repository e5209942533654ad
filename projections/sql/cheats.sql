-- The cheat-signals read model: what announces claimed against what they
-- were credited, per torrent and UTC day and per user, torrent and day, and
-- every claim the tracker capped. Staff read it through projections.Cheats.
-- Every value is a function of the event sequence alone (a day is the UTC
-- day of Announce.TimeMillis), so a replay rebuilds these tables row for
-- row. Byte counts are bigint sums that saturate at 9223372036854775807
-- (a forged claim of 8 EiB does not overflow them). raw_* are the claims
-- (what the client says it transferred), uploaded/downloaded the credit
-- (within domain.Bounds, then the torrent's factors). Announces that claim
-- and credit nothing and were not capped write no row.

-- One row per torrent and day with a claim or a credit: the swarm's totals.
CREATE TABLE torrent_days (
    day            date NOT NULL,
    info_hash      bytea NOT NULL,
    raw_uploaded   bigint NOT NULL DEFAULT 0,
    raw_downloaded bigint NOT NULL DEFAULT 0,
    uploaded       bigint NOT NULL DEFAULT 0,
    downloaded     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, info_hash)
) WITH (fillfactor = 70); -- room for HOT updates: today's rows change in every batch

-- One row per user, torrent and day with a claim or a credit. A user's
-- excess on a torrent over a period (upload claimed beyond what the other
-- users of the swarm claimed to download) is computed from these rows by
-- the query, for the period it asks about.
CREATE TABLE user_days (
    day            date NOT NULL,
    user_id        uuid NOT NULL,
    info_hash      bytea NOT NULL,
    raw_uploaded   bigint NOT NULL DEFAULT 0,
    raw_downloaded bigint NOT NULL DEFAULT 0,
    uploaded       bigint NOT NULL DEFAULT 0,
    downloaded     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, user_id, info_hash)
) WITH (fillfactor = 70);

-- One row per announce whose credit was capped (Caps != 0), keyed by its
-- place in the log: the stream sequence of its AnnounceBatch and its index
-- in the batch. A claim applied twice violates the key (the projector
-- stops) instead of counting twice.
CREATE TABLE capped_claims (
    seq            bigint NOT NULL,
    idx            integer NOT NULL,
    at             timestamptz NOT NULL,  -- the announce's time
    user_id        uuid NOT NULL,
    info_hash      bytea NOT NULL,
    caps           text[] NOT NULL,       -- domain.Caps.Names(): up_rate, down_rate, down_size, up_empty
    raw_uploaded   bigint NOT NULL,
    raw_downloaded bigint NOT NULL,
    uploaded       bigint NOT NULL,
    downloaded     bigint NOT NULL,
    PRIMARY KEY (seq, idx)
);
CREATE INDEX capped_claims_at ON capped_claims (at);
