package io.fetchq.queue.maintenance;

import io.fetchq.store.Store;
import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Moves delayed and backing-off jobs to available when their run_at passes. Rather than polling on a
 * fixed beat, it asks the store how long until the earliest one is due and sleeps exactly that long
 * (at most {@code maxPause}), so a job delayed by 5 s starts after 5 s, not at the next tick. The engine
 * wakes it when a job with an earlier run_at appears.
 */
public final class DueJobScheduler extends PeriodicService {
    private final Store store;
    private final Function<Integer, TransitionResult> promote;
    private final int batch;
    private final Duration maxPause;

    /** @param promote runs one promotion pass of at most the given size (the engine's, so it can wake workers) */
    public DueJobScheduler(Store store, Function<Integer, TransitionResult> promote, int batch, Duration maxPause) {
        super("scheduler", Duration.ofSeconds(1));
        this.store = store;
        this.promote = promote;
        this.batch = batch;
        this.maxPause = maxPause;
    }

    @Override
    protected Duration runOnce() {
        while (promote.apply(batch).count() >= batch) {
            // a full batch: more may be due
        }
        Optional<Duration> next = store.jobNextDueIn();
        if (next.isEmpty()) {
            return maxPause;
        }
        Duration d = next.get();
        if (d.isNegative() || d.isZero()) {
            return Duration.ofMillis(1);
        }
        return d.compareTo(maxPause) < 0 ? d : maxPause;
    }
}
