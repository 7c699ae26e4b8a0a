-- Page statements for PostgreSQL. Pages are read by position in this column order (JdbcPageStore):
--   id, url, status, final_url, headers, content_type, charset, body, body_size, sha256, title, text, etag,
--   last_modified, fetched_at

-- name: pageUpsert
-- 1 id, 2 url, 3 status, 4 final_url, 5 headers, 6 content_type, 7 charset, 8 body, 9 body_size, 10 sha256,
-- 11 title, 12 text, 13 etag, 14 last_modified, 15 now. A page keeps its id when it is fetched again.
INSERT INTO fetchq_page (id, url, status, final_url, headers, content_type, charset, body, body_size, sha256, title,
                         text, etag, last_modified, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::timestamptz, now()))
ON CONFLICT (url) DO UPDATE
SET status = excluded.status, final_url = excluded.final_url, headers = excluded.headers,
    content_type = excluded.content_type, charset = excluded.charset, body = excluded.body,
    body_size = excluded.body_size, sha256 = excluded.sha256, title = excluded.title, text = excluded.text,
    etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at
RETURNING id

-- name: pageTouch
-- 1 now, 2 url
UPDATE fetchq_page SET fetched_at = coalesce(?::timestamptz, now()) WHERE url = ?

-- name: pageGet
SELECT id, url, status, final_url, headers, content_type, charset, body, body_size, sha256, title, text, etag,
       last_modified, fetched_at
FROM fetchq_page WHERE id = ?

-- name: pageValidators
-- plan: per execution
-- 1 list of URLs
SELECT id, url, fetched_at, etag, last_modified FROM fetchq_page WHERE url = ANY (?::text[])

-- name: pageValidatorsOf
-- 1 URL
SELECT id, url, fetched_at, etag, last_modified FROM fetchq_page WHERE url = ?
