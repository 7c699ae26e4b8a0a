package io.fetchq.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: after attempt {@code n} fails, wait a uniformly random time in
 * {@code [0, min(cap, base * 2^(n-1))]}. Full jitter spreads a burst of failures (a host that went down
 * for everyone) over the whole window instead of retrying them in lockstep. A caller's own not-before
 * hint (a server's {@code Retry-After}) wins when it is later.
 */
public final class RetryPolicy {
    public static final Duration DEFAULT_BASE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CAP = Duration.ofMinutes(10);

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;

    public RetryPolicy(Duration base, Duration cap) {
        this(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform values in [0, 1); tests pass a fixed one */
    public RetryPolicy(Duration base, Duration cap, DoubleSupplier random) {
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("backoff base must be positive, got " + base);
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff cap (" + cap + ") must not be below its base (" + base + ")");
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_BASE, DEFAULT_CAP);
    }

    /** @return the upper bound of the wait after failed attempt {@code attempt} (1-based) */
    public Duration ceilingFor(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 62));
        long baseMs = base.toMillis();
        long capMs = cap.toMillis();
        long ceiling = doublings >= 62 || baseMs > (capMs >> doublings) ? capMs : baseMs << doublings;
        return Duration.ofMillis(Math.min(ceiling, capMs));
    }

    /**
     * @param notBefore the caller's own earliest retry time from now (may be null or zero)
     * @return how long to wait before attempt {@code attempt + 1}
     */
    public Duration delayFor(int attempt, Duration notBefore) {
        long jittered = (long) (random.getAsDouble() * ceilingFor(attempt).toMillis());
        Duration delay = Duration.ofMillis(jittered);
        return notBefore != null && notBefore.compareTo(delay) > 0 ? notBefore : delay;
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }
}
