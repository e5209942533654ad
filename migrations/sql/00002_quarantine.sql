-- +goose Up
-- The quarantine: one row per log record that a consumer (the tracker, a
-- projector) skipped instead of applying, because it could not be decoded,
-- did not belong on its subject, or a projection could not apply it. It is
-- not a read model: no replay drops it, and a replay that meets the record
-- again updates its row. state is what the operator decided:
--   quarantined  skipped, not yet looked at (status and metrics alarm)
--   skipped      the operator acknowledged that it stays skipped for good
--   released     the operator asked the consumers to try it again; a
--                consumer that still fails puts it back to quarantined
CREATE TABLE quarantine (
    seq         bigint PRIMARY KEY CHECK (seq > 0),
    subject     text        NOT NULL,
    type        text        NOT NULL,
    version     integer     NOT NULL,
    error       text        NOT NULL,
    consumers   text[]      NOT NULL,
    state       text        NOT NULL DEFAULT 'quarantined' CHECK (state IN ('quarantined', 'skipped', 'released')),
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    decided_at  timestamptz
);

-- +goose Down
DROP TABLE quarantine;
