package io.fetchq.scrape;

import io.fetchq.store.HostPermit;
import io.fetchq.store.HostStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's side of per-host politeness: takes a host slot from the {@link HostStore} (shared by all
 * nodes), waiting a little when every slot is taken: woken at once by a release on this node, and
 * re-trying every 100 ms for releases on others. A handler that still finds no slot gives its job back
 * for later rather than holding a worker.
 */
public final class HostThrottle {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Added to every non-zero delay between reserved starts: a node sends at its reserved time or a little
     * later, and this keeps the gap a server sees at or above the delay even when the earlier request left
     * late by a few milliseconds.
     */
    static final Duration SEND_SLACK = Duration.ofMillis(10);

    private final HostStore hosts;
    private final String holder;
    private final Duration lease;
    private final Duration maxWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();

    /**
     * @param holder  this node's worker id, written on the slots it holds
     * @param lease   how long a slot is held before another node may take it (longer than a fetch lasts)
     * @param maxWait longest a handler waits for a slot before giving its job back
     */
    public HostThrottle(HostStore hosts, String holder, Duration lease, Duration maxWait) {
        this.hosts = hosts;
        this.holder = holder;
        this.lease = lease;
        this.maxWait = maxWait;
    }

    public Duration maxWait() {
        return maxWait;
    }

    /** @return a permit (its start time reserved), or empty if no slot freed within the maximum wait */
    public Optional<HostPermit> acquire(String hostKey, int concurrency, Duration minDelay) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Duration spacing = minDelay.isZero() ? minDelay : minDelay.plus(SEND_SLACK);
        while (true) {
            long asked = System.nanoTime();
            Optional<HostPermit> permit = hosts.hostAcquire(hostKey, concurrency, spacing, holder, lease);
            if (permit.isPresent()) {
                return Optional.of(permit.get().askedAt(asked));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            lock.lock();
            try {
                released.awaitNanos(Math.min(left, RETRY_NANOS));
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Reports when the request of {@code permit} really left: if later than half the slack, the next
     * request to the host is held back to keep the spacing (an extra write, for late sends only). Call
     * before {@link #release}.
     */
    public void started(HostPermit permit, Duration lateness, Duration minDelay) {
        if (!minDelay.isZero() && lateness.compareTo(SEND_SLACK.dividedBy(2)) > 0) {
            hosts.hostSentLate(permit.host(), permit.startAt().plus(lateness).plus(minDelay).plus(SEND_SLACK));
        }
    }

    public void release(HostPermit permit) {
        hosts.hostRelease(permit, holder);
        lock.lock();
        try {
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The host asked for a pause (Retry-After): no node starts a request to it before then. */
    public void pause(String hostKey, Duration pause) {
        hosts.hostPause(hostKey, pause);
    }
}
