package io.fetchq.queue.maintenance;

import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns jobs whose lease expired (their worker died, hung or lost the database) to available, or to
 * dead on their last attempt. Every node runs one; they never step on each other because the store skips
 * rows another node holds locked and the transition is guarded by state and expiry.
 *
 * <p>It sleeps until the earliest lease expires, at most {@code interval}, so that a short lease (a broker
 * message's visibility timeout of a second) ends on time rather than at the next tick; the engine tells it
 * of leases it grants that end sooner than its planned wake-up ({@link #expectExpiryIn}).
 */
public final class LeaseRescuer extends PeriodicService {
    private static final Logger log = LoggerFactory.getLogger(LeaseRescuer.class);
    private final Function<Integer, TransitionResult> rescue;
    private final int batch;
    private final Duration interval;

    private final Supplier<Optional<Duration>> nextExpiryIn;
    private volatile long plannedWakeNanos = Long.MAX_VALUE;
    private static final long REPORT_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private long unreported;
    private long lastReportNanos = System.nanoTime() - REPORT_EVERY_NANOS;

    /** @param nextExpiryIn how long until the earliest lease expires (the store's), empty when none is held */
    public LeaseRescuer(Function<Integer, TransitionResult> rescue, Supplier<Optional<Duration>> nextExpiryIn, int batch,
                        Duration interval) {
        super("rescuer", interval);
        this.rescue = rescue;
        this.nextExpiryIn = nextExpiryIn;
        this.batch = batch;
        this.interval = interval;
    }

    /** A lease was granted or shortened to end {@code in} from now: wakes the rescuer if it planned to sleep past that. */
    public void expectExpiryIn(Duration in) {
        if (System.nanoTime() + in.toNanos() < plannedWakeNanos) {
            plannedWakeNanos = System.nanoTime();
            wake();
        }
    }

    @Override
    protected Duration runOnce() {
        int total = 0;
        int n;
        do {
            n = rescue.apply(batch).count();
            total += n;
        } while (n >= batch);
        // Reported at most every 10 s: broker messages whose visibility timeout ends are rescued all the time
        unreported += total;
        if (unreported > 0 && System.nanoTime() - lastReportNanos > REPORT_EVERY_NANOS) {
            log.info("rescued {} job(s) whose lease had expired (a worker stopped, or a visibility timeout ended)",
                    unreported);
            unreported = 0;
            lastReportNanos = System.nanoTime();
        }
        Duration pause = interval;
        Optional<Duration> next = nextExpiryIn.get();
        if (next.isPresent() && next.get().compareTo(interval) < 0) {
            // The store's rescue takes leases that ended strictly before now: wake just after this one ends. One
            // that ended already but was not taken is locked by another node's pass: look again shortly.
            pause = next.get().isNegative() ? Duration.ofMillis(20) : next.get().plusMillis(1);
        }
        plannedWakeNanos = System.nanoTime() + pause.toNanos();
        return pause;
    }
}
