package io.fetchq.queue;

import io.fetchq.queue.maintenance.DueJobScheduler;
import io.fetchq.queue.maintenance.LeaseRescuer;
import io.fetchq.queue.maintenance.RetentionPruner;
import io.fetchq.store.Ids;
import io.fetchq.store.Job;
import io.fetchq.store.JobClaimParams;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobPruneParams;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.Lease;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.Store;
import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable queue engine (DESIGN.md §2): enqueue, claim with a lease, heartbeat, complete, fail with
 * retry or dead-lettering, cancel, requeue, and the background services that keep it honest (the
 * scheduler that promotes due jobs, the rescuer of expired leases, the retention pruner). Both faces of
 * fetchq — scrape jobs and broker queues — are built on it, and it knows nothing of either.
 *
 * <p>Input is validated before anything is written, so a refused batch leaves no trace. Outcomes are
 * fenced by lease tokens in the store: reporting on a lease that is no longer current changes nothing.
 */
public final class QueueEngine implements BackgroundService {
    /** Most jobs one {@link #enqueueMany} call accepts (one transaction). */
    public static final int MAX_BATCH = 10_000;
    /** Most jobs one claim may take. */
    public static final int MAX_CLAIM = 1_000;
    static final int MAX_ERROR_CHARS = 2_000;
    static final int MAX_KEY_CHARS = 512;
    static final Duration MAX_DELAY = Duration.ofDays(365);

    private final Store store;
    private final EngineOptions options;
    private final QueueSignals signals = new QueueSignals();
    private final Map<String, LocalConsumer> localConsumers = new ConcurrentHashMap<>();
    private final DueJobScheduler scheduler;
    private final LeaseRescuer rescuer;
    private final RetentionPruner pruner;

    public QueueEngine(Store store, EngineOptions options) {
        this.store = store;
        this.options = options;
        store.addJobsAvailableListener(signals::signal);
        this.scheduler = new DueJobScheduler(store, this::promoteDue, options.maintenanceBatch(),
                options.schedulerMaxPause());
        this.rescuer = new LeaseRescuer(this::rescueExpired, store::jobNextLeaseExpiryIn, options.maintenanceBatch(),
                options.rescueInterval());
        this.pruner = new RetentionPruner(this::pruneFinished, options.maintenanceBatch(), options.pruneInterval());
    }

    public Store store() {
        return store;
    }

    public EngineOptions options() {
        return options;
    }

    // ---- producing ---------------------------------------------------------------------------------

    /** Enqueues one job. @throws InvalidJobException naming the bad field; nothing is written then */
    public JobInsertResult enqueue(NewJob job) {
        return insert(List.of(validated("", job))).get(0);
    }

