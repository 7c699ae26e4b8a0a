-- Scrape statements for PostgreSQL. Jobs are read by position in this column order (JdbcScrapeStore):
--   id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata, callback_url,
--   callback_state, cancel_requested, created_at, finished_at
-- and URL rows in this one:
--   job_id, idx, url, canonical_url, priority, metadata, status, page_id, cached, http_status, error,
--   error_reason, attempts, created_at, queued_at, finished_at
-- Lookups of URL rows by canonical URL repeat the predicate of index fetchq_scrape_url_open,
-- status IN ('queued', 'running', 'failed'), word for word so that SQLite uses it (see migration V3).

-- name: scrapeJobInsertMany
-- Jobs and all their URL rows in one statement (PostgreSQL checks the rows' foreign key at its end), from
-- parallel arrays: 1 now; jobs: 2 id, 3 owner, 4 total, 5 queued, 6 running, 7 completed, 8 failed,
-- 9 cancelled, 10 cached, 11 options, 12 metadata, 13 callback_url, 14 finished now (nothing left to do);
-- URL rows: 15 job_id, 16 idx, 17 url, 18 canonical_url, 19 priority, 20 metadata, 21 status, 22 page_id,
-- 23 cached, 24 http_status. Returns the jobs in scrapeJobGet's columns.
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     j AS (
         INSERT INTO fetchq_scrape_job (id, owner, total, queued, running, completed, failed, cancelled, cached,
                                        options, metadata, callback_url, callback_state, created_at, finished_at)
         SELECT r.id, r.owner, r.total, r.queued, r.running, r.completed, r.failed, r.cancelled, r.cached, r.options,
                r.metadata, r.callback_url, CASE WHEN r.finished AND r.callback_url IS NOT NULL THEN 'due' END, t.now,
                CASE WHEN r.finished THEN t.now END
         FROM unnest(?::text[], ?::text[], ?::integer[], ?::integer[], ?::integer[], ?::integer[], ?::integer[],
                     ?::integer[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::boolean[])
                  WITH ORDINALITY AS r(id, owner, total, queued, running, completed, failed, cancelled, cached,
                                       options, metadata, callback_url, finished, ord),
              t
         ORDER BY r.ord
         RETURNING id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata,
                   callback_url, callback_state, cancel_requested, created_at, finished_at),
     u AS (
         INSERT INTO fetchq_scrape_url (job_id, idx, url, canonical_url, priority, metadata, status, page_id, cached,
                                        http_status, created_at, queued_at, finished_at)
         SELECT r.job_id, r.idx, r.url, r.canonical_url, r.priority, r.metadata, r.status, r.page_id, r.cached,
                r.http_status, t.now, t.now, CASE WHEN r.status NOT IN ('queued', 'running') THEN t.now END
         FROM unnest(?::text[], ?::integer[], ?::text[], ?::text[], ?::integer[], ?::text[], ?::text[], ?::text[],
                     ?::boolean[], ?::integer[]) AS r(job_id, idx, url, canonical_url, priority, metadata, status,
                                                       page_id, cached, http_status),
              t)
SELECT * FROM j

-- name: scrapeJobGet
SELECT id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata, callback_url,
       callback_state, cancel_requested, created_at, finished_at
FROM fetchq_scrape_job WHERE id = ?

-- name: scrapeJobList
-- 1-2 owner (NULL: any), 3-4 status (NULL: any), 5-6 cursor id (NULL: newest), 7 limit
SELECT id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata, callback_url,
       callback_state, cancel_requested, created_at, finished_at
FROM fetchq_scrape_job
WHERE (?::text IS NULL OR owner = ?)
  AND (?::text IS NULL OR ? = CASE WHEN cancel_requested THEN 'cancelled'
                                   WHEN queued + running > 0 AND running = 0 AND completed + failed + cancelled = 0 THEN 'queued'
                                   WHEN queued + running > 0 THEN 'running'
                                   WHEN completed > 0 THEN 'completed'
                                   ELSE 'failed' END)
  AND (?::text IS NULL OR seq < (SELECT seq FROM fetchq_scrape_job WHERE id = ?))
ORDER BY seq DESC
LIMIT ?

-- name: scrapeJobLock
SELECT id FROM fetchq_scrape_job WHERE id = ? FOR UPDATE

-- name: scrapeUrlsWaiting
-- The rows a fetch of this URL settles, locked: 1 canonical_url, 2 include failed rows (a completed fetch
-- after a requeue of its dead letter settles them too)
SELECT job_id, status, idx, url FROM fetchq_scrape_url
WHERE canonical_url = ? AND status IN ('queued', 'running', 'failed') AND (status IN ('queued', 'running') OR (?::boolean AND status = 'failed'))
FOR UPDATE

-- name: scrapeUrlsSettle
-- 1 status, 2 page_id, 3 http_status, 4 error, 5 error_reason, 6 attempts, 7 now, 8 canonical_url, 9 include failed
UPDATE fetchq_scrape_url
SET status = ?, page_id = ?, http_status = ?, error = ?, error_reason = ?, attempts = ?,
    finished_at = coalesce(?::timestamptz, now())
WHERE canonical_url = ? AND status IN ('queued', 'running', 'failed') AND (status IN ('queued', 'running') OR (?::boolean AND status = 'failed'))

-- name: scrapeUrlsStart
-- 1 canonical_url
UPDATE fetchq_scrape_url SET status = 'running'
WHERE canonical_url = ? AND status IN ('queued', 'running', 'failed') AND status = 'queued'
RETURNING job_id

-- name: scrapeJobAdjust
-- 1 queued, 2 running, 3 completed, 4 failed, 5 cancelled (all deltas), 6 id
UPDATE fetchq_scrape_job
SET queued = queued + ?, running = running + ?, completed = completed + ?, failed = failed + ?,
    cancelled = cancelled + ?
WHERE id = ?

-- name: scrapeJobFinishIfDone
-- 1 now, 2 id: finishes the job if nothing is left, making its webhook due. Returns the job only then.
UPDATE fetchq_scrape_job
SET finished_at = coalesce(?::timestamptz, now()),
    callback_state = CASE WHEN callback_url IS NOT NULL THEN 'due' END
WHERE id = ? AND finished_at IS NULL AND queued + running = 0
RETURNING id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata, callback_url,
          callback_state, cancel_requested, created_at, finished_at

-- name: scrapeJobRead
-- A job and, when it has exactly one URL, that URL's row and page, in one statement: 1 id.
-- Columns: the job's 16 (as scrapeJobGet), the URL row's 16 and the page's 15 (as scrapeResults).
SELECT j.id, j.owner, j.total, j.queued, j.running, j.completed, j.failed, j.cancelled, j.cached, j.options, j.metadata,
       j.callback_url, j.callback_state, j.cancel_requested, j.created_at, j.finished_at,
       u.job_id, u.idx, u.url, u.canonical_url, u.priority, u.metadata, u.status, u.page_id, u.cached, u.http_status,
       u.error, u.error_reason, u.attempts, u.created_at, u.queued_at, u.finished_at,
       p.id, p.url, p.status, p.final_url, p.headers, p.content_type, p.charset, p.body, p.body_size, p.sha256,
       p.title, p.text, p.etag, p.last_modified, p.fetched_at
FROM fetchq_scrape_job j
LEFT JOIN fetchq_scrape_url u ON j.total = 1 AND u.job_id = j.id AND u.idx = 0
LEFT JOIN fetchq_page p ON p.id = u.page_id
WHERE j.id = ?

-- name: scrapeResults
-- 1 job_id, 2 after idx, 3 limit
SELECT u.job_id, u.idx, u.url, u.canonical_url, u.priority, u.metadata, u.status, u.page_id, u.cached, u.http_status,
       u.error, u.error_reason, u.attempts, u.created_at, u.queued_at, u.finished_at,
       p.id, p.url, p.status, p.final_url, p.headers, p.content_type, p.charset, p.body, p.body_size, p.sha256,
       p.title, p.text, p.etag, p.last_modified, p.fetched_at
FROM fetchq_scrape_url u
LEFT JOIN fetchq_page p ON p.id = u.page_id
WHERE u.job_id = ? AND u.idx > ?
ORDER BY u.idx
LIMIT ?

-- name: scrapeJobCancelUrls
-- 1 now, 2 job_id
UPDATE fetchq_scrape_url
SET status = 'cancelled', finished_at = coalesce(?::timestamptz, now())
WHERE job_id = ? AND status IN ('queued', 'running')
RETURNING canonical_url

-- name: scrapeJobMarkCancelled
-- 1 cancelled count, 2 now, 3 id
UPDATE fetchq_scrape_job
SET cancel_requested = true, cancelled = cancelled + ?, queued = 0, running = 0,
    finished_at = coalesce(finished_at, coalesce(?::timestamptz, now())), callback_state = NULL
WHERE id = ?

-- name: scrapeUrlsWanted
-- plan: per execution
-- 1 list of canonical URLs
SELECT DISTINCT canonical_url FROM fetchq_scrape_url
WHERE canonical_url = ANY (?::text[]) AND status IN ('queued', 'running', 'failed') AND status IN ('queued', 'running')

-- name: scrapeJobRetryUrls
-- 1 now, 2 job_id: failed rows wait again
UPDATE fetchq_scrape_url
SET status = 'queued', queued_at = coalesce(?::timestamptz, now()), finished_at = NULL, error = NULL,
    error_reason = NULL, http_status = NULL
WHERE job_id = ? AND status = 'failed'
RETURNING job_id, idx, url, canonical_url, priority, metadata, status, page_id, cached, http_status, error,
          error_reason, attempts, created_at, queued_at, finished_at

-- name: scrapeJobReopen
-- 1 failed rows sent back, 2 the same count, 3 id
UPDATE fetchq_scrape_job
SET failed = failed - ?, queued = queued + ?, finished_at = NULL, callback_state = NULL
WHERE id = ?

-- name: scrapeUrlsWithoutFetch
-- 1 now, 2 min age ms, 3 queue, 4 limit
SELECT u.job_id, u.idx, u.url, u.canonical_url, u.priority, u.metadata, u.status, u.page_id, u.cached,
       u.http_status, u.error, u.error_reason, u.attempts, u.created_at, u.queued_at, u.finished_at
FROM fetchq_scrape_url u, (SELECT coalesce(?::timestamptz, now()) AS now) t
WHERE u.status IN ('queued', 'running', 'failed') AND u.status IN ('queued', 'running')
  AND u.queued_at < t.now - ? * interval '1 millisecond'
  AND NOT EXISTS (SELECT 1 FROM fetchq_job j
                  WHERE j.queue = ? AND j.dedupe_key = u.canonical_url
                    AND j.state IN ('available', 'scheduled', 'running', 'retryable'))
ORDER BY u.queued_at
LIMIT ?

-- name: scrapeCallbacksDue
-- 1 now, 2 min age ms, 3 limit
SELECT id, owner, total, queued, running, completed, failed, cancelled, cached, options, metadata, callback_url,
       callback_state, cancel_requested, created_at, finished_at
FROM fetchq_scrape_job, (SELECT coalesce(?::timestamptz, now()) AS now) t
WHERE callback_state = 'due' AND finished_at <= t.now - ? * interval '1 millisecond'
ORDER BY finished_at
LIMIT ?

-- name: scrapeCallbackEnqueued
UPDATE fetchq_scrape_job SET callback_state = 'enqueued' WHERE id = ? AND callback_state = 'due'

-- name: idempotencyClaim
-- 1 owner ('' for none), 2 key, 3 request sha256, 4 job id, 5 now
INSERT INTO fetchq_idempotency (owner, idem_key, request_sha256, job_id, created_at)
VALUES (?, ?, ?, ?, coalesce(?::timestamptz, now()))
ON CONFLICT (owner, idem_key) DO NOTHING

-- name: idempotencyGet
-- 1 owner, 2 key
SELECT request_sha256, job_id, created_at FROM fetchq_idempotency WHERE owner = ? AND idem_key = ?

-- name: idempotencyRelease
-- 1 owner, 2 key, 3 job id
DELETE FROM fetchq_idempotency WHERE owner = ? AND idem_key = ? AND job_id = ?

-- name: idempotencyPrune
-- 1 now, 2 max age ms, 3 limit
DELETE FROM fetchq_idempotency WHERE ctid IN (
    SELECT ctid FROM fetchq_idempotency
    WHERE created_at < coalesce(?::timestamptz, now()) - ? * interval '1 millisecond' LIMIT ?)

-- name: scrapeFetchReleaseKey
-- The fetch job that has just settled its URL rows gives up its dedupe key (in the same transaction), so a
-- row submitted from now on gets a fresh fetch instead of waiting on a fetch that will settle nothing more.
-- 1 job id, 2 lease token
UPDATE fetchq_job SET dedupe_key = NULL WHERE id = ? AND lease_token = ? AND state = 'running'
