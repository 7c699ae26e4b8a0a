package io.fetchq.queue;

import java.time.Duration;

/**
 * How the engine behaves; {@link #defaults()} gives the documented defaults and the {@code with...}
 * methods change one setting. The command line builds these from its validated settings.
 *
 * @param defaultMaxAttempts  attempts a job gets when it does not say
 * @param maxPayloadBytes     largest payload accepted (UTF-8 bytes)
 * @param rescueInterval      how often expired leases are looked for
 * @param schedulerMaxPause   longest the scheduler sleeps between checks for due jobs
 * @param pruneInterval       how often finished jobs past retention are deleted
 * @param finishedRetention   how long completed and cancelled jobs are kept
 * @param deadRetention       how long dead jobs (dead letters) are kept
 * @param maintenanceBatch    rows per statement for rescue, promotion and pruning
 */
public record EngineOptions(
        RetryPolicy retryPolicy,
        int defaultMaxAttempts,
        int maxPayloadBytes,
        Duration rescueInterval,
        Duration schedulerMaxPause,
        Duration pruneInterval,
        Duration finishedRetention,
        Duration deadRetention,
        int maintenanceBatch) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_ATTEMPTS_LIMIT = 1000;
    /** Max attempts meaning "never dead-letter" (a broker queue with max receive count 0); not a count. */
    public static final int UNLIMITED_ATTEMPTS = Integer.MAX_VALUE;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
    public static final Duration DEFAULT_RESCUE_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SCHEDULER_MAX_PAUSE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_FINISHED_RETENTION = Duration.ofDays(1);
    public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_MAINTENANCE_BATCH = 1000;

    public static EngineOptions defaults() {
        return new EngineOptions(RetryPolicy.defaults(), DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_PAYLOAD_BYTES,
                DEFAULT_RESCUE_INTERVAL, DEFAULT_SCHEDULER_MAX_PAUSE, DEFAULT_PRUNE_INTERVAL,
                DEFAULT_FINISHED_RETENTION, DEFAULT_DEAD_RETENTION, DEFAULT_MAINTENANCE_BATCH);
    }

    public EngineOptions withRetryPolicy(RetryPolicy p) {
        return new EngineOptions(p, defaultMaxAttempts, maxPayloadBytes, rescueInterval, schedulerMaxPause,
                pruneInterval, finishedRetention, deadRetention, maintenanceBatch);
    }

    public EngineOptions withDefaultMaxAttempts(int n) {
        return new EngineOptions(retryPolicy, n, maxPayloadBytes, rescueInterval, schedulerMaxPause,
                pruneInterval, finishedRetention, deadRetention, maintenanceBatch);
    }

    public EngineOptions withMaxPayloadBytes(int n) {
        return new EngineOptions(retryPolicy, defaultMaxAttempts, n, rescueInterval, schedulerMaxPause,
                pruneInterval, finishedRetention, deadRetention, maintenanceBatch);
    }

    public EngineOptions withRescueInterval(Duration d) {
        return new EngineOptions(retryPolicy, defaultMaxAttempts, maxPayloadBytes, d, schedulerMaxPause,
                pruneInterval, finishedRetention, deadRetention, maintenanceBatch);
    }

    public EngineOptions withRetention(Duration finished, Duration dead) {
        return new EngineOptions(retryPolicy, defaultMaxAttempts, maxPayloadBytes, rescueInterval,
                schedulerMaxPause, pruneInterval, finished, dead, maintenanceBatch);
    }

    public EngineOptions withPruneInterval(Duration d) {
        return new EngineOptions(retryPolicy, defaultMaxAttempts, maxPayloadBytes, rescueInterval,
                schedulerMaxPause, d, finishedRetention, deadRetention, maintenanceBatch);
    }
}
