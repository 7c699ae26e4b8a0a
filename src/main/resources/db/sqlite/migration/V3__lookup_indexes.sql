-- The rows a fetch of a URL settles are found by canonical URL among the queued, running and failed rows
-- (a completed fetch after a dead letter is requeued settles failed rows too). The partial index of V2
-- covered only queued and running rows, so those lookups scanned every URL row. Statements that use this
-- index repeat its predicate, status IN ('queued', 'running', 'failed'), word for word: SQLite only uses
-- a partial index when the query's WHERE contains the index's WHERE as a term.
DROP INDEX fetchq_scrape_url_waiting;
CREATE INDEX fetchq_scrape_url_open ON fetchq_scrape_url (canonical_url) WHERE status IN ('queued', 'running', 'failed');

-- The newest job of a queue with a dedupe key, finished or not (the reconciler asks what became of a
-- URL's fetch). fetchq_job_dedupe holds only unfinished jobs, so this lookup scanned every job.
CREATE INDEX fetchq_job_dedupe_any ON fetchq_job (queue, dedupe_key, seq) WHERE dedupe_key IS NOT NULL;
