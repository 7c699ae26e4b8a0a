package io.fetchq.store;

import java.time.Duration;

/**
 * Claim up to {@code limit} available jobs of {@code queue} (by priority, then run time, then insertion
 * order) for worker {@code leasedBy}, each under a fresh lease that expires {@code lease} after the
 * database's now.
 */
public record JobClaimParams(String queue, int limit, Duration lease, String leasedBy) {
}
