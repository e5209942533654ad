-- The Music plugin's read model (projections/music): artists with their
-- names and aliases, albums with credits, editions and formats. A format
-- is one torrent: the core catalog and swarm read models give its size,
-- deletion and live counts, joined on info_hash.
--
-- Artists, albums and formats also have a num: 1, 2, 3... in the order the
-- log created them (one more than the largest so far, in the applying
-- transaction, so a replay numbers them alike and a retried batch burns
-- none). Gazelle's ajax.php names them by these, as its clients parse ids
-- as 32-bit integers.

CREATE TABLE artists (
    id          uuid PRIMARY KEY,
    num         integer NOT NULL UNIQUE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    image_url   text NOT NULL DEFAULT '',
    merged_into uuid,               -- the artist this one was folded into (its page redirects)
    created_at  timestamptz NOT NULL
);
CREATE INDEX artists_name_lower ON artists (lower(name)) WHERE merged_into IS NULL;

-- Every name that leads to an artist: its own and its aliases, by
-- domain/music.NameKey; a merge points the merged artist's names here.
CREATE TABLE artist_names (
    name_key text PRIMARY KEY,
    name     text NOT NULL,
    artist   uuid NOT NULL
);
CREATE INDEX artist_names_artist ON artist_names (artist);
CREATE INDEX artist_names_search ON artist_names USING gin (name_key gin_trgm_ops);

-- Artists people who like one may like too (both ways not implied).
CREATE TABLE similar_artists (
    artist uuid NOT NULL,
    other  uuid NOT NULL,
    PRIMARY KEY (artist, other)
);

-- live_formats and last_added summarize the album's formats whose
-- torrents are not deleted (their count, and the newest one's added_at), so
-- an unfiltered browse pages through albums alone.
CREATE TABLE albums (
    id           uuid PRIMARY KEY,
    num          integer NOT NULL UNIQUE,
    title        text NOT NULL,
    year         int NOT NULL,
    release_type int NOT NULL,
    tags         text[] NOT NULL DEFAULT '{}',
    description  text NOT NULL DEFAULT '',
    cover_url    text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    live_formats int NOT NULL DEFAULT 0,
    last_added   timestamptz
);
CREATE INDEX albums_last_added ON albums (last_added DESC, id) WHERE live_formats > 0;
CREATE INDEX albums_tags ON albums USING gin (tags);
CREATE INDEX albums_title_search ON albums USING gin (lower(title) gin_trgm_ops);

-- An album's artists in the order the uploader named them; merged
-- artists' credits point at the artist they were merged into.
CREATE TABLE credits (
    album  uuid NOT NULL,
    artist uuid NOT NULL,
    role   int NOT NULL,
    ord    int NOT NULL,
    PRIMARY KEY (album, artist, role)
);
CREATE INDEX credits_artist ON credits (artist);

CREATE TABLE releases (
    id               uuid PRIMARY KEY,
    album            uuid NOT NULL,
    year             int NOT NULL DEFAULT 0,
    record_label     text NOT NULL DEFAULT '',
    catalogue_number text NOT NULL DEFAULT '',
    edition_title    text NOT NULL DEFAULT '',
    media            text NOT NULL,
    seq              bigint NOT NULL   -- the order editions were added in
);
CREATE INDEX releases_album ON releases (album);

CREATE TABLE formats (
    info_hash bytea PRIMARY KEY,
    num       integer NOT NULL UNIQUE,
    album     uuid NOT NULL,
    release   uuid NOT NULL,
    format    text NOT NULL,
    encoding  text NOT NULL,
    has_log   boolean NOT NULL DEFAULT false,
    log_score int NOT NULL DEFAULT 0,
    has_cue   boolean NOT NULL DEFAULT false,
    scene     boolean NOT NULL DEFAULT false,
    added_at  timestamptz NOT NULL,
    deleted   boolean NOT NULL DEFAULT false, -- its torrent was deleted (TorrentDeleted)
    seq       bigint NOT NULL
);
CREATE INDEX formats_album ON formats (album);
CREATE INDEX formats_release ON formats (release);
