package io.fetchq.worker;

import io.fetchq.queue.LocalConsumer;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.QueueSignals;
import io.fetchq.store.Job;
import io.fetchq.store.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one queue's jobs on this node, at most {@code concurrency} at a time.
 *
 * <p>A claim loop keeps a small buffer of claimed jobs ahead of the handlers, and handler threads (virtual,
 * one per busy slot) take their next job straight from that buffer, so a slot that frees up never waits
 * for a database round trip. The buffer's size adapts by Little's law: while one claim is in flight,
 * {@code concurrency × claim latency / handler time} slots free up, so that many jobs are kept ready
 * (capped by {@code maxPrefetch}). Slow handlers (a fetch taking seconds) therefore get no buffer at all
 * and leave the work to other nodes, while tiny handlers get large batched claims. When the queue runs
 * dry the loop waits for a wake-up (an insert here, a NOTIFY from another node) or the poll interval.
 *
 * <p>While it is idle on a dry queue it also takes jobs enqueued on this node directly, inserted already
 * leased to it ({@link LocalConsumer}), which saves the claim round trip.
 */
final class QueueWorker implements LocalConsumer {
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final Duration CLAIM_ERROR_PAUSE = Duration.ofSeconds(1);
    /** Weight of the newest sample in the moving averages that size the buffer. */
    private static final double EWMA_WEIGHT = 0.2;

    /** One job this node holds under a lease: waiting in the buffer ({@code thread == null}) or running. */
    static final class HeldJob {
        final Job job;
        final JobContext context;
        volatile Thread thread;
        /** Set when the job was handed back or its lease lost: it must not run on, and its outcome is dropped. */
        volatile boolean abandoned;

        HeldJob(Job job, JobContext context) {
            this.job = job;
            this.context = context;
        }

