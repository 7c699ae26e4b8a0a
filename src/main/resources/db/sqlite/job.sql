-- Job statements for SQLite. Times are epoch milliseconds; "now" is always a parameter (SQLite runs in
-- this process, so its clock and ours are the same clock; tests pass a time they control). All writes go
-- through the store's single writer connection, so a statement never races another writer of this
-- process. Batches travel as one JSON array parameter (json_each), so a batch is one statement; the
-- batch statements pin the id index (INDEXED BY) so SQLite walks the array and probes each job by id,
-- rather than scanning the running jobs and the array for each of them.
-- Rows are read by position, in this column order (JobRows):
--   id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at

-- name: jobInsertOne
-- One job; a batch executes it as a JDBC batch inside one transaction (so SQLite has no jobInsertMany).
-- An update count of 0 means the dedupe key was taken.
-- ?1 id, ?2 queue, ?3 priority, ?4 payload, ?5 max attempts, ?6 run_at, ?7 dedupe key, ?8 group, ?9 now,
-- ?10 leased_by, ?11 lease_expires_at, ?12 lease token: a row with a lease grant is inserted already
-- claimed by that worker.
INSERT INTO fetchq_job (id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token,
                        lease_expires_at, leased_by, dedupe_key, group_id, created_at, attempted_at, first_attempted_at)
VALUES (?1, ?2,
        CASE WHEN ?10 IS NOT NULL THEN 'running' WHEN ?6 > ?9 THEN 'scheduled' ELSE 'available' END,
        ?3, ?4, CASE WHEN ?10 IS NOT NULL THEN 1 ELSE 0 END, ?5, ?6, ?12, ?11, ?10, ?7, ?8, ?9,
        CASE WHEN ?10 IS NOT NULL THEN ?9 END, CASE WHEN ?10 IS NOT NULL THEN ?9 END)
ON CONFLICT (queue, dedupe_key)
    WHERE dedupe_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
    DO NOTHING

-- name: jobFindUnfinishedByDedupe
SELECT id FROM fetchq_job
WHERE queue = ? AND dedupe_key = ? AND state IN ('available', 'scheduled', 'running', 'retryable')

-- name: jobGet
SELECT id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at
FROM fetchq_job WHERE id = ?

-- name: jobLatestByDedupeKey
-- The newest job of a queue with this dedupe key, finished or not: 1 queue, 2 dedupe key
SELECT id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at
FROM fetchq_job WHERE queue = ? AND dedupe_key = ?
ORDER BY seq DESC
LIMIT 1

-- name: jobList
SELECT id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at
FROM fetchq_job
WHERE (?1 IS NULL OR queue = ?1)
  AND (?2 IS NULL OR state = ?2)
  AND (?3 IS NULL OR group_id = ?3)
  AND (?4 IS NULL OR seq < (SELECT seq FROM fetchq_job WHERE id = ?4))
ORDER BY seq DESC
LIMIT ?5

-- name: jobClaim
-- ?1 now, ?2 queue, ?3 limit, ?4 lease ms, ?5 worker
UPDATE fetchq_job
SET state            = 'running',
    attempt          = attempt + 1,
    lease_token      = lower(hex(randomblob(16))),
    lease_expires_at = ?1 + ?4,
    leased_by        = ?5,
    attempted_at     = ?1,
    first_attempted_at = coalesce(first_attempted_at, ?1)
WHERE seq IN (SELECT seq
              FROM fetchq_job
              WHERE state = 'available' AND queue = ?2 AND run_at <= ?1
              ORDER BY priority, run_at, seq
              LIMIT ?3)
RETURNING id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at

-- name: jobHeartbeat
-- ?1 now, ?2 extend ms, ?3 JSON [[id, token], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET lease_expires_at = ?1 + ?2
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(?3)) AS l
WHERE fetchq_job.id = l.id AND fetchq_job.lease_token = l.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id

-- name: jobComplete
-- ?1 now, ?2 JSON [[id, token], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET state = 'completed', finished_at = ?1, lease_token = NULL, lease_expires_at = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(?2)) AS l
WHERE fetchq_job.id = l.id AND fetchq_job.lease_token = l.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id, fetchq_job.queue

-- name: jobFailRetry
-- ?1 now, ?2 JSON [[id, token, error, delay ms], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET state = 'retryable', run_at = ?1 + f.delay_ms, last_error = f.error, lease_token = NULL, lease_expires_at = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token, value ->> 2 AS error, value ->> 3 AS delay_ms
      FROM json_each(?2)) AS f
WHERE fetchq_job.id = f.id AND fetchq_job.lease_token = f.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id, fetchq_job.queue

-- name: jobDefer
-- Like jobFailRetry, but the attempt does not count. ?1 now, ?2 JSON [[id, token, error, delay ms], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET state = 'retryable', attempt = max(attempt - 1, 0), run_at = ?1 + f.delay_ms, last_error = f.error,
    lease_token = NULL, lease_expires_at = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token, value ->> 2 AS error, value ->> 3 AS delay_ms
      FROM json_each(?2)) AS f
WHERE fetchq_job.id = f.id AND fetchq_job.lease_token = f.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id, fetchq_job.queue

-- name: jobFailDead
-- ?1 now, ?2 JSON [[id, token, error], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET state = 'dead', finished_at = ?1, last_error = f.error, lease_token = NULL, lease_expires_at = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token, value ->> 2 AS error FROM json_each(?2)) AS f
WHERE fetchq_job.id = f.id AND fetchq_job.lease_token = f.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id, fetchq_job.queue

