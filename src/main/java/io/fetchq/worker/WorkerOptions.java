package io.fetchq.worker;

import java.time.Duration;

/**
 * How a node's workers behave.
 *
 * @param workerId          names this node in leases (leased_by) and logs
 * @param lease             how long a claim holds a job before another node may rescue it
 * @param heartbeatInterval how often running jobs' leases are extended (well under {@code lease})
 * @param pollInterval      longest an idle queue waits before claiming again without a wake-up
 * @param shutdownGrace     how long stopping waits for running handlers before handing their jobs back
 * @param prefetchPerSlot   most claimed-but-not-started jobs kept per slot; the worker sizes its buffer
 *                          below this by measured handler and claim times (slow handlers get none)
 */
public record WorkerOptions(String workerId, Duration lease, Duration heartbeatInterval, Duration pollInterval,
                            Duration shutdownGrace, int prefetchPerSlot) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final int DEFAULT_PREFETCH_PER_SLOT = 16;

    public WorkerOptions {
        if (heartbeatInterval.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("the heartbeat interval (" + heartbeatInterval
                    + ") must be shorter than the lease (" + lease + ")");
        }
        if (prefetchPerSlot < 0) {
            throw new IllegalArgumentException("prefetchPerSlot must not be negative, got " + prefetchPerSlot);
        }
    }

    /** Defaults, with heartbeats every third of the lease. */
    public static WorkerOptions defaults(String workerId) {
        return of(workerId, DEFAULT_LEASE, DEFAULT_POLL_INTERVAL, DEFAULT_SHUTDOWN_GRACE);
    }

    public static WorkerOptions of(String workerId, Duration lease, Duration pollInterval, Duration shutdownGrace) {
        return new WorkerOptions(workerId, lease, lease.dividedBy(3), pollInterval, shutdownGrace,
                DEFAULT_PREFETCH_PER_SLOT);
    }

    public WorkerOptions withPrefetchPerSlot(int n) {
        return new WorkerOptions(workerId, lease, heartbeatInterval, pollInterval, shutdownGrace, n);
    }
}
