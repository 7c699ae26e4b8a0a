-- Per-host politeness statements for PostgreSQL. Every acquire locks the host's row, so the slots and
-- the start-time reservation of one host are decided one request at a time across all nodes; it takes
-- three statements and the commit while the row is locked (hostLock, hostFreeSlot, hostReserve).
-- Acquires and releases commit without waiting for the WAL flush (synchronous_commit off for their
-- transaction only): the row lock is held until the commit, so a flush per request would add a disk
-- flush to every request's turn at the host (one worker on one host here: 150 -> 190 pages/s without
-- it). What a database crash can lose is the last fraction of a second of slots and reservations:
-- briefly one request more to a host, or one sooner, and only when the database itself crashed. Pauses
-- (Retry-After) still wait for the flush.

-- name: hostEnsure
-- 1 host, 2 now
INSERT INTO fetchq_host (host, next_start_at) VALUES (?, coalesce(?::timestamptz, now()))
ON CONFLICT (host) DO NOTHING

-- name: hostLock
-- 1 host: the host's timing, the row locked until commit (which does not wait for the flush)
SELECT next_start_at, paused_until, set_config('synchronous_commit', 'off', true) FROM fetchq_host WHERE host = ? FOR UPDATE

-- name: hostFreeSlot
-- 1 slots, 2 host, 3 now. Once the lock is held: the clock (clock_timestamp, not the transaction's start,
-- which may be long before the lock was granted; the reserved start is measured from it), and the lowest
-- slot not held under a live lease then (NULL: none).
SELECT t.now,
       (SELECT s.slot
        FROM generate_series(0, ? - 1) AS s(slot)
        WHERE NOT EXISTS (SELECT 1 FROM fetchq_host_slot h
                          WHERE h.host = ? AND h.slot = s.slot AND h.lease_until >= t.now)
        ORDER BY s.slot
        LIMIT 1)
FROM (SELECT coalesce(?::timestamptz, clock_timestamp()) AS now) t

-- name: hostReserve
-- 1 next start, 2 host, 3 slot, 4 holder, 5 lease until, 6 now: reserves the host's next start, takes the
-- slot, and returns the clock once both are written (the caller waits from it until the reserved start)
WITH reserved AS (UPDATE fetchq_host SET next_start_at = ?::timestamptz WHERE host = ? RETURNING host),
     taken AS (INSERT INTO fetchq_host_slot (host, slot, holder, lease_until)
               SELECT host, ?, ?, ?::timestamptz FROM reserved
               ON CONFLICT (host, slot) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
               RETURNING 1)
SELECT coalesce(?::timestamptz, clock_timestamp()) FROM taken

-- name: hostRelease
-- 1 host, 2 slot, 3 holder; commits without waiting for the flush
UPDATE fetchq_host_slot SET holder = NULL, lease_until = NULL
FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
WHERE host = ? AND slot = ? AND holder = ?

-- name: hostPause
-- 1 now, 2 pause ms, 3 host
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
UPDATE fetchq_host h
SET paused_until = greatest(coalesce(h.paused_until, t.now), t.now + ? * interval '1 millisecond')
FROM t
WHERE h.host = ?

-- name: hostPausedFor
-- 1 now, 2 host: milliseconds of pause left
WITH t AS (SELECT coalesce(?::timestamptz, now()) AS now)
SELECT (extract(epoch FROM paused_until - t.now) * 1000)::bigint
FROM fetchq_host, t WHERE host = ? AND paused_until > t.now

-- name: hostSentLate
-- 1 earliest next start, 2 host: a request left later than reserved; the next may not start sooner than
-- the delay after it really started
UPDATE fetchq_host SET next_start_at = greatest(next_start_at, ?::timestamptz) WHERE host = ?
