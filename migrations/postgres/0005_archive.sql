-- Readings of pages that passed, per entity (company:USCC, person:ID,
-- vehicle:VIN), for later applications to reuse while still valid.
CREATE TABLE archive (
    id              BIGSERIAL PRIMARY KEY,
    entity          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    document        TEXT NOT NULL,   -- the report's documents[] entry, as checked
    application_id  TEXT NOT NULL REFERENCES applications (id),
    file            TEXT NOT NULL,
    archived_at     TEXT NOT NULL,
    valid_until     TEXT             -- YYYY-MM-DD; NULL: no end (long_term)
);
CREATE INDEX archive_entity ON archive (entity, kind, archived_at);
