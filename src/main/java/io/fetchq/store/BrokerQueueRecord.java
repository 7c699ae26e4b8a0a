package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A broker queue as stored: its name and settings (DESIGN.md §4). A {@code maxReceiveCount} of 0 means its
 * messages are never dead-lettered. The times are set by the store.
 */
public record BrokerQueueRecord(
        String name,
        Duration visibilityTimeout,
        int maxReceiveCount,
        Duration retention,
        int maxMessageBytes,
        Duration delay,
        Instant createdAt,
        Instant updatedAt) {
}