        void abandon() {
            abandoned = true;
            context.cancel();
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    private final String queue;
    private final int concurrency;
    private final int maxPrefetch;
    private final JobHandler handler;
    private final QueueEngine engine;
    private final WorkerOptions options;
    private final OutcomeWriter outcomes;

    /** Permits for handler threads; a thread holds one for as long as it runs jobs. */
    private final Semaphore slots;
    private final Queue<HeldJob> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger buffered = new AtomicInteger();
    private final Map<String, HeldJob> held = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    /** Pokes the claim loop: a slot freed, the buffer ran low, or the store said jobs are available. */
    private final Semaphore poke = new Semaphore(0);
    private volatile boolean storeWoke;
    /** The last claim returned fewer jobs than asked: as far as this node knows, nothing is waiting. */
    private volatile boolean queueLooksEmpty;
    /** Orders hand-overs against stopping, so no handed-over job is left in the buffer after stop. */
    private final ReentrantLock handOverLock = new ReentrantLock();

    private final AtomicInteger threadNumber = new AtomicInteger();
    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong handedOver = new AtomicLong();
    // Racy moving averages are fine: they only size a buffer.
    private volatile double avgClaimNanos = TimeUnit.MILLISECONDS.toNanos(2);
    private volatile double avgRunNanos = TimeUnit.SECONDS.toNanos(1);

    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private volatile boolean claiming;
    private Thread claimLoop;
    private QueueSignals.Subscription subscription;
    private QueueSignals.Subscription localConsumer;

    QueueWorker(String queue, int concurrency, int maxPrefetch, JobHandler handler, QueueEngine engine,
                WorkerOptions options, OutcomeWriter outcomes) {
        this.queue = queue;
        this.concurrency = concurrency;
        this.maxPrefetch = maxPrefetch;
        this.handler = handler;
        this.engine = engine;
        this.options = options;
        this.outcomes = outcomes;
        this.slots = new Semaphore(concurrency);
    }

    String queue() {
        return queue;
    }

    int concurrency() {
        return concurrency;
    }

    /** @return how many claim statements this worker has run */
    long claims() {
        return claims.get();
    }

    /** @return how many jobs its claims returned */
    long claimed() {
        return claimed.get();
    }

    /** @return how many jobs were handed to it at insert, without a claim */
    long handedOver() {
        return handedOver.get();
    }

    /** @return every job this node holds a lease on for this queue: buffered and running */
    Collection<HeldJob> held() {
        return held.values();
    }

    int runningCount() {
        return running.get();
    }

    /** @return true while this queue's claim loop thread runs */
    boolean alive() {
        Thread t = claimLoop;
        return t != null && t.isAlive();
    }

    void start() {
        claiming = true;
        subscription = engine.onJobsAvailable(queue, this::wake);
        localConsumer = engine.attachLocalConsumer(queue, this);
        claimLoop = Thread.ofPlatform().daemon().name("fetchq-claim-" + queue).start(this::claimLoop);
    }

    /** The store says jobs may be available. */
    void wake() {
        storeWoke = true;
        poke();
    }

    private void poke() {
        if (poke.availablePermits() == 0) {
            poke.release();
        }
    }

    /** How many claimed jobs to keep ready beyond the free slots (Little's law, capped). */
    int prefetchTarget() {
        double target = concurrency * avgClaimNanos / Math.max(avgRunNanos, 1.0);
        // rounded, not ceiled: a slot that frees up less than once per half a claim keeps no job waiting
        // (ceil made every busy worker hold one job back from the other nodes)
        return (int) Math.min(maxPrefetch, Math.round(target));
    }

    private void claimLoop() {
        boolean dry = false;
        long nextPollAt = 0;
        boolean failing = false;
        while (claiming) {
            startRunners();
            int free = slots.availablePermits();
            int ready = buffered.get();
            int target = prefetchTarget();
            int want = Math.min(QueueEngine.MAX_CLAIM, free + target - ready);
            boolean worthIt = want > 0 && (ready == 0 || ready <= target / 2);
            if (!worthIt) {
                awaitPoke(options.pollInterval().toNanos());
                continue;
            }
            if (dry && !storeWoke && System.nanoTime() < nextPollAt) {
                awaitPoke(nextPollAt - System.nanoTime());
                continue;
            }
            storeWoke = false;
            List<Job> jobs;
            long t0 = System.nanoTime();
            try {
                jobs = engine.claim(queue, want, options.lease(), options.workerId());
                if (failing) {
                    log.info("claiming from queue {} works again", queue);
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("cannot claim from queue {}, retrying: {}", queue, e.getMessage());
                    failing = true;
                }
                awaitPoke(CLAIM_ERROR_PAUSE.toNanos());
                continue;
            }
            avgClaimNanos += EWMA_WEIGHT * ((System.nanoTime() - t0) - avgClaimNanos);
            claims.incrementAndGet();
            claimed.addAndGet(jobs.size());
            for (Job job : jobs) {
                HeldJob hj = new HeldJob(job, new JobContext(job, options.workerId()));
                held.put(job.id(), hj);
                buffer.add(hj);
                buffered.incrementAndGet();
            }
            if (!claiming) {
                break;
            }
            startRunners();
            dry = jobs.size() < want;
            queueLooksEmpty = dry;
            if (dry) {
                nextPollAt = System.nanoTime() + options.pollInterval().toNanos();
            }
        }
    }

    private void awaitPoke(long nanos) {
        try {
            if (poke.tryAcquire(Math.max(nanos, 0), TimeUnit.NANOSECONDS)) {
                poke.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a handler thread for each buffered job that has a free slot. */
    private void startRunners() {
        while (buffered.get() > 0 && slots.tryAcquire()) {
            startRunner();
        }
    }

    /** Starts one handler thread; the caller holds the slot permit it will give back. */
    private void startRunner() {
        Thread.ofVirtual().name("fetchq-" + queue + "-" + threadNumber.incrementAndGet()).start(this::runner);
    }

    // ---- LocalConsumer -----------------------------------------------------------------------------

    @Override
    public String workerId() {
        return options.workerId();
    }

    @Override
    public Duration lease() {
        return options.lease();
    }

    @Override
    public int reserve(int max) {
        if (!claiming || !queueLooksEmpty || buffered.get() > 0) {
            return 0;
        }
        int got = 0;
        while (got < max && slots.tryAcquire()) {
            got++;
        }
        return got;
    }

    @Override
    public void handOver(List<Job> jobs, int reserved) {
        handOverLock.lock();
        try {
            if (!claiming) {
                slots.release(reserved);
                if (!jobs.isEmpty()) {
                    engine.release(jobs.stream().map(Job::lease).toList());
                }
                return;
            }
            for (Job job : jobs) {
                HeldJob hj = new HeldJob(job, new JobContext(job, options.workerId()));
                held.put(job.id(), hj);
                buffer.add(hj);
                buffered.incrementAndGet();
            }
            handedOver.addAndGet(jobs.size());
            int started = Math.min(jobs.size(), reserved);
            for (int i = 0; i < started; i++) {
                startRunner();
            }
            slots.release(reserved - started);
        } finally {
            handOverLock.unlock();
        }
    }

    /** A handler thread: runs buffered jobs one after another while there are any, then gives its slot back. */
    private void runner() {
        try {
            HeldJob hj;
            while (claiming && (hj = takeBuffered()) != null) {
                if (!hj.abandoned) {
                    run(hj);
                }
                if (buffered.get() <= prefetchTarget() / 2) {
                    poke();
                }
            }
        } finally {
            slots.release();
            poke();
        }
    }

    private HeldJob takeBuffered() {
        HeldJob hj = buffer.poll();
        if (hj != null) {
            buffered.decrementAndGet();
        }
        return hj;
    }

    private void run(HeldJob hj) {
        hj.thread = Thread.currentThread();
        running.incrementAndGet();
        long t0 = System.nanoTime();
        JobResult result;
        try {
            result = handler.handle(hj.context);
            if (result == null) {
                result = JobResult.success();
            }
        } catch (InterruptedException e) {
            result = JobResult.retry("interrupted");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            result = JobResult.retry(describe(e));
        } finally {
            hj.thread = null;
            Thread.interrupted(); // an interrupt meant for this job must not hit the next one
        }
        avgRunNanos += EWMA_WEIGHT * ((System.nanoTime() - t0) - avgRunNanos);
        held.remove(hj.job.id());
        if (!hj.abandoned) {
            outcomes.submit(hj.job, result);
        }
        if (running.decrementAndGet() == 0) {
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /**
     * Stops claiming and hands the buffered (not yet started) jobs back at once; running ones go on.
     *
     * @return the leases of the buffered jobs handed back
     */
    List<Lease> stopClaiming() {
        handOverLock.lock();
        try {
            claiming = false;
        } finally {
            handOverLock.unlock();
        }
        poke();
        if (subscription != null) {
            subscription.close();
        }
        if (localConsumer != null) {
            localConsumer.close();
        }
        if (claimLoop != null) {
            try {
                claimLoop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Lease> unstarted = new ArrayList<>();
        HeldJob hj;
        while ((hj = takeBuffered()) != null) {
            hj.abandoned = true;
            held.remove(hj.job.id());
            unstarted.add(hj.job.lease());
        }
        return unstarted;
    }

    /** Waits until no job runs, or the deadline (System.nanoTime) passes. @return true if idle */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        idleLock.lock();
        try {
            while (running.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /** Abandons every job still held (interrupting running handlers) and returns their leases. */
    List<Lease> abandonHeld() {
        List<Lease> leases = new ArrayList<>();
        for (HeldJob hj : held.values()) {
            hj.abandon();
            leases.add(hj.job.lease());
        }
        held.clear();
        return leases;
    }

    /** Marks jobs whose lease was lost; their handlers are told to stop and their outcomes dropped. */
    void leasesLost(Collection<String> jobIds) {
        for (String id : jobIds) {
            HeldJob hj = held.remove(id);
            if (hj != null) {
                log.warn("lost the lease on job {} of queue {} (expired or cancelled); {}", id, queue,
                        hj.thread != null ? "stopping its handler" : "dropping it before it starts");
                hj.abandon();
            }
        }
    }
}
