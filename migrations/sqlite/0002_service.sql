-- The service: applications are also the job queue (status queued →
-- running → done | failed); uploads are stored before anything else
-- happens; the audit log is append-only, enforced by the database itself.
CREATE TABLE applications (
    id              TEXT PRIMARY KEY,
    owner           TEXT,
    application_no  TEXT,
    status          TEXT NOT NULL,
    form            TEXT NOT NULL,
    report          TEXT,
    verdict         TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_by      TEXT,
    claimed_at      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX applications_queue ON applications (status, created_at);
CREATE INDEX applications_owner ON applications (owner, created_at);

CREATE TABLE pages (
    application_id  TEXT NOT NULL REFERENCES applications (id),
    file            TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    bytes           BLOB NOT NULL,
    PRIMARY KEY (application_id, file)
);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    check_id        TEXT,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    reason          TEXT,
    before          TEXT,
    after           TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX audit_log_application ON audit_log (application_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
