-- Job statements for PostgreSQL. Every statement takes "now" as its first parameter: NULL means the
-- database's clock (production); tests pass a time they control. Batches travel as parallel arrays,
-- so a batch is one statement and one round trip. Rows are read by position, in this column order
-- (JobRows):
--   id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token, lease_expires_at, leased_by, dedupe_key, group_id, last_error, created_at, attempted_at, finished_at, first_attempted_at

-- name: jobInsertMany
-- Skips rows whose dedupe key an unfinished job of the queue already holds (also within this batch).
-- A row with a lease grant (leased_by, lease_ms) is inserted already claimed by that worker. The other
-- nodes are told of available jobs after the commit, by PgNotifier (not here: a NOTIFY would hold the
-- cluster-wide notification lock through this commit's disk flush).
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     ins AS (
         INSERT INTO fetchq_job (id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token,
                                 lease_expires_at, leased_by, dedupe_key, group_id, created_at, attempted_at, first_attempted_at)
         SELECT i.id, i.queue,
                CASE WHEN i.leased_by IS NOT NULL THEN 'running'
                     WHEN coalesce(i.run_at, t.now + i.delay_ms * interval '1 millisecond') > t.now THEN 'scheduled'
                     ELSE 'available' END,
                i.priority, i.payload,
                CASE WHEN i.leased_by IS NOT NULL THEN 1 ELSE 0 END,
                i.max_attempts,
                coalesce(i.run_at, t.now + i.delay_ms * interval '1 millisecond'),
                CASE WHEN i.leased_by IS NOT NULL THEN gen_random_uuid()::text END,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now + i.lease_ms * interval '1 millisecond' END,
                i.leased_by, i.dedupe_key, i.group_id, t.now,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now END,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now END
         FROM unnest(?::text[], ?::text[], ?::integer[], ?::text[], ?::integer[], ?::text[]::timestamptz[], ?::bigint[],
                     ?::text[], ?::text[], ?::text[], ?::bigint[])
                  WITH ORDINALITY AS i(id, queue, priority, payload, max_attempts, run_at, delay_ms, dedupe_key, group_id,
                                       leased_by, lease_ms, ord),
              t
         ORDER BY i.ord
         ON CONFLICT (queue, dedupe_key)
             WHERE dedupe_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
             DO NOTHING
         RETURNING id, queue, state, run_at, lease_token, lease_expires_at, created_at, attempted_at)
SELECT ins.id, ins.queue, ins.state, ins.run_at, ins.lease_token, ins.lease_expires_at, ins.created_at,
       ins.attempted_at
FROM ins

-- name: jobInsertOne
-- jobInsertMany for a single job, with scalar parameters: the common single enqueue skips the array
-- encoding and unnest, which cost as much as the insert itself. Same parameters in the same order.
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     i AS (SELECT ?::text AS id, ?::text AS queue, ?::integer AS priority, ?::text AS payload,
                  ?::integer AS max_attempts, ?::timestamptz AS run_at, ?::bigint AS delay_ms, ?::text AS dedupe_key,
                  ?::text AS group_id, ?::text AS leased_by, ?::bigint AS lease_ms),
     ins AS (
         INSERT INTO fetchq_job (id, queue, state, priority, payload, attempt, max_attempts, run_at, lease_token,
                                 lease_expires_at, leased_by, dedupe_key, group_id, created_at, attempted_at, first_attempted_at)
         SELECT i.id, i.queue,
                CASE WHEN i.leased_by IS NOT NULL THEN 'running'
                     WHEN coalesce(i.run_at, t.now + i.delay_ms * interval '1 millisecond') > t.now THEN 'scheduled'
                     ELSE 'available' END,
                i.priority, i.payload,
                CASE WHEN i.leased_by IS NOT NULL THEN 1 ELSE 0 END,
                i.max_attempts,
                coalesce(i.run_at, t.now + i.delay_ms * interval '1 millisecond'),
                CASE WHEN i.leased_by IS NOT NULL THEN gen_random_uuid()::text END,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now + i.lease_ms * interval '1 millisecond' END,
                i.leased_by, i.dedupe_key, i.group_id, t.now,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now END,
                CASE WHEN i.leased_by IS NOT NULL THEN t.now END
         FROM i, t
         ON CONFLICT (queue, dedupe_key)
             WHERE dedupe_key IS NOT NULL AND state IN ('available', 'scheduled', 'running', 'retryable')
             DO NOTHING
         RETURNING id, queue, state, run_at, lease_token, lease_expires_at, created_at, attempted_at)
SELECT ins.id, ins.queue, ins.state, ins.run_at, ins.lease_token, ins.lease_expires_at, ins.created_at,
       ins.attempted_at
FROM ins

-- name: jobFindUnfinishedByDedupe
-- plan: per execution
SELECT id, queue, dedupe_key
FROM fetchq_job
WHERE (queue, dedupe_key) IN (SELECT * FROM unnest(?::text[], ?::text[]))
  AND dedupe_key IS NOT NULL
  AND state IN ('available', 'scheduled', 'running', 'retryable')

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
WHERE (?::text IS NULL OR queue = ?)
  AND (?::text IS NULL OR state = ?)
  AND (?::text IS NULL OR group_id = ?)
  AND (?::text IS NULL OR seq < (SELECT seq FROM fetchq_job WHERE id = ?))
ORDER BY seq DESC
LIMIT ?

-- name: jobClaim
-- One statement: pick in claim order, skipping rows other nodes hold locked, and lease them. The picked
-- rows are addressed by ctid (they are locked, so it cannot change), which keeps the plan a TID scan
-- whatever the batch size, instead of a join the planner may turn into a scan of the whole table.
-- Its commit does not wait for the WAL flush (synchronous_commit off for this transaction only): a claim
-- lost in a database crash leaves the job available, so it runs again, which at-least-once delivery
-- allows and lease fencing keeps safe; in exchange a claim costs no disk flush.
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now, set_config('synchronous_commit', 'off', true) AS relaxed)
UPDATE fetchq_job j
SET state            = 'running',
    attempt          = j.attempt + 1,
    lease_token      = gen_random_uuid()::text,
    lease_expires_at = t.now + ? * interval '1 millisecond',
    leased_by        = ?,
    attempted_at     = t.now,
    first_attempted_at = coalesce(j.first_attempted_at, t.now)
