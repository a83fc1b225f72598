-- The registry of spec/registry.md. Each row keeps its full record as JSON
-- in `data`; the key and the columns the checks look up by are columns of
-- their own. The same schema exists for SQLite in migrations/sqlite.
CREATE TABLE companies (
    uscc        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE persons (
    id_number   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE vehicles (
    plate       TEXT PRIMARY KEY,
    vin         TEXT,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX vehicles_vin ON vehicles (vin);
CREATE TABLE road_nodes (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE road_segments (
    id          TEXT PRIMARY KEY,
    from_node   TEXT NOT NULL,
    to_node     TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE structures (
    id          TEXT PRIMARY KEY,
    segment_id  TEXT NOT NULL,
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX structures_segment ON structures (segment_id);
CREATE TABLE registry_imports (
    id          BIGSERIAL PRIMARY KEY,
    imported_at TEXT NOT NULL,
    source      TEXT NOT NULL,
    counts      TEXT NOT NULL
);
