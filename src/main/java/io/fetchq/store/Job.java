package io.fetchq.store;

import java.time.Instant;
import java.util.Comparator;

/**
 * One row of the engine's job table, as a store returns it. {@code payload} is opaque text (usually JSON)
 * that the engine never parses. Lease fields are set exactly while the job is {@link JobState#RUNNING}.
 */
public record Job(
        String id,
        String queue,
        JobState state,
        int priority,
        String payload,
        int attempt,
        int maxAttempts,
        Instant runAt,
        String leaseToken,
        Instant leaseExpiresAt,
        String leasedBy,
        String dedupeKey,
        String groupId,
        String lastError,
        Instant createdAt,
        Instant attemptedAt,
        Instant finishedAt,
        Instant firstAttemptedAt) {

    /** The order a claim hands jobs out in: priority 1 first, then earliest run time. */
    public static final Comparator<Job> CLAIM_ORDER = Comparator.comparingInt(Job::priority).thenComparing(Job::runAt);

    /** @return the lease this job is held under; only meaningful for a job returned by a claim */
    public Lease lease() {
        if (leaseToken == null) {
            throw new IllegalStateException("job " + id + " is " + state.dbName() + " and holds no lease");
        }
        return new Lease(id, leaseToken);
    }

    /** @return true when this was the last attempt the job is allowed */
    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }
}
