-- Store-level statements for PostgreSQL.

-- name: storeNow
SELECT coalesce(?::timestamptz, now())

-- name: storeNotify
SELECT pg_notify(?, ?)

-- name: storePing
SELECT 1
