package io.fetchq.store;

import java.time.Instant;

/**
 * One scrape job as stored, with its counters (kept up to date by every URL transition, so reading a
 * job never recounts its URLs). {@code optionsJson} holds the submit options; {@code callbackState} is
 * null, {@code due} (finished, webhook not yet enqueued) or {@code enqueued}.
 */
public record ScrapeJobRecord(String id, String owner, int total, int queued, int running, int completed, int failed,
                              int cancelled, int cached, String optionsJson, String metadataJson, String callbackUrl,
                              String callbackState, boolean cancelRequested, Instant createdAt, Instant finishedAt) {

    /**
     * @return {@code cancelled} once cancelled; {@code queued} while nothing started; {@code running} while
     *         URLs are unfinished; then {@code completed}, or {@code failed} when every URL failed
     */
    public String status() {
        if (cancelRequested) {
            return "cancelled";
        }
        if (queued + running > 0) {
            return running > 0 || completed + failed + cancelled > 0 ? "running" : "queued";
        }
        return completed > 0 ? "completed" : "failed";
    }
}
