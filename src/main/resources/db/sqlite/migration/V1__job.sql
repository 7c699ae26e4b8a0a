-- The engine's one job table (DESIGN.md §2) for SQLite. Times are integer milliseconds since the epoch
-- (UTC). The schema guards the state machine's invariants too: a lease exists exactly while running,
-- finished_at exactly in the final states.
CREATE TABLE fetchq_job (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL,
    queue            TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    priority         INTEGER NOT NULL DEFAULT 5,
    payload          TEXT    NOT NULL,
    attempt          INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL,
    run_at           INTEGER NOT NULL,
    lease_token      TEXT,
    lease_expires_at INTEGER,
    leased_by        TEXT,
    dedupe_key       TEXT,
    group_id         TEXT,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    attempted_at     INTEGER,
    finished_at      INTEGER,
    CONSTRAINT fetchq_job_state_known
        CHECK (state IN ('available', 'scheduled', 'running', 'retryable', 'completed', 'dead', 'cancelled')),
    CONSTRAINT fetchq_job_priority_range CHECK (priority BETWEEN 1 AND 10),
    CONSTRAINT fetchq_job_attempts_range CHECK (max_attempts >= 1 AND attempt >= 0),
    -- The engine checks the characters, as on PostgreSQL.
    CONSTRAINT fetchq_job_queue_name CHECK (length(queue) BETWEEN 1 AND 80),
    CONSTRAINT fetchq_job_lease_iff_running
        CHECK ((state = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT fetchq_job_finished_iff_final
        CHECK ((state IN ('completed', 'dead', 'cancelled')) = (finished_at IS NOT NULL))
);

-- Lookups by the public id; named so batch statements can pin it (INDEXED BY).
CREATE UNIQUE INDEX fetchq_job_id ON fetchq_job (id);
CREATE INDEX fetchq_job_runnable ON fetchq_job (queue, priority, run_at, seq) WHERE state = 'available';
CREATE INDEX fetchq_job_due ON fetchq_job (run_at) WHERE state IN ('scheduled', 'retryable');
CREATE INDEX fetchq_job_leased ON fetchq_job (lease_expires_at) WHERE state = 'running';
CREATE INDEX fetchq_job_finished ON fetchq_job (finished_at) WHERE finished_at IS NOT NULL;
CREATE UNIQUE INDEX fetchq_job_dedupe ON fetchq_job (queue, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');
CREATE INDEX fetchq_job_group ON fetchq_job (group_id, state) WHERE group_id IS NOT NULL;
