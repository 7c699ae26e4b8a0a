package io.fetchq.store;

import java.util.List;

/**
 * What settling a fetched URL did: each URL row it settled (a URL may belong to several jobs) and the jobs
 * it finished. Callers publish progress from it once it is committed.
 */
public record ScrapeSettled(List<Row> rows, List<ScrapeJobRecord> finished) {
    public static final ScrapeSettled NONE = new ScrapeSettled(List.of(), List.of());

    /** One settled URL row: its job, position and URL as submitted, its new status, and why it failed. */
    public record Row(String jobId, int idx, String url, String status, String reason) {
    }

    public ScrapeSettled {
        rows = List.copyOf(rows);
        finished = List.copyOf(finished);
    }
}
