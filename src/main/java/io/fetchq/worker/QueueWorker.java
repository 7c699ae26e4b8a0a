package io.fetchq.worker;

import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.QueueSignals;
import io.fetchq.store.Job;
import io.fetchq.store.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one queue's jobs on this node with at most {@code concurrency} at a time. A claim loop takes as
 * many jobs as there are free slots in one claim, starts each on a virtual thread, and when the queue
 * runs dry waits for a wake-up (an insert here, or a NOTIFY from another node) or the poll interval.
 */
final class QueueWorker {
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final Duration CLAIM_ERROR_PAUSE = Duration.ofSeconds(1);

    /** One job this node is running. */
    static final class RunningJob {
        final Job job;
        final JobContext context;
        volatile Thread thread;
        /** Set when the job was handed back or its lease lost: its outcome must not be written. */
        volatile boolean abandoned;

        RunningJob(Job job, JobContext context) {
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
    private final JobHandler handler;
    private final QueueEngine engine;
    private final WorkerOptions options;
    private final OutcomeWriter outcomes;
    private final Semaphore slots;
    private final Semaphore wakeups = new Semaphore(0);
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private volatile boolean claiming;
    private Thread claimLoop;
    private QueueSignals.Subscription subscription;

    QueueWorker(String queue, int concurrency, JobHandler handler, QueueEngine engine, WorkerOptions options,
                OutcomeWriter outcomes) {
        this.queue = queue;
        this.concurrency = concurrency;
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

    /** @return how many claim statements this worker has run, and how many jobs they returned */
    long claims() {
        return claims.get();
    }

    long claimed() {
        return claimed.get();
    }

    Collection<RunningJob> running() {
        return running.values();
    }

    void start() {
        claiming = true;
        subscription = engine.onJobsAvailable(queue, this::wake);
        claimLoop = Thread.ofPlatform().daemon().name("fetchq-claim-" + queue).start(this::claimLoop);
    }

    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void claimLoop() {
        boolean failing = false;
        while (claiming) {
            int want;
            try {
                if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            want = 1 + slots.drainPermits();
            List<Job> jobs;
            try {
                jobs = engine.claim(queue, Math.min(want, QueueEngine.MAX_CLAIM), options.lease(), options.workerId());
                if (failing) {
                    log.info("claiming from queue {} works again", queue);
                    failing = false;
                }
            } catch (RuntimeException e) {
                slots.release(want);
                if (!failing) {
                    log.warn("cannot claim from queue {}, retrying: {}", queue, e.getMessage());
                    failing = true;
                }
                awaitWake(CLAIM_ERROR_PAUSE);
                continue;
            }
            claims.incrementAndGet();
            claimed.addAndGet(jobs.size());
            slots.release(want - jobs.size());
            if (!claiming) {
                handBack(jobs);
                slots.release(jobs.size());
                break;
            }
            for (Job job : jobs) {
                dispatch(job);
            }
            if (jobs.size() < want) {
                awaitWake(options.pollInterval());
            }
        }
    }

    private void awaitWake(Duration timeout) {
        try {
            if (wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(Job job) {
        RunningJob rj = new RunningJob(job, new JobContext(job, options.workerId()));
        running.put(job.id(), rj);
        Thread.ofVirtual().name("fetchq-" + queue + "-" + threadNumber.incrementAndGet()).start(() -> run(rj));
    }

    private void run(RunningJob rj) {
        rj.thread = Thread.currentThread();
        JobResult result;
        try {
            result = handler.handle(rj.context);
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
            rj.thread = null;
        }
        running.remove(rj.job.id());
        if (!rj.abandoned) {
            outcomes.submit(rj.job, result);
        }
        slots.release();
        if (running.isEmpty()) {
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

    /** Stops claiming new jobs; running ones go on. */
    void stopClaiming() {
        claiming = false;
        wake();
        if (subscription != null) {
            subscription.close();
        }
        if (claimLoop != null) {
            try {
                claimLoop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until no job runs, or the deadline (System.nanoTime) passes. @return true if idle */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        idleLock.lock();
        try {
            while (!running.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /** Abandons every job still running (interrupting its handler) and returns their leases. */
    List<Lease> abandonRunning() {
        List<Lease> leases = new ArrayList<>();
        for (RunningJob rj : running.values()) {
            rj.abandon();
            leases.add(rj.job.lease());
        }
        return leases;
    }

    /** Marks jobs whose lease was lost; their handlers are told to stop and their outcomes dropped. */
    void leasesLost(Collection<String> jobIds) {
        for (String id : jobIds) {
            RunningJob rj = running.get(id);
            if (rj != null) {
                log.warn("lost the lease on job {} of queue {} (expired or cancelled); stopping its handler", id, queue);
                rj.abandon();
            }
        }
    }

    private void handBack(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            engine.release(jobs.stream().map(Job::lease).toList());
        } catch (RuntimeException e) {
            log.warn("could not hand back {} job(s) of queue {}; they run again when their lease expires: {}",
                    jobs.size(), queue, e.getMessage());
        }
    }
}