-- name: jobRelease
-- ?1 now, ?2 JSON [[id, token], ...]
UPDATE fetchq_job INDEXED BY fetchq_job_id
SET state = 'available', attempt = max(attempt - 1, 0), run_at = ?1, lease_token = NULL, lease_expires_at = NULL
FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(?2)) AS l
WHERE fetchq_job.id = l.id AND fetchq_job.lease_token = l.token AND fetchq_job.state = 'running'
RETURNING fetchq_job.id, fetchq_job.queue

-- name: jobRescueRetry
-- ?1 now, ?2 limit
UPDATE fetchq_job
SET state = 'available', run_at = ?1,
    last_error = 'lease expired while held by ' || coalesce(leased_by, 'an unknown worker'),
    lease_token = NULL, lease_expires_at = NULL
WHERE seq IN (SELECT seq FROM fetchq_job
              WHERE state = 'running' AND lease_expires_at < ?1 AND attempt < max_attempts
              ORDER BY lease_expires_at
              LIMIT ?2)
RETURNING id, queue

-- name: jobRescueDead
-- ?1 now, ?2 limit
UPDATE fetchq_job
SET state = 'dead', finished_at = ?1,
    last_error = 'lease expired on the last attempt, held by ' || coalesce(leased_by, 'an unknown worker'),
    lease_token = NULL, lease_expires_at = NULL
WHERE seq IN (SELECT seq FROM fetchq_job
              WHERE state = 'running' AND lease_expires_at < ?1 AND attempt >= max_attempts
              ORDER BY lease_expires_at
              LIMIT ?2)
RETURNING id, queue

-- name: jobPromoteDue
-- ?1 now, ?2 limit
UPDATE fetchq_job
SET state = 'available'
WHERE seq IN (SELECT seq FROM fetchq_job
              WHERE state IN ('scheduled', 'retryable') AND run_at <= ?1
              ORDER BY run_at
              LIMIT ?2)
RETURNING id, queue

-- name: jobNextDueIn
SELECT min(run_at) - ?1 FROM fetchq_job WHERE state IN ('scheduled', 'retryable')

-- name: jobCancel
-- ?1 now, ?2 id
UPDATE fetchq_job
SET state = 'cancelled', finished_at = ?1, lease_token = NULL, lease_expires_at = NULL
WHERE id = ?2 AND state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING id, queue

-- name: jobCancelGroup
-- ?1 now, ?2 group id
UPDATE fetchq_job
SET state = 'cancelled', finished_at = ?1, lease_token = NULL, lease_expires_at = NULL
WHERE group_id = ?2 AND state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING id, queue

-- name: jobCancelByDedupeKeys
-- 1 now, 2 queue, 3 JSON array of dedupe keys
UPDATE fetchq_job
SET state = 'cancelled', finished_at = ?1, lease_token = NULL, lease_expires_at = NULL
WHERE queue = ?2 AND dedupe_key IN (SELECT value FROM json_each(?3))
  AND state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING id, queue

-- name: jobRequeueDead
-- ?1 now, ?2 JSON array of ids or NULL, ?3 queue or NULL, ?4 group or NULL. Of several dead jobs sharing
-- a dedupe key only the newest returns, and none whose key an unfinished job holds.
UPDATE fetchq_job
SET state = 'available', attempt = 0, run_at = ?1, finished_at = NULL
WHERE seq IN (
    SELECT max(j.seq)
    FROM fetchq_job j
    WHERE j.state = 'dead'
      AND (?2 IS NULL OR j.id IN (SELECT value FROM json_each(?2)))
      AND (?3 IS NULL OR j.queue = ?3)
      AND (?4 IS NULL OR j.group_id = ?4)
      AND (j.dedupe_key IS NULL OR NOT EXISTS (
              SELECT 1 FROM fetchq_job o
              WHERE o.queue = j.queue AND o.dedupe_key = j.dedupe_key
                AND o.state IN ('available', 'scheduled', 'running', 'retryable')))
    GROUP BY coalesce(j.dedupe_key, j.id), j.queue)
RETURNING id, queue

-- name: jobPruneFinished
-- ?1 now, ?2 finished retention ms, ?3 dead retention ms, ?4 limit
DELETE FROM fetchq_job
WHERE seq IN (SELECT seq FROM fetchq_job
              WHERE finished_at IS NOT NULL
                AND ((state IN ('completed', 'cancelled') AND finished_at < ?1 - ?2)
                  OR (state = 'dead' AND finished_at < ?1 - ?3))
              ORDER BY finished_at
              LIMIT ?4)

-- name: jobDeleteLeased
-- Deletes the jobs whose lease is still current (a broker message acknowledged). ?1 JSON [[id, token], ...]
DELETE FROM fetchq_job
WHERE seq IN (SELECT j.seq
              FROM (SELECT value ->> 0 AS id, value ->> 1 AS token FROM json_each(?1)) AS l
                       JOIN fetchq_job j INDEXED BY fetchq_job_id ON j.id = l.id
              WHERE j.lease_token = l.token AND j.state = 'running')
RETURNING id

-- name: jobNextLeaseExpiryIn
SELECT min(lease_expires_at) - ?1 FROM fetchq_job WHERE state = 'running'
