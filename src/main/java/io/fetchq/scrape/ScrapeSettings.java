package io.fetchq.scrape;

import java.time.Duration;

/**
 * How the scrape face behaves on this node.
 *
 * @param fetchConcurrency      fetches this node runs at once
 * @param perHostConcurrency    requests to one host at once, across all nodes (default 2)
 * @param perHostDelay          least time between request starts to one host, across all nodes (default 250 ms)
 * @param hostWait              longest a fetch waits for a host slot before its job waits in the queue instead
 * @param webhookSecret         signs webhook bodies (HMAC-SHA256)
 * @param webhookAttempts       deliveries tried before a webhook is given up (dead letter)
 * @param reconcileInterval     how often lost fetches and due webhooks are looked for
 */
public record ScrapeSettings(int fetchConcurrency, int perHostConcurrency, Duration perHostDelay, Duration hostWait,
                             String webhookSecret, int webhookAttempts, Duration reconcileInterval) {
    public static final int DEFAULT_FETCH_CONCURRENCY = 64;
    public static final int DEFAULT_PER_HOST_CONCURRENCY = 2;
    public static final Duration DEFAULT_PER_HOST_DELAY = Duration.ofMillis(250);
    public static final Duration DEFAULT_HOST_WAIT = Duration.ofSeconds(5);
    public static final int DEFAULT_WEBHOOK_ATTEMPTS = 8;
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);

    public static ScrapeSettings defaults(String webhookSecret) {
        return new ScrapeSettings(DEFAULT_FETCH_CONCURRENCY, DEFAULT_PER_HOST_CONCURRENCY, DEFAULT_PER_HOST_DELAY,
                DEFAULT_HOST_WAIT, webhookSecret, DEFAULT_WEBHOOK_ATTEMPTS, DEFAULT_RECONCILE_INTERVAL);
    }

    public ScrapeSettings withPerHost(int concurrency, Duration delay) {
        return new ScrapeSettings(fetchConcurrency, concurrency, delay, hostWait, webhookSecret, webhookAttempts,
                reconcileInterval);
    }

    public ScrapeSettings withFetchConcurrency(int n) {
        return new ScrapeSettings(n, perHostConcurrency, perHostDelay, hostWait, webhookSecret, webhookAttempts,
                reconcileInterval);
    }

    public ScrapeSettings withReconcileInterval(Duration d) {
        return new ScrapeSettings(fetchConcurrency, perHostConcurrency, perHostDelay, hostWait, webhookSecret,
                webhookAttempts, d);
    }
}
