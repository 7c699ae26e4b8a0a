package io.fetchq.queue.maintenance;

import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns jobs whose lease expired (their worker died, hung or lost the database) to available, or to
 * dead on their last attempt. Every node runs one; they never step on each other because the store skips
 * rows another node holds locked and the transition is guarded by state and expiry.
 */
public final class LeaseRescuer extends PeriodicService {
    private static final Logger log = LoggerFactory.getLogger(LeaseRescuer.class);
    private final Function<Integer, TransitionResult> rescue;
    private final int batch;
    private final Duration interval;

    public LeaseRescuer(Function<Integer, TransitionResult> rescue, int batch, Duration interval) {
        super("rescuer", interval);
        this.rescue = rescue;
        this.batch = batch;
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        int total = 0;
        int n;
        do {
            n = rescue.apply(batch).count();
            total += n;
        } while (n >= batch);
        if (total > 0) {
            log.info("rescued {} job(s) whose lease had expired", total);
        }
        return interval;
    }
}
