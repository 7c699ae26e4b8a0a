-- Store-level statements for SQLite.

-- name: storePing
SELECT 1

-- name: storeSchemaVersion
-- The version of the last migration applied (Flyway's history table).
SELECT version FROM fetchq_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1

-- name: txBegin
-- Take the write lock at the start, so the transaction never has to upgrade (and never fails to).
BEGIN IMMEDIATE

-- name: txCommit
COMMIT

-- name: txRollback
ROLLBACK

-- name: metaGet
SELECT value FROM fetchq_meta WHERE key = ?

-- name: metaPutIfAbsent
INSERT INTO fetchq_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING

-- name: txSavepoint
-- Each piece of work in a group commit runs inside its own savepoint, so one that fails is undone alone.
SAVEPOINT work

-- name: txRelease
RELEASE work

-- name: txRollbackTo
ROLLBACK TO work