    /**
     * Enqueues up to {@link #MAX_BATCH} jobs in one transaction: all are validated first, and one bad job
     * refuses the whole batch.
     *
     * @return one result per job, in order
     * @throws InvalidJobException naming the first bad field ({@code jobs[i].field})
     */
    public List<JobInsertResult> enqueueMany(List<NewJob> jobs) {
        if (jobs.size() > MAX_BATCH) {
            throw new InvalidJobException("jobs", "may hold at most " + MAX_BATCH + " jobs per call, got " + jobs.size());
        }
        List<JobInsert> inserts = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            inserts.add(validated("jobs[" + i + "].", jobs.get(i)));
        }
        return insert(inserts);
    }

    /** Slots an idle local consumer reserved for one insert call, and how many of them were granted. */
    private static final class Reservation {
        final LocalConsumer consumer;
        final int slots;
        int granted;

        Reservation(LocalConsumer consumer, int slots) {
            this.consumer = consumer;
            this.slots = slots;
        }
    }

    /** Inserts validated jobs, granting the first ones of a queue to this node's idle worker for it, if any. */
    private List<JobInsertResult> insert(List<JobInsert> inserts) {
        Map<String, Reservation> reservations = reserveLocalSlots(inserts);
        List<JobInsert> toInsert = new ArrayList<>(inserts.size());
        boolean delayed = false;
        for (JobInsert j : inserts) {
            delayed |= !j.startsAvailable();
            Reservation r = j.startsAvailable() ? reservations.get(j.queue()) : null;
            if (r != null && r.granted < r.slots) {
                r.granted++;
                toInsert.add(j.withGrant(new JobInsert.LeaseGrant(r.consumer.workerId(), r.consumer.lease())));
            } else {
                toInsert.add(j);
            }
        }
        List<JobInsertResult> results;
        try {
            results = store.jobInsertMany(toInsert);
        } catch (RuntimeException e) {
            reservations.values().forEach(r -> r.consumer.handOver(List.of(), r.slots));
            throw e;
        }
        if (!reservations.isEmpty()) {
            Map<String, List<Job>> claimed = new HashMap<>();
            for (JobInsertResult r : results) {
                if (r.claimed() != null) {
                    claimed.computeIfAbsent(r.claimed().queue(), q -> new ArrayList<>()).add(r.claimed());
                }
            }
            reservations.forEach((queue, r) -> r.consumer.handOver(claimed.getOrDefault(queue, List.of()), r.slots));
        }
        if (delayed) {
            scheduler.wake();
        }
        return results;
    }

    /** Asks each queue's idle local consumer for as many slots as the call has jobs starting at once there. */
    private Map<String, Reservation> reserveLocalSlots(List<JobInsert> inserts) {
        if (localConsumers.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> startingNow = new HashMap<>();
        for (JobInsert j : inserts) {
            if (j.startsAvailable() && localConsumers.containsKey(j.queue())) {
                startingNow.merge(j.queue(), 1, Integer::sum);
            }
        }
        Map<String, Reservation> reservations = new HashMap<>();
        startingNow.forEach((queue, n) -> {
            LocalConsumer consumer = localConsumers.get(queue);
            int slots = consumer == null ? 0 : consumer.reserve(n);
            if (slots > 0) {
                reservations.put(queue, new Reservation(consumer, slots));
            }
        });
        return reservations;
    }

    private JobInsert validated(String prefix, NewJob job) {
        if (job == null) {
            throw new InvalidJobException(prefix.isEmpty() ? "job" : prefix.substring(0, prefix.length() - 1),
                    "is missing");
        }
        String queue = QueueNames.check(prefix + "queue", job.queue());
        if (job.payload() == null) {
            throw new InvalidJobException(prefix + "payload", "is required");
        }
        if (utf8LongerThan(job.payload(), options.maxPayloadBytes())) {
            throw new InvalidJobException(prefix + "payload", "must be at most " + options.maxPayloadBytes()
                    + " bytes (UTF-8), got more than that");
        }
        int priority = job.priority() == null ? 5 : job.priority();
        if (priority < 1 || priority > 10) {
            throw new InvalidJobException(prefix + "priority", "must be between 1 (first) and 10 (last), got " + priority);
        }
        int maxAttempts = job.maxAttempts() == null ? options.defaultMaxAttempts() : job.maxAttempts();
        if (maxAttempts < 1 || (maxAttempts > EngineOptions.MAX_ATTEMPTS_LIMIT && maxAttempts != EngineOptions.UNLIMITED_ATTEMPTS)) {
            throw new InvalidJobException(prefix + "max_attempts", "must be between 1 and "
                    + EngineOptions.MAX_ATTEMPTS_LIMIT + ", got " + maxAttempts);
        }
        Duration delay = job.delay() == null ? Duration.ZERO : job.delay();
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new InvalidJobException(prefix + "delay", "must be between 0 and " + MAX_DELAY.toDays()
                    + " days, got " + delay);
        }
        if (job.runAt() != null && !delay.isZero()) {
            throw new InvalidJobException(prefix + "run_at", "cannot be combined with a delay; give one of them");
        }
        checkKey(prefix + "dedupe_key", job.dedupeKey());
        checkKey(prefix + "group", job.groupId());
        return new JobInsert(Ids.newId(), queue, job.payload(), priority, maxAttempts, job.runAt(), delay,
                job.dedupeKey(), job.groupId(), null);
    }

    private static void checkKey(String field, String value) {
        if (value != null && (value.isEmpty() || value.length() > MAX_KEY_CHARS)) {
            throw new InvalidJobException(field, "must be 1-" + MAX_KEY_CHARS + " characters when given, got "
                    + value.length());
        }
    }

    /** @return whether {@code s} takes more than {@code limit} bytes in UTF-8 (without encoding it) */
    public static boolean utf8LongerThan(String s, int limit) {
        if ((long) s.length() * 3 <= limit) {
            return false;
        }
        long n = 0;
        for (int i = 0; i < s.length() && n <= limit; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n > limit;
    }

    // ---- consuming ---------------------------------------------------------------------------------

    /**
     * Claims up to {@code max} available jobs of a queue for {@code workerId}, each under a new lease of
     * {@code lease}, in claim order (priority, then run time).
     */
    public List<Job> claim(String queue, int max, Duration lease, String workerId) {
        QueueNames.check("queue", queue);
        if (max < 1 || max > MAX_CLAIM) {
            throw new InvalidJobException("max", "must be between 1 and " + MAX_CLAIM + ", got " + max);
        }
        if (lease.toMillis() < 1) {
            throw new InvalidJobException("lease", "must be positive, got " + lease);
        }
        List<Job> claimed = store.jobClaim(new JobClaimParams(queue, max, lease, workerId));
        if (!claimed.isEmpty()) {
            rescuer.expectExpiryIn(lease);
        }
        return claimed;
    }

    /**
     * Deletes jobs whose lease is still current: a broker message acknowledged (nothing of it is kept).
     *
     * @return the ids deleted; a lease that is no longer current (expired and rescued, or claimed again) is left out
     */
    public List<String> acknowledge(List<Lease> leases) {
        return store.jobDeleteLeased(leases);
    }

    /**
     * Sets a running job's lease to end {@code after} from now, shorter or longer than it was; zero ends it at
     * once, and the rescuer then makes the job available again (or dead on its last attempt) within
     * milliseconds. A broker message's change of visibility.
     *
     * @return false if the lease is no longer current
     */
    public boolean setLeaseExpiry(Lease lease, Duration after) {
        if (after.isNegative()) {
            throw new InvalidJobException("lease", "must not be negative, got " + after);
        }
        boolean current = !store.jobHeartbeat(List.of(lease), after).isEmpty();
        if (current) {
            rescuer.expectExpiryIn(after);
        }
        return current;
    }

    /** Extends leases. @return the ids whose lease was still current; the others are lost to their holder */
    public List<String> heartbeat(List<Lease> leases, Duration extendBy) {
        return store.jobHeartbeat(leases, extendBy);
    }

    /** Completes the jobs whose lease is still current. @return those completed */
    public TransitionResult complete(List<Lease> leases) {
        return store.jobComplete(leases);
    }

    /**
     * Records failed attempts: a retryable failure with attempts left waits for its backoff in RETRYABLE
     * (the policy's full-jitter delay, or the caller's not-before when later); anything else goes dead.
     */
    public FailResult fail(List<FailedAttempt> failures) {
        List<JobFailure> retry = new ArrayList<>();
        List<JobFailure> dead = new ArrayList<>();
        for (FailedAttempt f : failures) {
            Job job = f.job();
            String error = clip(f.error());
            if (f.retry() == FailedAttempt.Retry.RETRYABLE && !job.isLastAttempt()) {
                Duration delay = options.retryPolicy().delayFor(job.attempt(), f.notBefore());
                retry.add(new JobFailure(job.lease(), error, delay));
            } else {
                dead.add(new JobFailure(job.lease(), error, null));
            }
        }
        TransitionResult retried = store.jobFailRetry(retry);
        TransitionResult died = store.jobFailDead(dead);
        if (retried.count() > 0) {
            scheduler.wake();
        }
        return new FailResult(retried.ids(), died.ids());
    }

    /** Puts running jobs back to wait for {@link Deferral#delay()} without counting the attempt. @return those deferred */
    public TransitionResult defer(List<Deferral> deferrals) {
        List<JobFailure> rows = new ArrayList<>(deferrals.size());
        for (Deferral d : deferrals) {
            rows.add(new JobFailure(d.job().lease(), clip(d.reason()), d.delay().isNegative() ? Duration.ZERO : d.delay()));
        }
        TransitionResult result = store.jobDefer(rows);
        if (result.count() > 0) {
            scheduler.wake();
        }
        return result;
    }

    /** Hands running jobs back unfinished (graceful shutdown): available at once, the attempt not counted. */
    public TransitionResult release(List<Lease> leases) {
        return store.jobRelease(leases);
    }

    /**
     * Lets jobs enqueued on this node be handed straight to {@code consumer} while it is idle (see
     * {@link LocalConsumer}). One consumer per queue per engine; closing the subscription detaches it.
     */
    public QueueSignals.Subscription attachLocalConsumer(String queue, LocalConsumer consumer) {
        if (localConsumers.putIfAbsent(queue, consumer) != null) {
            throw new IllegalStateException("queue " + queue + " already has a local consumer");
        }
        return () -> localConsumers.remove(queue, consumer);
    }

    /**
     * Calls {@code onAvailable} whenever jobs may have become available in {@code queue} (a hint: it may
     * find nothing). It runs on a store thread and must return at once.
     */
    public QueueSignals.Subscription onJobsAvailable(String queue, Runnable onAvailable) {
        return signals.subscribe(queue, onAvailable);
    }

    // ---- managing ----------------------------------------------------------------------------------

    public Optional<Job> get(String id) {
        return store.jobGet(id);
    }

    public List<Job> list(JobListParams params) {
        return store.jobList(params);
    }

    /** Cancels one unfinished job (a running one loses its lease). @return false if it had already finished */
    public boolean cancel(String id) {
        return store.jobCancel(id);
    }

    public TransitionResult cancelGroup(String groupId) {
        return store.jobCancelGroup(groupId);
    }

    /** Cancels the unfinished jobs of a queue that carry any of these dedupe keys. */
    public TransitionResult cancelByDedupeKeys(String queue, java.util.Collection<String> dedupeKeys) {
        return store.jobCancelByDedupeKeys(queue, dedupeKeys);
    }

    /** Sends dead jobs back to their queues with their attempts reset. */
    public TransitionResult requeueDead(JobRequeueParams params) {
        return store.jobRequeueDead(params);
    }

    public List<QueueStateCount> stats() {
        return store.queueStats();
    }

    // ---- maintenance passes (the background services call these; tests may call them directly) -----

    /** Promotes up to {@code limit} due scheduled/retryable jobs to available, waking their workers. */
    public TransitionResult promoteDue(int limit) {
        return store.jobPromoteDue(limit);
    }

    /** Rescues up to {@code limit} jobs whose lease expired: available again, or dead on the last attempt. */
    public TransitionResult rescueExpired(int limit) {
        return store.jobRescueExpired(limit);
    }

    /** Deletes up to {@code limit} finished jobs past retention. @return how many */
    public int pruneFinished(int limit) {
        return store.jobPruneFinished(new JobPruneParams(options.finishedRetention(), options.deadRetention(), limit));
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public String name() {
        return "engine";
    }

    /** Starts the scheduler, the rescuer and the pruner. */
    @Override
    public void start() {
        scheduler.start();
        rescuer.start();
        pruner.start();
    }

    @Override
    public void stop() {
        pruner.stop();
        rescuer.stop();
        scheduler.stop();
    }

    private static String clip(String error) {
        if (error == null || error.isBlank()) {
            return "failed without a message";
        }
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 3) + "...";
    }
}
