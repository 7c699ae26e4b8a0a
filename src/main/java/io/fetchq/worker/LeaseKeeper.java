package io.fetchq.worker;

import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.maintenance.PeriodicService;
import io.fetchq.store.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Extends the leases of every job this node holds (running or buffered), all in one statement per beat. A lease the
 * store no longer recognises (expired and rescued, or cancelled) is lost: its handler is told to stop
 * and its outcome will be dropped, since another attempt may own the job now.
 */
final class LeaseKeeper extends PeriodicService {
    private final QueueEngine engine;
    private final List<QueueWorker> workers;
    private final Duration lease;
    private final Duration interval;

    LeaseKeeper(QueueEngine engine, List<QueueWorker> workers, Duration lease, Duration interval) {
        super("heartbeat", interval);
        this.engine = engine;
        this.workers = workers;
        this.lease = lease;
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        beat();
        return interval;
    }

    void beat() {
        List<Lease> leases = new ArrayList<>();
        for (QueueWorker w : workers) {
            for (QueueWorker.HeldJob hj : w.held()) {
                if (!hj.abandoned) {
                    leases.add(hj.job.lease());
                }
            }
        }
        if (leases.isEmpty()) {
            return;
        }
        Set<String> alive = new HashSet<>(engine.heartbeat(leases, lease));
        List<String> lost = new ArrayList<>();
        for (Lease l : leases) {
            if (!alive.contains(l.jobId())) {
                lost.add(l.jobId());
            }
        }
        if (!lost.isEmpty()) {
            for (QueueWorker w : workers) {
                w.leasesLost(lost);
            }
        }
    }
}
