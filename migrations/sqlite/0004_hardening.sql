-- Every claim and every end of a precheck job, appended: the proof that a
-- job interrupted by a crash ran again and finished exactly once, and the
-- history an operator reads when a job misbehaves.
CREATE TABLE job_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id  TEXT NOT NULL REFERENCES applications (id),
    worker          TEXT NOT NULL,
    event           TEXT NOT NULL,   -- claimed | done | failed | requeued | lost
    at              TEXT NOT NULL
);
CREATE INDEX job_events_application ON job_events (application_id, id);

-- Failed desk logins, for rate limiting by account name and by address.
-- Kept in the database so that every instance behind a load balancer
-- counts the same attempts.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_name ON login_failures (name, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
