-- Per-host politeness statements for SQLite (times in epoch ms); the single writer serialises acquires.

-- name: hostEnsure
-- 1 host, 2 now
INSERT INTO fetchq_host (host, next_start_at) VALUES (?, ?) ON CONFLICT (host) DO NOTHING

-- name: hostLock
-- 1 host
SELECT next_start_at, paused_until FROM fetchq_host WHERE host = ?

-- name: hostClock
-- 1 now
SELECT ?

-- name: hostFreeSlot
-- 1 slots, 2 host, 3 now
WITH RECURSIVE s(slot) AS (SELECT 0 UNION ALL SELECT slot + 1 FROM s WHERE slot + 1 < ?)
SELECT s.slot FROM s
WHERE NOT EXISTS (SELECT 1 FROM fetchq_host_slot h WHERE h.host = ? AND h.slot = s.slot AND h.lease_until >= ?)
ORDER BY s.slot
LIMIT 1

-- name: hostReserve
-- 1 next start, 2 host
UPDATE fetchq_host SET next_start_at = ? WHERE host = ?

-- name: hostSlotTake
-- 1 host, 2 slot, 3 holder, 4 lease until
INSERT INTO fetchq_host_slot (host, slot, holder, lease_until) VALUES (?, ?, ?, ?)
ON CONFLICT (host, slot) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until

-- name: hostRelease
-- 1 host, 2 slot, 3 holder
UPDATE fetchq_host_slot SET holder = NULL, lease_until = NULL WHERE host = ? AND slot = ? AND holder = ?

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
