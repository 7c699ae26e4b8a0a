package io.fetchq.store;

/**
 * How many messages a broker queue holds, by what a consumer sees: visible (receivable now), in flight
 * (received, not yet deleted, visibility not expired), delayed (not receivable yet), dead (dead letters).
 */
public record BrokerQueueCounts(long visible, long inFlight, long delayed, long dead) {
    public static final BrokerQueueCounts EMPTY = new BrokerQueueCounts(0, 0, 0, 0);
}
