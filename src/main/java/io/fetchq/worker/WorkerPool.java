package io.fetchq.worker;

import io.fetchq.queue.BackgroundService;
import io.fetchq.queue.InvalidJobException;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.QueueNames;
import io.fetchq.store.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's workers: for each registered queue a claim loop and up to its concurrency of handlers on
 * virtual threads; one writer that records outcomes in batches; one heartbeat that keeps running jobs'
 * leases alive.
 *
 * <p>Stopping is graceful: claiming stops, running handlers get {@code shutdownGrace} to finish, and jobs
 * still running then are interrupted and handed back (available at once, the attempt not counted), so
 * another node takes them without waiting for their lease to expire.
 */
public final class WorkerPool implements BackgroundService {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    public static final int MAX_CONCURRENCY = 1000;

    private final QueueEngine engine;
    private final WorkerOptions options;
    private final List<QueueWorker> workers = new CopyOnWriteArrayList<>();
    private final OutcomeWriter outcomes;
    private final LeaseKeeper leaseKeeper;
    private volatile boolean started;

    public WorkerPool(QueueEngine engine, WorkerOptions options) {
        this.engine = engine;
        this.options = options;
        this.outcomes = new OutcomeWriter(engine);
        this.leaseKeeper = new LeaseKeeper(engine, workers, options.lease(), options.heartbeatInterval());
    }

    /**
     * Runs {@code handler} for jobs of {@code queue}, at most {@code concurrency} at once on this node.
     * Register before {@link #start()}.
     */
    public WorkerPool register(String queue, int concurrency, JobHandler handler) {
        QueueNames.check("queue", queue);
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new InvalidJobException("concurrency", "must be between 1 and " + MAX_CONCURRENCY + ", got " + concurrency);
        }
        if (started) {
            throw new IllegalStateException("register queues before starting the worker pool");
        }
        if (workers.stream().anyMatch(w -> w.queue().equals(queue))) {
            throw new IllegalArgumentException("queue " + queue + " already has a handler");
        }
        int maxPrefetch = (int) Math.min((long) concurrency * options.prefetchPerSlot(), QueueEngine.MAX_CLAIM);
        workers.add(new QueueWorker(queue, concurrency, maxPrefetch, handler, engine, options, outcomes));
        return this;
    }

    public String workerId() {
        return options.workerId();
    }

    /** @return true once started, until stopped, while every queue's claim loop still runs */
    public boolean alive() {
        return started && workers.stream().allMatch(QueueWorker::alive);
    }

    /** @return how many handlers are running on this node right now */
    public int runningCount() {
        return workers.stream().mapToInt(QueueWorker::runningCount).sum();
    }

    /** @return how many claims this node has made for {@code queue} so far (for metrics, and for tests to see it idle) */
    public long claimsMade(String queue) {
        return workers.stream().filter(w -> w.queue().equals(queue)).mapToLong(QueueWorker::claims).sum();
    }

    /** @return how many jobs this node's claims for {@code queue} returned so far */
    public long jobsClaimed(String queue) {
        return workers.stream().filter(w -> w.queue().equals(queue)).mapToLong(QueueWorker::claimed).sum();
    }

    /** @return how many jobs of {@code queue} this node has taken: claimed, or handed over at insert */
    public long jobsTaken(String queue) {
        return workers.stream().filter(w -> w.queue().equals(queue)).mapToLong(w -> w.claimed() + w.handedOver()).sum();
    }

    /** @return the queues this pool works on */
    public List<String> queues() {
        return workers.stream().map(QueueWorker::queue).toList();
    }

    @Override
    public String name() {
        return "workers";
    }

    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        outcomes.start();
        leaseKeeper.start();
        for (QueueWorker w : workers) {
            w.start();
            log.info("worker {} runs queue {} with concurrency {}", options.workerId(), w.queue(), w.concurrency());
        }
    }

    @Override
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        List<Lease> unstarted = new ArrayList<>();
        for (QueueWorker w : workers) {
            unstarted.addAll(w.stopClaiming());
        }
        handBack(unstarted, "claimed but not started");
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        List<Lease> stragglers = new ArrayList<>();
        try {
            for (QueueWorker w : workers) {
                if (!w.awaitIdle(deadline)) {
                    stragglers.addAll(w.abandonHeld());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (QueueWorker w : workers) {
                stragglers.addAll(w.abandonHeld());
            }
        }
        leaseKeeper.stop();
        handBack(stragglers, "still running after the " + options.shutdownGrace().toMillis() + " ms grace period");
        outcomes.stop();
    }

    private void handBack(List<Lease> leases, String why) {
        if (leases.isEmpty()) {
            return;
        }
        try {
            int n = engine.release(leases).count();
            log.info("handed back {} job(s) {}", n, why);
        } catch (RuntimeException e) {
            log.warn("could not hand back {} job(s) {}; they run again when their lease expires: {}",
                    leases.size(), why, e.getMessage());
        }
    }
}
