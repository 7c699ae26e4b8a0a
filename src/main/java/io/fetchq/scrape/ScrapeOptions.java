package io.fetchq.scrape;

/**
 * The options a job was submitted with, resolved to their defaults and kept with the job (as JSON) so
 * fetches enqueued later (a retry, a repair) use the same ones.
 */
public record ScrapeOptions(int priority, int maxAttempts, long maxAgeSeconds, long delaySeconds, boolean respectRobots) {
    public static final int DEFAULT_PRIORITY = 5;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final long DEFAULT_MAX_AGE_SECONDS = 86_400;
}
