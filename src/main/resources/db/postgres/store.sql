-- Store-level statements for PostgreSQL.

-- name: storeNow
SELECT coalesce(?::timestamptz, now())

-- name: storeNotify
SELECT pg_notify(?, ?)

-- name: storePing
SELECT 1

-- name: metaGet
SELECT value FROM fetchq_meta WHERE key = ?

-- name: metaPutIfAbsent
INSERT INTO fetchq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING
