-- +goose Up
-- pg_trgm (a trusted extension, shipped with PostgreSQL) for the read
-- models' substring searches: browse's name search (ILIKE '%words%') uses a
-- trigram index in swarm.sql. In public, which every projection's search
-- path ends with.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- +goose Down
DROP EXTENSION IF EXISTS pg_trgm;
