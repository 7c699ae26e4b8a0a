-- Store-level statements for PostgreSQL.

-- name: storeNow
SELECT coalesce(?::timestamptz, now())

-- name: storeNotify
SELECT pg_notify(?, ?)

-- name: storeNotifyMany
-- 1 channel, 2 text[] of payloads (delivered in order, once the transaction commits)
SELECT count(pg_notify(?, p)) FROM unnest(?::text[]) WITH ORDINALITY AS t(p, n)

-- name: storePing
SELECT 1

-- name: metaGet
SELECT value FROM fetchq_meta WHERE key = ?

-- name: metaPutIfAbsent
INSERT INTO fetchq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING
