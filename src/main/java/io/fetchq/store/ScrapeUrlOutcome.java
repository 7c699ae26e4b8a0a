package io.fetchq.store;

/**
 * How fetching one canonical URL ended, for every URL row waiting on it.
 *
 * @param status      {@code completed} or {@code failed}
 * @param errorReason a short code ({@code http_404}, {@code blocked_address}, ...); null on success
 */
public record ScrapeUrlOutcome(String canonicalUrl, String status, String pageId, Integer httpStatus, String error,
                               String errorReason, int attempts) {
}
