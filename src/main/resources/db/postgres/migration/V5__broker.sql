-- The broker face (DESIGN.md §4): named queues whose messages are engine jobs of that queue.
-- A message's receive count is its job's attempt; first_attempted_at is when it was first received.
ALTER TABLE fetchq_job ADD COLUMN first_attempted_at timestamptz;

-- Per-queue counts (in flight, delayed, dead), purge and retention read a queue's rows by state. Partial, so
-- that it can never serve (and mislead the planner on) a claim, which reads available rows through
-- fetchq_job_runnable: with a plain (queue, state) index and stale statistics, PostgreSQL chose it for the
-- claim and sorted every available row of the queue. Available rows are counted through fetchq_job_runnable.
CREATE INDEX fetchq_job_queue_state ON fetchq_job (queue, state, created_at) WHERE state <> 'available';

-- A broker queue and its settings. A deleted queue stays as a tombstone (deleted_at) for a few minutes, so
-- that messages a node sent with a settings cache older than the deletion are removed too.
CREATE TABLE fetchq_broker_queue (
    name                  text        PRIMARY KEY,
    visibility_timeout_ms bigint      NOT NULL,
    max_receive_count     integer     NOT NULL,
    retention_ms          bigint      NOT NULL,
    max_message_bytes     integer     NOT NULL,
    delay_ms              bigint      NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    deleted_at            timestamptz,
    CONSTRAINT fetchq_broker_queue_name CHECK (char_length(name) BETWEEN 1 AND 80)
);

-- Deduplication ids of sent messages, honoured until expires_at (5 minutes after the first send).
CREATE TABLE fetchq_broker_dedupe (
    queue      text        NOT NULL,
    dedupe_id  text        NOT NULL,
    message_id text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (queue, dedupe_id)
);
CREATE INDEX fetchq_broker_dedupe_expires ON fetchq_broker_dedupe (expires_at);
