package io.fetchq.store;

import java.time.Instant;

/**
 * One URL of a scrape job. {@code status} is {@code queued}, {@code running}, {@code completed},
 * {@code failed} or {@code cancelled}; {@code cached} means a fresh stored page answered it at once.
 * {@code queuedAt} is when it last started waiting (submit, or a retry of the failed URLs).
 */
public record ScrapeUrlRecord(String jobId, int idx, String url, String canonicalUrl, int priority, String metadataJson,
                              String status, String pageId, boolean cached, Integer httpStatus, String error,
                              String errorReason, int attempts, Instant createdAt, Instant queuedAt,
                              Instant finishedAt) {
}
