-- The scrape face (DESIGN.md §3) for SQLite: pages, scrape jobs and their URLs, per-host politeness.
-- Times are epoch milliseconds.

CREATE TABLE fetchq_page (
    id            TEXT    PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    status        INTEGER NOT NULL,
    final_url     TEXT    NOT NULL,
    headers       TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    charset       TEXT,
    body          BLOB,
    body_size     INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    title         TEXT,
    text          TEXT,
    etag          TEXT,
    last_modified TEXT,
    fetched_at    INTEGER NOT NULL
);

CREATE TABLE fetchq_scrape_job (
    seq              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    owner            TEXT,
    total            INTEGER NOT NULL,
    queued           INTEGER NOT NULL DEFAULT 0,
    running          INTEGER NOT NULL DEFAULT 0,
    completed        INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0,
    cancelled        INTEGER NOT NULL DEFAULT 0,
    cached           INTEGER NOT NULL DEFAULT 0,
    options          TEXT    NOT NULL,
    metadata         TEXT,
    callback_url     TEXT,
    callback_state   TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    CONSTRAINT fetchq_scrape_job_counts CHECK (queued >= 0 AND running >= 0 AND completed >= 0 AND failed >= 0
        AND cancelled >= 0 AND cached >= 0 AND queued + running + completed + failed + cancelled = total),
    CONSTRAINT fetchq_scrape_job_callback_state CHECK (callback_state IN ('due', 'enqueued'))
);
CREATE INDEX fetchq_scrape_job_callback_due ON fetchq_scrape_job (finished_at) WHERE callback_state = 'due';

CREATE TABLE fetchq_scrape_url (
    job_id        TEXT    NOT NULL REFERENCES fetchq_scrape_job (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    url           TEXT    NOT NULL,
    canonical_url TEXT    NOT NULL,
    priority      INTEGER NOT NULL,
    metadata      TEXT,
    status        TEXT    NOT NULL,
    page_id       TEXT,
    cached        INTEGER NOT NULL DEFAULT 0,
    http_status   INTEGER,
    error         TEXT,
    error_reason  TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    queued_at     INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    PRIMARY KEY (job_id, idx),
    CONSTRAINT fetchq_scrape_url_status CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    CONSTRAINT fetchq_scrape_url_finished CHECK ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX fetchq_scrape_url_waiting ON fetchq_scrape_url (canonical_url) WHERE status IN ('queued', 'running');

CREATE TABLE fetchq_host (
    host          TEXT    PRIMARY KEY,
    next_start_at INTEGER NOT NULL,
    paused_until  INTEGER
);

CREATE TABLE fetchq_host_slot (
    host        TEXT    NOT NULL,
    slot        INTEGER NOT NULL,
    holder      TEXT,
    lease_until INTEGER,
    PRIMARY KEY (host, slot)
);

CREATE TABLE fetchq_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