FROM t
WHERE j.ctid = ANY (ARRAY(
        SELECT c.ctid
        FROM fetchq_job c
        WHERE c.state = 'available' AND c.queue = ? AND c.run_at <= (SELECT now FROM t)
        ORDER BY c.priority, c.run_at, c.seq
        LIMIT ?
        FOR UPDATE SKIP LOCKED))
  AND j.state = 'available'
RETURNING j.id, j.queue, j.state, j.priority, j.payload, j.attempt, j.max_attempts, j.run_at, j.lease_token, j.lease_expires_at, j.leased_by, j.dedupe_key, j.group_id, j.last_error, j.created_at, j.attempted_at, j.finished_at, j.first_attempted_at

-- name: jobHeartbeat
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET lease_expires_at = t.now + ? * interval '1 millisecond'
FROM unnest(?::text[], ?::text[]) AS l(id, token), t
WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'running'
RETURNING j.id

-- name: jobComplete
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'completed', finished_at = t.now, lease_token = NULL, lease_expires_at = NULL
FROM unnest(?::text[], ?::text[]) AS l(id, token), t
WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'running'
RETURNING j.id, j.queue

-- name: jobFailRetry
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'retryable', run_at = t.now + f.delay_ms * interval '1 millisecond', last_error = f.error,
    lease_token = NULL, lease_expires_at = NULL
FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS f(id, token, error, delay_ms), t
WHERE j.id = f.id AND j.lease_token = f.token AND j.state = 'running'
RETURNING j.id, j.queue

-- name: jobDefer
-- Like jobFailRetry, but the attempt does not count: the job waited on something outside itself (a paused
-- host, robots.txt that could not be read).
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'retryable', attempt = greatest(j.attempt - 1, 0), run_at = t.now + f.delay_ms * interval '1 millisecond',
    last_error = f.error, lease_token = NULL, lease_expires_at = NULL
FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[]) AS f(id, token, error, delay_ms), t
WHERE j.id = f.id AND j.lease_token = f.token AND j.state = 'running'
RETURNING j.id, j.queue

-- name: jobFailDead
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'dead', finished_at = t.now, last_error = f.error, lease_token = NULL, lease_expires_at = NULL
FROM unnest(?::text[], ?::text[], ?::text[]) AS f(id, token, error), t
WHERE j.id = f.id AND j.lease_token = f.token AND j.state = 'running'
RETURNING j.id, j.queue

-- name: jobRelease
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'available', attempt = greatest(j.attempt - 1, 0), run_at = t.now,
    lease_token = NULL, lease_expires_at = NULL
FROM unnest(?::text[], ?::text[]) AS l(id, token), t
WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'running'
RETURNING j.id, j.queue

-- name: jobRescueRetry
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     expired AS (
         SELECT j.id
         FROM fetchq_job j, t
         WHERE j.state = 'running' AND j.lease_expires_at < t.now AND j.attempt < j.max_attempts
         ORDER BY j.lease_expires_at
         LIMIT ?
         FOR UPDATE OF j SKIP LOCKED)
UPDATE fetchq_job j
SET state = 'available', run_at = t.now,
    last_error = 'lease expired while held by ' || coalesce(j.leased_by, 'an unknown worker'),
    lease_token = NULL, lease_expires_at = NULL
FROM expired, t
WHERE j.id = expired.id
RETURNING j.id, j.queue

