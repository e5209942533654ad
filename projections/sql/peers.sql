-- The peers read model: one row per live peer (a user's client on a
-- torrent, by peer_id), as its last announce left it. A row appears with a
-- peer's first announce and goes with its stopped or reaped one, or when
-- its torrent is deleted. Every value is a function of the event sequence
-- alone (times come from Announce.TimeMillis), so a replay rebuilds it row
-- for row. No address: addr_seq and addr_index name the announce in the log
-- whose batch holds the address, sealed (domain.SealedAddrs), for staff.
CREATE TABLE peers (
    info_hash        bytea NOT NULL,
    user_id          uuid NOT NULL,
    peer_id          bytea NOT NULL,
    client           text NOT NULL,            -- domain.PeerClient of peer_id
    remaining        bigint NOT NULL,          -- "left" as last reported; 0: a seeder
    uploaded         bigint NOT NULL,          -- the session's counters as last reported
    downloaded       bigint NOT NULL,
    -- bytes a second between the session's last two announces (the change
    -- in the reported counters over the time between them, rounded down);
    -- 0 at a session's first announce, and when a counter went down or the
    -- time did not advance
    up_rate          bigint NOT NULL,
    down_rate        bigint NOT NULL,
    started_at       timestamptz NOT NULL,     -- the session's first announce seen
    last_announce_at timestamptz NOT NULL,
    addr_seq         bigint NOT NULL,          -- the log sequence of the last announce's batch
    addr_index       integer NOT NULL,         -- and its index in that batch
    PRIMARY KEY (info_hash, user_id, peer_id)
) WITH (fillfactor = 60); -- room for HOT updates: every announce rewrites its row
