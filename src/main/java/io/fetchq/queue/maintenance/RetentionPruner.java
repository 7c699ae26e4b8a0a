package io.fetchq.queue.maintenance;

import java.time.Duration;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs older than the retention, in batches, so the hot table stays small and claims
 * stay fast however long fetchq runs.
 */
public final class RetentionPruner extends PeriodicService {
    private static final Logger log = LoggerFactory.getLogger(RetentionPruner.class);
    private final IntUnaryOperator prune;
    private final int batch;
    private final Duration interval;

    /** @param prune deletes up to the given number of expired rows and returns how many it deleted */
    public RetentionPruner(IntUnaryOperator prune, int batch, Duration interval) {
        super("pruner", interval);
        this.prune = prune;
        this.batch = batch;
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        int total = 0;
        int n;
        do {
            n = prune.applyAsInt(batch);
            total += n;
        } while (n >= batch);
        if (total > 0) {
            log.debug("pruned {} finished job(s) past retention", total);
        }
        return interval;
    }
}