-- name: jobRescueDead
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     expired AS (
         SELECT j.id
         FROM fetchq_job j, t
         WHERE j.state = 'running' AND j.lease_expires_at < t.now AND j.attempt >= j.max_attempts
         ORDER BY j.lease_expires_at
         LIMIT ?
         FOR UPDATE OF j SKIP LOCKED)
UPDATE fetchq_job j
SET state = 'dead', finished_at = t.now,
    last_error = 'lease expired on the last attempt, held by ' || coalesce(j.leased_by, 'an unknown worker'),
    lease_token = NULL, lease_expires_at = NULL
FROM expired, t
WHERE j.id = expired.id
RETURNING j.id, j.queue

-- name: jobPromoteDue
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     due AS (
         SELECT j.id
         FROM fetchq_job j, t
         WHERE j.state IN ('scheduled', 'retryable') AND j.run_at <= t.now
         ORDER BY j.run_at
         LIMIT ?
         FOR UPDATE OF j SKIP LOCKED)
UPDATE fetchq_job j
SET state = 'available'
FROM due
WHERE j.id = due.id
RETURNING j.id, j.queue

-- name: jobNextDueIn
-- Milliseconds until the earliest delayed or backing-off job is due (negative: overdue), NULL if none.
SELECT (extract(epoch FROM min(run_at) - coalesce(?::timestamptz, now())) * 1000)::bigint
FROM fetchq_job
WHERE state IN ('scheduled', 'retryable')

-- name: jobCancel
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'cancelled', finished_at = t.now, lease_token = NULL, lease_expires_at = NULL
FROM t
WHERE j.id = ? AND j.state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING j.id, j.queue

-- name: jobCancelGroup
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'cancelled', finished_at = t.now, lease_token = NULL, lease_expires_at = NULL
FROM t
WHERE j.group_id = ? AND j.state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING j.id, j.queue

-- name: jobCancelByDedupeKeys
-- plan: per execution
-- 1 now, 2 queue, 3 dedupe keys
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_job j
SET state = 'cancelled', finished_at = t.now, lease_token = NULL, lease_expires_at = NULL
FROM t
WHERE j.queue = ? AND j.dedupe_key = ANY (?::text[]) AND j.state IN ('available', 'scheduled', 'running', 'retryable')
RETURNING j.id, j.queue

-- name: jobRequeueDead
-- plan: per execution
-- Filters are optional (NULL = any). Of several dead jobs sharing a dedupe key only the newest returns,
-- and none whose key an unfinished job holds: requeueing those would run the same work twice.
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     candidate AS (
         SELECT DISTINCT ON (coalesce(j.dedupe_key, j.id), j.queue) j.id
         FROM fetchq_job j
         WHERE j.state = 'dead'
           AND (?::text[] IS NULL OR j.id = ANY (?::text[]))
           AND (?::text IS NULL OR j.queue = ?)
           AND (?::text IS NULL OR j.group_id = ?)
           AND (j.dedupe_key IS NULL OR NOT EXISTS (
                   SELECT 1 FROM fetchq_job o
                   WHERE o.queue = j.queue AND o.dedupe_key = j.dedupe_key
                     AND o.state IN ('available', 'scheduled', 'running', 'retryable')))
         ORDER BY coalesce(j.dedupe_key, j.id), j.queue, j.seq DESC)
UPDATE fetchq_job j
SET state = 'available', attempt = 0, run_at = t.now, finished_at = NULL
FROM candidate, t
WHERE j.id = candidate.id AND j.state = 'dead'
RETURNING j.id, j.queue

-- name: jobPruneFinished
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     old AS (
         SELECT j.id
         FROM fetchq_job j, t
         WHERE j.finished_at IS NOT NULL
           AND ((j.state IN ('completed', 'cancelled') AND j.finished_at < t.now - ? * interval '1 millisecond')
             OR (j.state = 'dead' AND j.finished_at < t.now - ? * interval '1 millisecond'))
         ORDER BY j.finished_at
         LIMIT ?
         FOR UPDATE OF j SKIP LOCKED)
DELETE FROM fetchq_job j
USING old
WHERE j.id = old.id

-- name: jobDeleteLeased
-- Deletes the jobs whose lease is still current (a broker message acknowledged). 1 ids, 2 tokens
-- Like a claim, its commit does not wait for the WAL flush: an acknowledgement lost in a database crash
-- means the message is delivered again, which at-least-once delivery allows.
DELETE FROM fetchq_job j
USING unnest(?::text[], ?::text[]) AS l(id, token),
      (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
WHERE j.id = l.id AND j.lease_token = l.token AND j.state = 'running'
RETURNING j.id

-- name: jobNextLeaseExpiryIn
-- Milliseconds until the earliest lease expires (negative: already expired), NULL if none is held.
SELECT (extract(epoch FROM min(lease_expires_at) - coalesce(?::timestamptz, now())) * 1000)::bigint
FROM fetchq_job
WHERE state = 'running'
