package io.fetchq.testing;

import io.fetchq.store.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A clock tests move instead of sleeping; stores opened with it compare leases and run times against it. */
public final class MutableTimeSource implements TimeSource {
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private volatile Instant now;

    public MutableTimeSource() {
        this(START);
    }

    public MutableTimeSource(Instant start) {
        this.now = start;
    }

    @Override
    public Instant nowOrNull() {
        return now;
    }

    public Instant now() {
        return now;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }
}
