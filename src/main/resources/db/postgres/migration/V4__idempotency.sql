-- Idempotency keys of POST /jobs: a repeat of a request with the same key (per owner) returns the job
-- the first one created. The row is written before the job, with the job's id chosen up front, so two
-- racing requests with one key create one job. request_sha256 tells a repeat from a different request.
CREATE TABLE fetchq_idempotency (
    owner          text        NOT NULL,
    idem_key       text        NOT NULL,
    request_sha256 text        NOT NULL,
    job_id         text        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (owner, idem_key)
);
CREATE INDEX fetchq_idempotency_created ON fetchq_idempotency (created_at);
