-- The engine's one job table (DESIGN.md §2), shared by the scrape and broker faces.
-- The schema guards the state machine's invariants too: a lease exists exactly while running,
-- finished_at exactly in the final states.
CREATE TABLE fetchq_job (
    id               text        PRIMARY KEY,
    seq              bigint      GENERATED ALWAYS AS IDENTITY,
    queue            text        NOT NULL,
    state            text        NOT NULL,
    priority         smallint    NOT NULL DEFAULT 5,
    payload          text        NOT NULL,
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL,
    run_at           timestamptz NOT NULL,
    lease_token      text,
    lease_expires_at timestamptz,
    leased_by        text,
    dedupe_key       text,
    group_id         text,
    last_error       text,
    created_at       timestamptz NOT NULL,
    attempted_at     timestamptz,
    finished_at      timestamptz,
    CONSTRAINT fetchq_job_state_known
        CHECK (state IN ('available', 'scheduled', 'running', 'retryable', 'completed', 'dead', 'cancelled')),
    CONSTRAINT fetchq_job_priority_range CHECK (priority BETWEEN 1 AND 10),
    CONSTRAINT fetchq_job_attempts_range CHECK (max_attempts >= 1 AND attempt >= 0),
    -- The engine checks the characters; a regex here would run on every update of every row.
    CONSTRAINT fetchq_job_queue_name CHECK (char_length(queue) BETWEEN 1 AND 80),
    CONSTRAINT fetchq_job_lease_iff_running
        CHECK ((state = 'running') = (lease_token IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT fetchq_job_finished_iff_final
        CHECK ((state IN ('completed', 'dead', 'cancelled')) = (finished_at IS NOT NULL))
);

-- What claims scan: runnable rows in claim order.
CREATE INDEX fetchq_job_runnable ON fetchq_job (queue, priority, run_at, seq) WHERE state = 'available';
-- What the scheduler promotes when run_at passes.
CREATE INDEX fetchq_job_due ON fetchq_job (run_at) WHERE state IN ('scheduled', 'retryable');
-- What the rescuer looks at.
CREATE INDEX fetchq_job_leased ON fetchq_job (lease_expires_at) WHERE state = 'running';
-- What retention prunes, and where dead letters are listed from.
CREATE INDEX fetchq_job_finished ON fetchq_job (finished_at) WHERE finished_at IS NOT NULL;
-- A dedupe key is unique among the unfinished jobs of a queue.
CREATE UNIQUE INDEX fetchq_job_dedupe ON fetchq_job (queue, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable');
-- Cancel / requeue / count a group (a scrape job's URLs).
CREATE INDEX fetchq_job_group ON fetchq_job (group_id, state) WHERE group_id IS NOT NULL;
