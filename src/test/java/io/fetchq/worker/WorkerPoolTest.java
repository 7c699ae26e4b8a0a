package io.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.InvalidJobException;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.RetryPolicy;
import io.fetchq.store.Job;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobState;
import io.fetchq.store.TimeSource;
import io.fetchq.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker pool on a real SQLite store with real time: running, retrying, heartbeats, shutdown. */
class WorkerPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SqliteStore store;
    private QueueEngine engine;
    private final List<WorkerPool> pools = new ArrayList<>();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("w.db"), TimeSource.DATABASE);
        engine = new QueueEngine(store, EngineOptions.defaults()
                .withRetryPolicy(new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)))
                .withRescueInterval(Duration.ofMillis(50)));
        engine.start();
    }

    @AfterEach
    void close() {
        pools.forEach(WorkerPool::stop);
        engine.stop();
        store.close();
    }

    private WorkerPool pool(Duration lease, Duration poll, Duration grace) {
        WorkerPool p = new WorkerPool(engine, WorkerOptions.of("w" + pools.size(), lease, poll, grace));
        pools.add(p);
        return p;
    }

    private WorkerPool pool() {
        return pool(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    private Job job(String id) {
        return engine.get(id).orElseThrow();
    }

    private void awaitState(String id, JobState state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(job(id).state()).isEqualTo(state));
    }

    @Test
    void everyJobRunsExactlyOnceAndNeverAboveTheConcurrencyLimit() {
        int n = 1_000;
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(NewJob.of("work", "{\"i\":" + i + "}"));
        }
        engine.enqueueMany(batch);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        pool().register("work", 8, ctx -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            runs.computeIfAbsent(ctx.job().id(), k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(1); // a little work, so that handlers overlap
            now.decrementAndGet();
            return JobResult.success();
        }).start();

        await().atMost(WAIT).until(() -> completed("work") == n);

        assertThat(runs).hasSize(n);
        assertThat(runs.values()).allMatch(c -> c.get() == 1);
        assertThat(peak.get()).isBetween(2, 8);
    }

    private long completed(String queue) {
        return engine.stats().stream()
                .filter(c -> c.queue().equals(queue) && c.state() == JobState.COMPLETED)
                .mapToLong(c -> c.count()).sum();
    }

    @Test
    void aThrowingHandlerIsRetriedWithBackoffUntilItsAttemptsRunOutThenDeadLettered() {
        String id = engine.enqueue(NewJob.of("flaky", "{}").withMaxAttempts(3)).id();
        AtomicInteger attempts = new AtomicInteger();
        pool().register("flaky", 2, ctx -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("upstream said no (attempt " + ctx.attempt() + ")");
        }).start();

        awaitState(id, JobState.DEAD);

        Job dead = job(id);
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(dead.attempt()).isEqualTo(3);
        assertThat(dead.lastError()).isEqualTo("IllegalStateException: upstream said no (attempt 3)");
    }

    @Test
    void aPermanentFailureGoesDeadAfterOneAttempt() {
        String id = engine.enqueue(NewJob.of("strict", "{}").withMaxAttempts(5)).id();
        pool().register("strict", 1, ctx -> JobResult.fail("http_404: not found")).start();

        awaitState(id, JobState.DEAD);

        assertThat(job(id).attempt()).isEqualTo(1);
        assertThat(job(id).lastError()).isEqualTo("http_404: not found");
    }

    @Test
    void aRetryAfterHintPostponesTheNextAttempt() {
        String id = engine.enqueue(NewJob.of("polite", "{}")).id();
        AtomicReference<Instant> failedAt = new AtomicReference<>();
        pool().register("polite", 1, ctx -> {
            failedAt.set(Instant.now());
            return JobResult.retryAfter("http_429", Duration.ofHours(1));
        }).start();

        awaitState(id, JobState.RETRYABLE);

        assertThat(job(id).runAt()).isAfter(failedAt.get().plus(Duration.ofMinutes(59)));
        assertThat(job(id).lastError()).isEqualTo("http_429");
    }

    @Test
    void aDeferredJobWaitsWithoutUsingUpAnAttempt() {
        String id = engine.enqueue(NewJob.of("paused", "{}").withMaxAttempts(1)).id();
        pool().register("paused", 1, ctx -> JobResult.defer("host paused: http_503", Duration.ofHours(1))).start();

        awaitState(id, JobState.RETRYABLE);

        assertThat(job(id).attempt()).as("its only attempt is still ahead of it").isZero();
        assertThat(job(id).lastError()).isEqualTo("host paused: http_503");
    }

    @Test
    void heartbeatsKeepALongJobLeasedPastItsFirstLease() throws Exception {
        String id = engine.enqueue(NewJob.of("long", "{}")).id();
        CountDownLatch release = new CountDownLatch(1);
        pool(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5))
                .register("long", 1, ctx -> {
                    release.await();
                    return JobResult.success();
                }).start();
        awaitState(id, JobState.RUNNING);
        Instant firstExpiry = job(id).leaseExpiresAt();

        await().atMost(WAIT).until(() -> job(id).leaseExpiresAt().isAfter(firstExpiry.plusMillis(1500)));
        release.countDown();

        awaitState(id, JobState.COMPLETED);
        assertThat(job(id).attempt()).as("never rescued, although it outlived its first lease").isEqualTo(1);
    }

    @Test
    void aLostLeaseStopsTheHandlerAndItsOutcomeIsDropped() {
        String id = engine.enqueue(NewJob.of("doomed", "{}")).id();
        AtomicBoolean sawCancel = new AtomicBoolean();
        CountDownLatch handlerDone = new CountDownLatch(1);
        pool(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(5))
                .register("doomed", 1, ctx -> {
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        sawCancel.set(ctx.isCancelled());
                    } finally {
                        handlerDone.countDown();
                    }
                    return JobResult.success();
                }).start();
        awaitState(id, JobState.RUNNING);

        assertThat(engine.cancel(id)).isTrue();

        await().atMost(WAIT).until(() -> handlerDone.getCount() == 0);
        assertThat(sawCancel).isTrue();
        assertThat(job(id).state()).as("the handler's success after cancel is not recorded").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void stoppingWaitsForRunningJobsWithinTheGrace() throws Exception {
        String id = engine.enqueue(NewJob.of("finishing", "{}")).id();
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool p = pool(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(20));
        p.register("finishing", 1, ctx -> {
            release.await();
            return JobResult.success();
        }).start();
        awaitState(id, JobState.RUNNING);

        Thread stopper = Thread.ofPlatform().start(p::stop);
        release.countDown();
        stopper.join(WAIT.toMillis());

        assertThat(stopper.isAlive()).isFalse();
        assertThat(job(id).state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void stoppingHandsBackJobsStillRunningAfterTheGraceSoAnotherWorkerTakesThemAtOnce() {
        String id = engine.enqueue(NewJob.of("stuck", "{}")).id();
        AtomicBoolean interrupted = new AtomicBoolean();
        WorkerPool first = pool(Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofMillis(300));
        first.register("stuck", 1, ctx -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return JobResult.success();
        }).start();
        awaitState(id, JobState.RUNNING);

        first.stop();

        Job handedBack = job(id);
        assertThat(interrupted).isTrue();
        assertThat(handedBack.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(handedBack.attempt()).as("a handed-back attempt does not count").isZero();

        pool().register("stuck", 1, ctx -> JobResult.success()).start();
        awaitState(id, JobState.COMPLETED);
        assertThat(job(id).attempt()).isEqualTo(1);
    }

    @Test
    void anIdleWorkerStartsAJobAsSoonAsItIsEnqueuedNotAtItsNextPoll() {
        AtomicReference<Instant> startedAt = new AtomicReference<>();
        WorkerPool p = pool(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(5));
        p.register("eager", 1, ctx -> {
            startedAt.set(Instant.now());
            return JobResult.success();
        }).start();
        await().atMost(WAIT).until(() -> p.claimsMade("eager") >= 1);

        Instant enqueuedAt = Instant.now();
        String id = engine.enqueue(NewJob.of("eager", "{}")).id();

        awaitState(id, JobState.COMPLETED);
        assertThat(Duration.between(enqueuedAt, startedAt.get())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anIdleWorkerTakesAJobEnqueuedOnItsNodeWithoutAClaim() {
        AtomicReference<String> ranOn = new AtomicReference<>();
        WorkerPool p = pool(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(5));
        p.register("direct", 2, ctx -> {
            ranOn.set(ctx.job().leasedBy());
            return JobResult.success();
        }).start();
        await().atMost(WAIT).until(() -> p.claimsMade("direct") >= 1);
        long claimsBefore = p.claimsMade("direct");

        String id = engine.enqueue(NewJob.of("direct", "{}")).id();

        awaitState(id, JobState.COMPLETED);
        assertThat(ranOn.get()).isEqualTo(p.workerId());
        assertThat(job(id).attempt()).isEqualTo(1);
        assertThat(p.claimsMade("direct")).as("handed over at insert, not claimed").isEqualTo(claimsBefore);
    }

    @Test
    void aBusyWorkerLeavesNewJobsInTheQueueForTheClaimOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool p = pool(Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(5));
        p.register("busy", 1, ctx -> {
            release.await();
            return JobResult.success();
        }).start();
        await().atMost(WAIT).until(() -> p.claimsMade("busy") >= 1);
        String first = engine.enqueue(NewJob.of("busy", "{}")).id();
        awaitState(first, JobState.RUNNING);

        String second = engine.enqueue(NewJob.of("busy", "{}")).id();

        assertThat(job(second).state()).as("no free slot, so it waits its turn").isEqualTo(JobState.AVAILABLE);
        release.countDown();
        awaitState(second, JobState.COMPLETED);
    }

    @Test
    void aDelayedJobRunsWhenDueAndNotBefore() {
        AtomicReference<Instant> startedAt = new AtomicReference<>();
        pool().register("later", 1, ctx -> {
            startedAt.set(Instant.now());
            return JobResult.success();
        }).start();

        String id = engine.enqueue(NewJob.of("later", "{}").withDelay(Duration.ofMillis(700))).id();
        Instant runAt = job(id).runAt();

        awaitState(id, JobState.COMPLETED);
        assertThat(startedAt.get()).isAfterOrEqualTo(runAt);
        assertThat(Duration.between(runAt, startedAt.get())).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void slowHandlersDoNotHoardJobsOtherNodesCouldRun() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batch.add(NewJob.of("slow", "{}"));
        }
        engine.enqueueMany(batch);
        pool().register("slow", 2, ctx -> {
            Thread.sleep(150); // the work itself: a slow fetch
            return JobResult.success();
        }).start();

        AtomicLong most = new AtomicLong();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            most.accumulateAndGet(count("slow", JobState.RUNNING), Math::max);
            return completed("slow") == 12;
        });

        assertThat(most.get()).as("jobs leased at once by a worker with 2 slots of slow handlers").isBetween(1L, 3L);
    }

    @Test
    void stoppingHandsBackClaimedButUnstartedJobsAtOnce() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(NewJob.of("ahead", "{\"i\":" + i + "}"));
        }
        engine.enqueueMany(batch);
        WorkerPool p = new WorkerPool(engine, WorkerOptions.of("ahead", Duration.ofMinutes(5), Duration.ofMillis(200),
                Duration.ofMillis(200)).withPrefetchPerSlot(8));
        pools.add(p);
        p.register("ahead", 1, ctx -> {
            if (TwoNodeDrainTest.index(ctx.payload()) >= 150) {
                new CountDownLatch(1).await(); // hangs until the pool gives up on it
            }
            return JobResult.success();
        }).start();
        await().atMost(WAIT).until(() -> count("ahead", JobState.RUNNING) >= 2);

        p.stop();

        assertThat(count("ahead", JobState.RUNNING)).isZero();
        long available = count("ahead", JobState.AVAILABLE);
        assertThat(available + completed("ahead")).isEqualTo(300);
        assertThat(engine.list(new JobListParams("ahead", JobState.AVAILABLE, null, null, 300)))
                .as("handed-back jobs keep their attempts").allMatch(j -> j.attempt() == 0);
    }

    private long count(String queue, JobState state) {
        return engine.stats().stream().filter(c -> c.queue().equals(queue) && c.state() == state)
                .mapToLong(c -> c.count()).sum();
    }

    @Test
    void registeringRefusesBadConcurrencyAndDuplicateQueues() {
        WorkerPool p = pool();
        assertThatThrownBy(() -> p.register("q", 0, ctx -> null))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("concurrency must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> p.register("q", -3, ctx -> null)).hasMessageContaining("got -3");
        assertThatThrownBy(() -> p.register("bad/name", 1, ctx -> null)).hasMessageContaining("queue");
        p.register("q", 1, ctx -> null);
        assertThatThrownBy(() -> p.register("q", 1, ctx -> null)).hasMessageContaining("already has a handler");
    }
}
