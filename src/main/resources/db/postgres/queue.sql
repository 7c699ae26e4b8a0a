-- Queue statements for PostgreSQL.

-- name: queueStats
SELECT queue, state, count(*) AS n FROM fetchq_job GROUP BY queue, state ORDER BY queue, state
