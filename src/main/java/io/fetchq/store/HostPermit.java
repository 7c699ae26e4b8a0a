package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Permission to send one request to a host: the slot held, the reserved start on the database's clock,
 * and how far that start lies from now: wait that long before sending; when it is negative the start has
 * already passed by that much (send at once, and count the overshoot as lateness).
 */
public record HostPermit(String host, int slot, Duration startIn, Instant startAt) {
    /** @return how long to wait before sending: {@link #startIn()}, or zero once it has passed */
    public Duration waitBeforeSending() {
        return startIn.isNegative() ? Duration.ZERO : startIn;
    }
}
