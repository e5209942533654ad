-- The swarm read model: per torrent, its registration, the current seeders
-- and leechers (active peers), snatches, and a time series for charts. Every
-- value is a function of the event sequence alone (times come from
-- Announce.TimeMillis and the events' Meta.Time), so a replay rebuilds these
-- tables row for row. Info hashes are the 20 raw bytes (bytea).

-- One row per torrent that was registered or announced for.
CREATE TABLE torrents (
    info_hash     bytea PRIMARY KEY,
    name          text NOT NULL DEFAULT '',
    size          bigint NOT NULL DEFAULT 0,
    registered_at timestamptz,                   -- TorrentRegistered's time; NULL if not (yet) seen
    deleted       boolean NOT NULL DEFAULT false,
    deleted_at    timestamptz,
    seeders       integer NOT NULL DEFAULT 0,    -- active peers with left = 0
    leechers      integer NOT NULL DEFAULT 0,    -- active peers with left > 0
    snatches      integer NOT NULL DEFAULT 0     -- distinct users that completed it
) WITH (fillfactor = 80);

-- One snatch per user and torrent: the user's first "completed".
CREATE TABLE snatches (
    info_hash   bytea NOT NULL,
    user_id     uuid NOT NULL,
    snatched_at timestamptz NOT NULL,
    PRIMARY KEY (info_hash, user_id)
);

-- The time series: one row per torrent and 5-minute bucket (bucket is the
-- bucket's start, aligned to the Unix epoch) in which the torrent's seeders
-- or leechers count changed or it was snatched, by announces whose time
-- falls in the bucket. The *_max columns are the highest count just before
-- or just after any of those announces (in stream order), the others the
-- counts after the last of them. With no row for a bucket, nothing changed:
-- the counts held at the previous row's seeders/leechers.
CREATE TABLE history (
    info_hash    bytea NOT NULL,
    bucket       timestamptz NOT NULL,
    seeders_max  integer NOT NULL,
    leechers_max integer NOT NULL,
    seeders      integer NOT NULL,
    leechers     integer NOT NULL,
    snatches     integer NOT NULL DEFAULT 0, -- snatches in the bucket
    PRIMARY KEY (info_hash, bucket)
);

-- Browse's sorts by the counts (projections.Browse; its title, size and
-- time sorts use catalog.sql's indexes): one partial index per count over
-- the listed torrents, ties broken by info hash, so a page reads its offset
-- plus one page of index entries. They cost the announces that change a
-- count their HOT update; without them those sorts read every listed row
-- (BenchmarkBrowse100k: 170 ms against about 1 ms a page at 100,000
-- torrents).
CREATE INDEX torrents_browse_seeders ON torrents (seeders, info_hash) WHERE NOT deleted AND registered_at IS NOT NULL;
CREATE INDEX torrents_browse_leechers ON torrents (leechers, info_hash) WHERE NOT deleted AND registered_at IS NOT NULL;
CREATE INDEX torrents_browse_snatches ON torrents (snatches, info_hash) WHERE NOT deleted AND registered_at IS NOT NULL;

-- The site's peers over time, for /stats: one row per hour (bucket is the
-- hour's start) in which any torrent's seeders or leechers count changed,
-- by announces whose time falls in it. seeders and leechers are the totals
-- over every torrent after the last of those announces (in stream order),
-- peers_max the highest seeders + leechers just before or after any of
-- them. With no row for an hour, nothing changed.
CREATE TABLE site_history (
    bucket    timestamptz PRIMARY KEY,
    peers_max integer NOT NULL,
    seeders   integer NOT NULL,
    leechers  integer NOT NULL
);

-- The totals over every torrent now (one row once any count changed), from
-- which each run of announces goes on.
CREATE TABLE site_totals (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    seeders  integer NOT NULL,
    leechers integer NOT NULL
);
