package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-host politeness shared by every node on one database: at most {@code maxConcurrency} requests to a
 * host at once (slots held under a lease, so a dead node's slots free themselves), at least
 * {@code minDelay} between request starts, and pauses a host asked for (Retry-After). Part of the
 * {@link Store} contract.
 */
public interface HostStore {
    /**
     * Takes a free slot for {@code host} and reserves the next start time.
     *
     * @return the permit (start the request after its {@link HostPermit#startIn()}), or empty when every slot is taken
     */
    Optional<HostPermit> hostAcquire(String host, int maxConcurrency, Duration minDelay, String holder, Duration lease);

    /**
     * A request started later than its reserved start: no request to the host may start before
     * {@code earliestNext} (its real start plus the delay), whatever was reserved before.
     */
    void hostSentLate(String host, Instant earliestNext);

    /** Gives the slot back. */
    void hostRelease(HostPermit permit, String holder);

    /** No request to the host may start before {@code pause} from now (an existing longer pause stays). */
    void hostPause(String host, Duration pause);

    /** @return how long the host is still paused, if it is */
    Optional<Duration> hostPausedFor(String host);
}
