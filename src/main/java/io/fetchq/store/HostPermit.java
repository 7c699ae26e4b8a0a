package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Permission to send one request to a host: the slot held, the reserved start on the database's clock,
 * and how far that start lies from now: wait that long before sending; when it is negative the start has
 * already passed by that much (send at once, and count the overshoot as lateness).
 */
public record HostPermit(String host, int slot, Duration startIn, Instant startAt, long askedAtNanos) {
    /**
     * A permit as the store grants it; {@code askedAtNanos} (the local {@link System#nanoTime()} just before
     * the request that granted it) is added by the caller with {@link #askedAt}.
     */
    public HostPermit(String host, int slot, Duration startIn, Instant startAt) {
        this(host, slot, startIn, startAt, 0);
    }

    public HostPermit askedAt(long nanos) {
        return new HostPermit(host, slot, startIn, startAt, nanos);
    }

    /**
     * The earliest local time the reserved start can correspond to: the store measured {@code startIn} at
     * some moment between the ask and the answer, so lateness counted from here is never under-counted,
     * however long the answer took to come back.
     */
    public long earliestStartNanos() {
        return askedAtNanos + startIn.toNanos();
    }

    /** @return how long to wait before sending: {@link #startIn()}, or zero once it has passed */
    public Duration waitBeforeSending() {
        return startIn.isNegative() ? Duration.ZERO : startIn;
    }
}
