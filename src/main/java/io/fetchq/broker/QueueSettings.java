package io.fetchq.broker;

import java.time.Duration;

/**
 * Settings asked for when creating or updating a queue; a {@code null} keeps the queue's current value, or
 * takes the default for a new queue. Limits are {@link Broker}'s constants.
 *
 * @param maxReceiveCount receives before a message goes to the dead letters; 0 = never
 */
public record QueueSettings(
        Duration visibilityTimeout,
        Integer maxReceiveCount,
        Duration retention,
        Integer maxMessageBytes,
        Duration delay) {

    public static final QueueSettings DEFAULTS = new QueueSettings(null, null, null, null, null);
}
