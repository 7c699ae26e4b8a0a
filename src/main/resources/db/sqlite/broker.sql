-- Broker statements for SQLite (the queues and their counts; messages are engine jobs, see job.sql).
-- Same names and parameter order as db/postgres/broker.sql; times are epoch milliseconds, lists JSON arrays.
-- A queue row is read in this column order (JdbcBrokerStore):
--   name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at

-- name: brokerQueuePut
-- ?1 now, ?2 name, ?3 visibility ms, ?4 max receive count, ?5 retention ms, ?6 max message bytes, ?7 delay ms
INSERT INTO fetchq_broker_queue AS q (name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes,
                                      delay_ms, created_at, updated_at, deleted_at)
VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?1, ?1, NULL)
ON CONFLICT (name) DO UPDATE
    SET visibility_timeout_ms = excluded.visibility_timeout_ms, max_receive_count = excluded.max_receive_count,
        retention_ms = excluded.retention_ms, max_message_bytes = excluded.max_message_bytes,
        delay_ms = excluded.delay_ms, updated_at = excluded.updated_at,
        created_at = CASE WHEN q.deleted_at IS NULL THEN q.created_at ELSE excluded.created_at END,
        deleted_at = NULL
RETURNING name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at,
          updated_at, created_at = updated_at AS created

-- name: brokerQueueMaxAttempts
-- ?1 max attempts, ?2 queue, ?3 max attempts again
UPDATE fetchq_job SET max_attempts = ?1
WHERE queue = ?2 AND state IN ('available', 'scheduled', 'running', 'retryable') AND max_attempts <> ?3

-- name: brokerQueueGet
SELECT name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at
FROM fetchq_broker_queue WHERE name = ? AND deleted_at IS NULL

-- name: brokerQueueList
SELECT name, visibility_timeout_ms, max_receive_count, retention_ms, max_message_bytes, delay_ms, created_at, updated_at
FROM fetchq_broker_queue WHERE deleted_at IS NULL
ORDER BY name

-- name: brokerQueueTombstone
-- ?1 now, ?2 name
UPDATE fetchq_broker_queue SET deleted_at = ?1 WHERE name = ?2 AND deleted_at IS NULL

-- name: brokerMessagesDelete
-- Every message of a queue in the given states, available ones through their own index (as on PostgreSQL).
-- ?1 queue, ?2 JSON array of states, ?3 queue, ?4 the states again
DELETE FROM fetchq_job
WHERE (queue = ?1 AND state = 'available' AND 'available' IN (SELECT value FROM json_each(?2)))
   OR (queue = ?3 AND state <> 'available' AND state IN (SELECT value FROM json_each(?4)))
RETURNING 1

-- name: brokerDedupeDelete
DELETE FROM fetchq_broker_dedupe WHERE queue = ?

-- name: brokerQueueCounts
-- ?1 JSON array of queue names, ?2 the same. Available rows through fetchq_job_runnable, the others through
-- fetchq_job_queue_state.
SELECT queue, 'available', count(*)
FROM fetchq_job
WHERE state = 'available' AND queue IN (SELECT value FROM json_each(?1))
GROUP BY queue
UNION ALL
SELECT queue, state, count(*)
FROM fetchq_job
WHERE state <> 'available' AND queue IN (SELECT value FROM json_each(?2))
GROUP BY queue, state

-- name: brokerDedupeLookup
-- ?1 now, ?2 queue, ?3 JSON array of dedupe ids
SELECT dedupe_id, message_id
FROM fetchq_broker_dedupe
WHERE expires_at > ?1 AND queue = ?2 AND dedupe_id IN (SELECT value FROM json_each(?3))

-- name: brokerDedupeRecord
-- ?1 now, ?2 queue, ?3 window ms, ?4 JSON dedupe ids, ?5 JSON message ids (same order), ?6 window ms again
INSERT INTO fetchq_broker_dedupe AS d (queue, dedupe_id, message_id, expires_at)
SELECT ?2, i.value, m.value, ?1 + ?3
FROM json_each(?4) AS i JOIN json_each(?5) AS m ON m.key = i.key
WHERE true
ON CONFLICT (queue, dedupe_id) DO UPDATE
    SET message_id = excluded.message_id, expires_at = excluded.expires_at
    WHERE d.expires_at < excluded.expires_at - ?6

-- name: brokerPruneMessages
-- ?1 now, ?2 limit
DELETE FROM fetchq_job
WHERE seq IN (SELECT j.seq
              FROM fetchq_broker_queue q
                       JOIN fetchq_job j ON j.queue = q.name
              WHERE q.deleted_at IS NOT NULL OR j.created_at < ?1 - q.retention_ms
              LIMIT ?2)

-- name: brokerPruneDedupe
-- ?1 now, ?2 limit
DELETE FROM fetchq_broker_dedupe
WHERE rowid IN (SELECT rowid FROM fetchq_broker_dedupe WHERE expires_at < ?1 LIMIT ?2)

-- name: brokerPruneTombstones
-- ?1 now, ?2 ms
DELETE FROM fetchq_broker_queue
WHERE deleted_at < ?1 - ?2
  AND NOT EXISTS (SELECT 1 FROM fetchq_job j WHERE j.queue = fetchq_broker_queue.name)
