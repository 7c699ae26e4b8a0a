-- Queue statements for PostgreSQL.

-- name: queueStats
SELECT queue, state, count(*) AS n FROM fetchq_job GROUP BY queue, state ORDER BY queue, state

-- name: queueActiveWorkers
-- Workers holding leases now, with how many jobs each runs (through fetchq_job_leased: running jobs only).
SELECT leased_by, count(*) AS n FROM fetchq_job WHERE state = 'running' AND lease_expires_at IS NOT NULL
GROUP BY leased_by ORDER BY leased_by
