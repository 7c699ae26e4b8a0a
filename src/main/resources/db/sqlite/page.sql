-- Page statements for SQLite (times in epoch ms). Same column order as PostgreSQL's (JdbcPageStore).

-- name: pageUpsert
-- 1 id, 2 url, 3 status, 4 final_url, 5 headers, 6 content_type, 7 charset, 8 body, 9 body_size, 10 sha256,
-- 11 title, 12 text, 13 etag, 14 last_modified, 15 now
INSERT INTO fetchq_page (id, url, status, final_url, headers, content_type, charset, body, body_size, sha256, title,
                         text, etag, last_modified, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE
SET status = excluded.status, final_url = excluded.final_url, headers = excluded.headers,
    content_type = excluded.content_type, charset = excluded.charset, body = excluded.body,
    body_size = excluded.body_size, sha256 = excluded.sha256, title = excluded.title, text = excluded.text,
    etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at
RETURNING id

-- name: pageTouch
-- 1 now, 2 url
UPDATE fetchq_page SET fetched_at = ? WHERE url = ?

-- name: pageGet
SELECT id, url, status, final_url, headers, content_type, charset, body, body_size, sha256, title, text, etag,
       last_modified, fetched_at
FROM fetchq_page WHERE id = ?

-- name: pageValidators
-- 1 JSON array of URLs
SELECT id, url, fetched_at, etag, last_modified FROM fetchq_page WHERE url IN (SELECT value FROM json_each(?))

-- name: pageValidatorsOf
-- 1 URL
SELECT id, url, fetched_at, etag, last_modified FROM fetchq_page WHERE url = ?
