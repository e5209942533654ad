-- The Movies plugin's read model (projections/movies): people with their
-- names and aliases, movies with credits, editions and formats. A format
-- is one torrent: the core catalog and swarm read models give its size,
-- deletion and live counts, joined on info_hash. Every value is a
-- function of the event sequence alone, so a replay rebuilds it row for row.

CREATE TABLE people (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    birth_year  int NOT NULL DEFAULT 0,   -- 0: unknown
    biography   text NOT NULL DEFAULT '',
    merged_into uuid,                     -- the person this one was folded into (their page redirects)
    created_at  timestamptz NOT NULL
);
CREATE INDEX people_name_lower ON people (lower(name)) WHERE merged_into IS NULL;

-- Every name that leads to a person: their own and their aliases, by
-- domain/movies.NameKey; a merge points the merged person's names here.
CREATE TABLE person_names (
    name_key text PRIMARY KEY,
    name     text NOT NULL,
    person   uuid NOT NULL
);
CREATE INDEX person_names_person ON person_names (person);
CREATE INDEX person_names_search ON person_names USING gin (name_key gin_trgm_ops);

CREATE TABLE movies (
    id             uuid PRIMARY KEY,
    title          text NOT NULL,
    original_title text NOT NULL DEFAULT '',
    year           int NOT NULL,
    synopsis       text NOT NULL DEFAULT '',
    imdb_id        text NOT NULL DEFAULT '',
    runtime        int NOT NULL DEFAULT 0,   -- minutes; 0: unknown
    tags           text[] NOT NULL DEFAULT '{}',
    poster_url     text NOT NULL DEFAULT '',
    merged_into    uuid,                     -- the movie this one was merged into (its page redirects)
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX movies_tags ON movies USING gin (tags);
CREATE INDEX movies_title_search ON movies USING gin (title gin_trgm_ops);
CREATE INDEX movies_imdb ON movies (imdb_id) WHERE imdb_id <> '' AND merged_into IS NULL;

-- A movie's credits in the order the uploader gave them: kind is
-- domain/movies.CreditKind (1 director, 2 writer, 3 producer, 4 actor);
-- role and billing are an actor's ('' and 0 otherwise). Merged people's
-- credits point at the person they were merged into.
CREATE TABLE credits (
    movie   uuid NOT NULL,
    person  uuid NOT NULL,
    kind    int NOT NULL,
    role    text NOT NULL DEFAULT '',
    billing int NOT NULL DEFAULT 0,
    ord     int NOT NULL,
    PRIMARY KEY (movie, person, kind, role)
);
CREATE INDEX credits_person ON credits (person);

CREATE TABLE editions (
    id          uuid PRIMARY KEY,
    movie       uuid NOT NULL,
    name        text NOT NULL,
    year        int NOT NULL DEFAULT 0,   -- 0: the movie's
    distributor text NOT NULL DEFAULT '',
    seq         bigint NOT NULL           -- the order editions were added in
);
CREATE INDEX editions_movie ON editions (movie);

CREATE TABLE formats (
    info_hash  bytea PRIMARY KEY,
    movie      uuid NOT NULL,
    edition    uuid NOT NULL,
    source     text NOT NULL,
    codec      text NOT NULL,
    container  text NOT NULL,
    resolution text NOT NULL,
    hdr        text NOT NULL,
    kind       text NOT NULL,
    subtitles  text[] NOT NULL DEFAULT '{}',
    added_at   timestamptz NOT NULL,
    seq        bigint NOT NULL
);
CREATE INDEX formats_movie ON formats (movie);
CREATE INDEX formats_edition ON formats (edition);
