-- The Backup plugin's read model (projections/backup): backups and their
-- versions from the plugin's events, and, from the announce events of
-- backup torrents, who seeds each version, each user's backup credit and
-- earned priority points, and each version's copies over time.
--
-- Every value derives from the events alone (times are the events'), so a
-- replay rebuilds the tables row for row. Bytes are bigint, saturating at
-- its maximum.

CREATE TABLE backups (
    id           uuid PRIMARY KEY,
    owner        uuid NOT NULL,
    name         text NOT NULL,
    description  text NOT NULL DEFAULT '',
    redundancy   int NOT NULL,                -- N: copies wanted of each version, held by users other than the owner
    points_milli bigint NOT NULL DEFAULT 0,   -- priority points assigned, in thousandths; every version has them
    created_at   timestamptz NOT NULL
);
CREATE INDEX backups_owner ON backups (owner);

-- Torrents of category Backup, from their registration (or their
-- VersionAdded): their seeders are counted from then on, so a version
-- knows who seeds it even if its owner's client announced before the
-- VersionAdded was appended.
CREATE TABLE tracked (
    info_hash bytea PRIMARY KEY
);

-- A version is one torrent. copies (users other than the owner with a
-- seeding peer on it) and owner_seeding follow seeders; history_n is the
-- number of its last copies_history row.
CREATE TABLE versions (
    info_hash     bytea PRIMARY KEY,
    backup        uuid NOT NULL,
    owner         uuid NOT NULL,
    number        int NOT NULL,
    size          bigint NOT NULL,
    message       text NOT NULL DEFAULT '',
    added_at      timestamptz NOT NULL,
    deleted       boolean NOT NULL DEFAULT false,
    copies        int NOT NULL DEFAULT 0,
    owner_seeding boolean NOT NULL DEFAULT false,
    history_n     int NOT NULL DEFAULT 0,
    UNIQUE (backup, number)
);
CREATE INDEX versions_live ON versions (owner) WHERE NOT deleted;

-- Per tracked torrent and user, the user's peers in state seeder (a row
-- only while there is one): the user holds a complete copy while peers > 0.
-- Kept from each announce's Prev → StateAfter transition.
CREATE TABLE seeders (
    info_hash bytea NOT NULL,
    user_id   uuid NOT NULL,
    peers     int NOT NULL,
    PRIMARY KEY (info_hash, user_id)
);

-- Per user, the backup economy: credit (bytes credited for downloading
-- other users' live versions, domain/backup.Credit) and the priority
-- points earned by seeding other users' under-replicated versions
-- (domain/backup.PointsEarned), in thousandths.
CREATE TABLE economy (
    user_id      uuid PRIMARY KEY,
    credit       bigint NOT NULL DEFAULT 0,
    earned_milli bigint NOT NULL DEFAULT 0
);

-- A live version's copies over time, for its chart: a row when it was
-- added and whenever its copies or its owner's seeding changed, at the
-- time of the event that changed them; n counts 1, 2, 3... per version.
CREATE TABLE copies_history (
    info_hash     bytea NOT NULL,
    n             int NOT NULL,
    at            timestamptz NOT NULL,
    copies        int NOT NULL,
    owner_seeding boolean NOT NULL,
    PRIMARY KEY (info_hash, n)
);
