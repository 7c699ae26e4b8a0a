package io.fetchq.store;

import java.time.Instant;

/**
 * Where "now" comes from for every lease, run_at and retention comparison. In production it is the
 * database's own clock ({@link #DATABASE}), so nodes whose clocks disagree still agree on when a lease
 * expires. Tests use a clock they move instead of sleeping; the stores then put that time into every
 * statement in place of the database's.
 */
@FunctionalInterface
public interface TimeSource {
    /** The database decides. */
    TimeSource DATABASE = () -> null;

    /** @return the instant to use as now, or {@code null} to use the database's clock */
    Instant nowOrNull();
}
