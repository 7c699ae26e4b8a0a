package io.fetchq.store;

import java.time.Duration;

/**
 * A failed attempt to record: the lease it ran under, a short human message, and for a retry how long
 * after the database's now the job may run again ({@code null} when the job goes dead).
 */
public record JobFailure(Lease lease, String error, Duration retryDelay) {
}
