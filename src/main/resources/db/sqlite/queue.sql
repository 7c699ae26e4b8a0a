-- Queue statements for SQLite.

-- name: queueStats
SELECT queue, state, count(*) AS n FROM fetchq_job GROUP BY queue, state ORDER BY queue, state
