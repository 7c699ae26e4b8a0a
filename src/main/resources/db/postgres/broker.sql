-- Broker statements for PostgreSQL (the queues and their counts; messages are engine jobs, see job.sql).
-- Every statement that compares times takes "now" first: NULL means the database's clock.
-- A queue row is read in this column order (JdbcBrokerStore):
--   name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at

-- name: brokerQueuePut
-- Creates the queue, revives a deleted one (a new queue: new created_at), or updates its settings.
-- Returns the row and whether it is new. 1 now, 2 name, 3-7 settings
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
INSERT INTO fetchq_broker_queue AS q (name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes,
                                      delay_ms, created_at, updated_at, deleted_at)
SELECT ?, ?, ?, ?, ?, ?, t.now, t.now, NULL FROM t
ON CONFLICT (name) DO UPDATE
    SET visibility_timeout_ms = excluded.visibility_timeout_ms, max_receive_count = excluded.max_receive_count,
        retention_ms = excluded.retention_ms, max_message_bytes = excluded.max_message_bytes,
        delay_ms = excluded.delay_ms, updated_at = excluded.updated_at,
        created_at = CASE WHEN q.deleted_at IS NULL THEN q.created_at ELSE excluded.created_at END,
        deleted_at = NULL
RETURNING name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at,
          updated_at, (xmax = 0 OR created_at = updated_at) AS created

-- name: brokerQueueMaxAttempts
-- A queue's unfinished messages take its new max receive count (as max_attempts). 1 max attempts, 2 queue
UPDATE fetchq_job SET max_attempts = ?
WHERE queue = ? AND state IN ('available', 'scheduled', 'running', 'retryable') AND max_attempts <> ?

-- name: brokerQueueGet
SELECT name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at
FROM fetchq_broker_queue WHERE name = ? AND deleted_at IS NULL

-- name: brokerQueueList
SELECT name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at
FROM fetchq_broker_queue WHERE deleted_at IS NULL
ORDER BY name

-- name: brokerQueueTombstone
-- 1 now, 2 name
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_broker_queue SET deleted_at = t.now
FROM t
WHERE name = ? AND deleted_at IS NULL

-- name: brokerMessagesDelete
-- Every message of a queue in the given states, available ones through their own index.
-- 1 queue, 2 states, 3 queue, 4 states
WITH gone AS (
    DELETE FROM fetchq_job WHERE queue = ? AND state = 'available' AND 'available' = ANY (?::text[]) RETURNING 1),
     gone_too AS (
    DELETE FROM fetchq_job WHERE queue = ? AND state <> 'available' AND state = ANY (?::text[]) RETURNING 1)
SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM gone_too)

-- name: brokerDedupeDelete
DELETE FROM fetchq_broker_dedupe WHERE queue = ?

-- name: brokerQueueCounts
-- plan: per execution
-- 1 queue names, 2 the same names. Available rows through fetchq_job_runnable, the others through
-- fetchq_job_queue_state.
SELECT queue, 'available', count(*)
FROM fetchq_job
WHERE state = 'available' AND queue = ANY (?::text[])
GROUP BY queue
UNION ALL
SELECT queue, state, count(*)
FROM fetchq_job
WHERE state <> 'available' AND queue = ANY (?::text[])
GROUP BY queue, state

-- name: brokerDedupeLookup
-- plan: per execution
-- The messages holding these dedupe ids now. 1 now, 2 queue, 3 dedupe ids
SELECT dedupe_id, message_id
FROM fetchq_broker_dedupe
WHERE expires_at > coalesce(?::timestamptz, now()) AND queue = ? AND dedupe_id = ANY (?::text[])

-- name: brokerDedupeRecord
-- Takes each free (or expired) dedupe id for its message, for the window.
-- 1 now, 2 queue, 3 window ms, 4 dedupe ids, 5 message ids, 6 window ms
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
INSERT INTO fetchq_broker_dedupe AS d (queue, dedupe_id, message_id, expires_at)
SELECT ?, r.dedupe_id, r.message_id, t.now + ? * interval '1 millisecond'
FROM unnest(?::text[], ?::text[]) AS r(dedupe_id, message_id), t
ON CONFLICT (queue, dedupe_id) DO UPDATE
    SET message_id = excluded.message_id, expires_at = excluded.expires_at
    WHERE d.expires_at < excluded.expires_at - ? * interval '1 millisecond'

-- name: brokerPruneMessages
-- Messages past their queue's retention, and every message of a deleted queue. 1 now, 2 limit
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now),
     old AS (
         SELECT j.id
         FROM fetchq_broker_queue q
                  JOIN fetchq_job j ON j.queue = q.name, t
         WHERE q.deleted_at IS NOT NULL OR j.created_at < t.now - q.retention_ms * interval '1 millisecond'
         LIMIT ?
         FOR UPDATE OF j SKIP LOCKED)
DELETE FROM fetchq_job j
USING old
WHERE j.id = old.id

-- name: brokerPruneDedupe
-- 1 now, 2 limit
DELETE FROM fetchq_broker_dedupe
WHERE ctid = ANY (ARRAY(SELECT ctid FROM fetchq_broker_dedupe
                        WHERE expires_at < coalesce(?::timestamptz, now())
                        LIMIT ?))

-- name: brokerPruneTombstones
-- Deleted queues older than 1 now - 2 ms with no message left.
DELETE FROM fetchq_broker_queue q
WHERE q.deleted_at < coalesce(?::timestamptz, now()) - ? * interval '1 millisecond'
  AND NOT EXISTS (SELECT 1 FROM fetchq_job j WHERE j.queue = q.name)
