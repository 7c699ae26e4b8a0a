-- Store-level statements for SQLite.

-- name: storePing
SELECT 1
