-- The scrape face (DESIGN.md §3): pages kept once per canonical URL, scrape jobs with their URLs and
-- cheap counters, and per-host politeness shared by every node.

CREATE TABLE fetchq_page (
    id            text        PRIMARY KEY,
    url           text        NOT NULL UNIQUE,   -- canonical URL
    status        integer     NOT NULL,
    final_url     text        NOT NULL,
    headers       text        NOT NULL,          -- JSON object of the kept response headers
    content_type  text        NOT NULL,
    charset       text,
    body          bytea,                         -- gzip-compressed
    body_size     bigint      NOT NULL,          -- decoded size
    sha256        text        NOT NULL,          -- of the decoded body
    title         text,
    text          text,
    etag          text,
    last_modified text,
    fetched_at    timestamptz NOT NULL           -- fetched or revalidated
);

CREATE TABLE fetchq_scrape_job (
    id              text        PRIMARY KEY,
    seq             bigint      GENERATED ALWAYS AS IDENTITY,
    owner           text,
    total           integer     NOT NULL,
    queued          integer     NOT NULL DEFAULT 0,
    running         integer     NOT NULL DEFAULT 0,
    completed       integer     NOT NULL DEFAULT 0,
    failed          integer     NOT NULL DEFAULT 0,
    cancelled       integer     NOT NULL DEFAULT 0,
    cached          integer     NOT NULL DEFAULT 0,
    options         text        NOT NULL,        -- JSON: priority, max_attempts, max_age_seconds, ...
    metadata        text,                        -- JSON
    callback_url    text,
    callback_state  text,                        -- NULL, 'due', 'enqueued'
    cancel_requested boolean    NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    CONSTRAINT fetchq_scrape_job_counts CHECK (queued >= 0 AND running >= 0 AND completed >= 0 AND failed >= 0
        AND cancelled >= 0 AND cached >= 0 AND queued + running + completed + failed + cancelled = total),
    CONSTRAINT fetchq_scrape_job_callback_state CHECK (callback_state IN ('due', 'enqueued'))
);
CREATE INDEX fetchq_scrape_job_seq ON fetchq_scrape_job (seq);
CREATE INDEX fetchq_scrape_job_callback_due ON fetchq_scrape_job (finished_at) WHERE callback_state = 'due';

CREATE TABLE fetchq_scrape_url (
    job_id        text        NOT NULL REFERENCES fetchq_scrape_job (id) ON DELETE CASCADE,
    idx           integer     NOT NULL,
    url           text        NOT NULL,          -- as submitted
    canonical_url text        NOT NULL,
    priority      smallint    NOT NULL,
    metadata      text,
    status        text        NOT NULL,
    page_id       text,
    cached        boolean     NOT NULL DEFAULT false,
    http_status   integer,
    error         text,
    error_reason  text,
    attempts      integer     NOT NULL DEFAULT 0,
    queued_at     timestamptz NOT NULL,          -- when it last started waiting (insert, retry)
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    PRIMARY KEY (job_id, idx),
    CONSTRAINT fetchq_scrape_url_status CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    CONSTRAINT fetchq_scrape_url_finished CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);
-- What a finished fetch updates: every URL row still waiting for that canonical URL.
CREATE INDEX fetchq_scrape_url_waiting ON fetchq_scrape_url (canonical_url) WHERE status IN ('queued', 'running');

CREATE TABLE fetchq_host (
    host          text        PRIMARY KEY,       -- scheme://host:port
    next_start_at timestamptz NOT NULL,          -- no request may start before this (minimum delay)
    paused_until  timestamptz                    -- Retry-After from a 429/503
);

CREATE TABLE fetchq_host_slot (
    host        text        NOT NULL,
    slot        integer     NOT NULL,
    holder      text,
    lease_until timestamptz,
    PRIMARY KEY (host, slot)
);

CREATE TABLE fetchq_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
