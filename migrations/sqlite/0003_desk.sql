-- The clerk's desk: people who log in with a password (clerks, admins)
-- and their browser sessions. API tokens (0002) stay for systems.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL,
    -- argon2id PHC string; the password itself is never stored
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    disabled_at    TEXT
);

-- A session id is 256 random bits; only its SHA-256 is stored, so a copy
-- of the database does not hand out live sessions. Times are UTC
-- "YYYY-MM-DDTHH:MM:SSZ", fixed width so they compare as text.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
