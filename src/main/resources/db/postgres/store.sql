-- Store-level statements for PostgreSQL.

-- name: storeNow
SELECT coalesce(?::timestamptz, now())

-- name: storeNotifyMany
-- 1 channel, 2 text[] of payloads (delivered in order, once the transaction commits). Best effort, like
-- storeNotifyQueues: the commit does not wait for the WAL flush.
SELECT count(pg_notify(?, p)), max(set_config('synchronous_commit', 'off', true))
FROM unnest(?::text[]) WITH ORDINALITY AS t(p, n)

-- name: storePing
SELECT 1

-- name: storeSchemaVersion
-- The version of the last migration applied (Flyway's history table).
SELECT version FROM fetchq_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1

-- name: metaGet
SELECT value FROM fetchq_meta WHERE key = ?

-- name: metaPutIfAbsent
INSERT INTO fetchq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING

-- name: storeNotifyQueues
-- "Jobs available" for each queue, to the other nodes: 1 channel, 2 payload prefix (this node's tag),
-- 3 text[] of queues. Its commit does not wait for the WAL flush: the notification is a hint (waiters also
-- poll), and a NOTIFY holds a cluster-wide lock through its commit, so a flush there would serialize every
-- notifying transaction behind the disk.
SELECT count(pg_notify(?, ? || q)), max(set_config('synchronous_commit', 'off', true)) FROM unnest(?::text[]) AS q
