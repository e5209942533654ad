-- The catalog read model: what each registered torrent is, as its uploader
-- described it, for the torrent page, browse, the API and RSS. Every value
-- is a function of the event sequence alone (added_at is the
-- TorrentRegistered's Meta.Time), so a replay rebuilds it row for row.
-- Info hashes are the 20 raw bytes (bytea), as in swarm.torrents, so the two
-- join on info_hash. The live counts (seeders, leechers, snatches) are
-- swarm.torrents'.

-- One row per registered torrent, deleted ones kept (deleted = true).
CREATE TABLE torrents (
    info_hash        bytea PRIMARY KEY,
    name             text NOT NULL,            -- the info dictionary's name (what a client saves as)
    title            text NOT NULL,            -- the name the site shows: the uploader's, else name
    category         text NOT NULL DEFAULT '', -- one of commands.Categories, a plugin's name, or '' (CLI)
    description      text NOT NULL DEFAULT '', -- the uploader's plain text; escape it when shown
    uploader         uuid NOT NULL,            -- users.users.id
    added_at         timestamptz NOT NULL,     -- when it was registered
    size             bigint NOT NULL,          -- total bytes of its files
    file_count       integer NOT NULL,         -- rows in catalog.files
    upload_percent   smallint NOT NULL,        -- factors: 100/100 normal, down 0 freeleech,
    download_percent smallint NOT NULL,        --   both 0 neutral, up 200 double upload
    deleted          boolean NOT NULL DEFAULT false,
    deleted_at       timestamptz,
    delete_reason    text NOT NULL DEFAULT ''
);

-- Listing newest first (browse's default, RSS) over the live torrents.
CREATE INDEX torrents_added ON torrents (added_at DESC, info_hash) WHERE NOT deleted;
-- Listing one category newest first (browse and RSS ?category=).
CREATE INDEX torrents_category_added ON torrents (category, added_at DESC, info_hash) WHERE NOT deleted;
-- Name search: case-insensitive prefix and equality on the title
-- (lower(title) LIKE 'words%'); the substring search is below.
CREATE INDEX torrents_title_lower ON torrents (lower(title) text_pattern_ops) WHERE NOT deleted;
-- Browse (projections.Browse): sorting by title (ignoring case) and by
-- size, ties by info hash; a substring search of titles (ILIKE '%words%')
-- by trigrams (pg_trgm, migration 00005).
CREATE INDEX torrents_browse_title ON torrents (lower(title), info_hash) WHERE NOT deleted;
CREATE INDEX torrents_browse_size ON torrents (size, info_hash) WHERE NOT deleted;
CREATE INDEX torrents_browse_search ON torrents USING gin (title gin_trgm_ops) WHERE NOT deleted;
-- A user's uploads.
CREATE INDEX torrents_uploader ON torrents (uploader, added_at DESC);

-- The files of each torrent, in the .torrent's order; path is under the
-- torrent's name ("Album/01 Track.flac"), a single-file torrent's one
-- path its name.
CREATE TABLE files (
    info_hash bytea NOT NULL,
    idx       integer NOT NULL,
    path      text NOT NULL,
    length    bigint NOT NULL,
    PRIMARY KEY (info_hash, idx)
);
