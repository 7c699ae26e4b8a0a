-- Per-host politeness statements for SQLite (times in epoch ms). Slots and reservations live in the one
-- fetchq process's memory (SqliteHostStore); these keep what must outlive a restart: pauses and late starts.

-- name: hostEnsure
-- 1 host, 2 now
INSERT INTO fetchq_host (host, next_start_at) VALUES (?, ?) ON CONFLICT (host) DO NOTHING

-- name: hostLock
-- 1 host
SELECT next_start_at, paused_until FROM fetchq_host WHERE host = ?

-- name: hostPause
-- 1 now, 2 pause ms, 3 host
UPDATE fetchq_host
SET paused_until = max(coalesce(paused_until, ?1), ?1 + ?2)
WHERE host = ?3

-- name: hostPausedFor
-- 1 now, 2 host
SELECT paused_until - ?1 FROM fetchq_host WHERE host = ?2 AND paused_until > ?1

-- name: hostSentLate
-- 1 earliest next start, 2 host
UPDATE fetchq_host SET next_start_at = max(next_start_at, ?) WHERE host = ?
