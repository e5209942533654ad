-- +goose Up
-- One row per projection: the schema version its tables were built for and
-- the last stream sequence applied to them. A projector updates its row in
-- the same transaction as the read-model changes (exactly-once effects).
CREATE TABLE projections (
    name       text PRIMARY KEY,
    version    integer NOT NULL,
    seq        bigint  NOT NULL DEFAULT 0 CHECK (seq >= 0),
    rebuilt_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE projections;
