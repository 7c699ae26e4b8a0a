package io.fetchq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchq.store.Job;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobState;
import io.fetchq.store.sqlite.SqliteStore;
import io.fetchq.testing.MutableTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own rules on top of the store: validation, retry decisions, and its background services. */
class QueueEngineTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final MutableTimeSource clock = new MutableTimeSource();
    private SqliteStore store;
    private QueueEngine engine;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("q.db"), clock);
        engine = new QueueEngine(store, EngineOptions.defaults()
                .withRetryPolicy(new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.5))
                .withMaxPayloadBytes(1024)
                .withRescueInterval(Duration.ofMillis(20))
                .withPruneInterval(Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        engine.stop();
        store.close();
    }

    // ---- validation --------------------------------------------------------------------------------

    @Test
    void invalidJobsAreRefusedNamingTheFieldAndItsRangeAndNothingIsWritten() {
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withPriority(0)), "priority", "between 1 (first) and 10 (last), got 0");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withPriority(11)), "priority", "got 11");
        assertRefused(() -> engine.enqueue(NewJob.of("bad name", "{}")), "queue", "letters, digits");
        assertRefused(() -> engine.enqueue(NewJob.of("x".repeat(81), "{}")), "queue", "1-80");
        assertRefused(() -> engine.enqueue(NewJob.of("q", null)), "payload", "required");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "x".repeat(1025))), "payload", "at most 1024 bytes");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "é".repeat(513))), "payload", "at most 1024 bytes");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withMaxAttempts(0)), "max_attempts", "between 1 and 1000");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withDelay(Duration.ofSeconds(-1))), "delay", "between 0");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withDelay(Duration.ofSeconds(1))
                .withRunAt(clock.now())), "run_at", "cannot be combined");
        assertRefused(() -> engine.enqueue(NewJob.of("q", "{}").withDedupeKey("")), "dedupe_key", "1-512");

        assertThat(engine.stats()).isEmpty();
    }

    @Test
    void aPayloadExactlyAtTheCapIsAccepted() {
        assertThat(engine.enqueue(NewJob.of("q", "x".repeat(1024))).inserted()).isTrue();
        assertThat(engine.enqueue(NewJob.of("q", "é".repeat(512))).inserted()).isTrue();
    }

    @Test
    void oneBadJobRefusesTheWholeBatchAndSaysWhichOne() {
        List<NewJob> batch = List.of(NewJob.of("q", "{}"), NewJob.of("q", "{}"), NewJob.of("q", "{}").withPriority(42));

        assertRefused(() -> engine.enqueueMany(batch), "jobs[2].priority", "got 42");
        assertThat(engine.stats()).isEmpty();
    }

    @Test
    void aBatchOverTenThousandIsRefused() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i <= QueueEngine.MAX_BATCH; i++) {
            batch.add(NewJob.of("q", "{}"));
        }

        assertRefused(() -> engine.enqueueMany(batch), "jobs", "at most 10000");
        assertThat(engine.stats()).isEmpty();
    }

    @Test
    void claimsOutsideTheirLimitsAreRefused() {
        assertRefused(() -> engine.claim("q", 0, LEASE, "w"), "max", "between 1 and 1000");
        assertRefused(() -> engine.claim("q", 1001, LEASE, "w"), "max", "got 1001");
        assertRefused(() -> engine.claim("q q", 1, LEASE, "w"), "queue", "letters");
        assertRefused(() -> engine.claim("q", 1, Duration.ZERO, "w"), "lease", "positive");
    }

    private static void assertRefused(ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    @Test
    void defaultsAreFilledIn() {
        JobInsertResult r = engine.enqueue(NewJob.of("q", "{\"a\":1}"));

        Job job = engine.get(r.id()).orElseThrow();
        assertThat(job.priority()).isEqualTo(5);
        assertThat(job.maxAttempts()).isEqualTo(EngineOptions.DEFAULT_MAX_ATTEMPTS);
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void payloadSizeIsCountedInUtf8Bytes() {
        String tenBytes = "aé€😀"; // 1 + 2 + 3 + 4
        assertThat(QueueEngine.utf8LongerThan(tenBytes, 10)).isFalse();
        assertThat(QueueEngine.utf8LongerThan(tenBytes, 9)).isTrue();
        assertThat(QueueEngine.utf8LongerThan("abc", 100)).isFalse();
        assertThat(QueueEngine.utf8LongerThan("😀".repeat(100), 399)).isTrue();
    }

    // ---- failure decisions -------------------------------------------------------------------------

    @Test
    void aRetryableFailureWithAttemptsLeftWaitsForItsBackoff() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}"));

        FailResult r = engine.fail(List.of(FailedAttempt.retryable(job, "connection reset")));

        Job failed = engine.get(job.id()).orElseThrow();
        assertThat(r.retried()).containsExactly(job.id());
        assertThat(failed.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(failed.runAt()).as("half of the first window (1 s) with the fixed jitter").isEqualTo(clock.now().plusMillis(500));
        assertThat(failed.lastError()).isEqualTo("connection reset");
    }

    @Test
    void theBackoffGrowsWithEachAttempt() {
        String id = engine.enqueue(NewJob.of("q", "{}").withMaxAttempts(5)).id();
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            Job job = engine.claim("q", 1, LEASE, "w").get(0);
            engine.fail(List.of(FailedAttempt.retryable(job, "boom")));
            Job failed = engine.get(id).orElseThrow();
            waits.add(Duration.between(clock.now(), failed.runAt()));
            clock.set(failed.runAt());
            engine.promoteDue(100);
        }

        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));
    }

    @Test
    void aRetryAfterHintLongerThanTheBackoffWins() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}"));

        engine.fail(List.of(new FailedAttempt(job, "http_429", FailedAttempt.Retry.RETRYABLE, Duration.ofMinutes(2))));

        assertThat(engine.get(job.id()).orElseThrow().runAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(2)));
    }

    @Test
    void aFailureOnTheLastAttemptGoesDead() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}").withMaxAttempts(1));

        FailResult r = engine.fail(List.of(FailedAttempt.retryable(job, "timeout")));

        assertThat(r.dead()).containsExactly(job.id());
        assertThat(engine.get(job.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);
    }

    @Test
    void aNonRetryableFailureGoesDeadAtOnceWhateverAttemptsAreLeft() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}").withMaxAttempts(10));

        engine.fail(List.of(FailedAttempt.permanent(job, "http_404")));

        Job dead = engine.get(job.id()).orElseThrow();
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).isEqualTo("http_404");
    }

    @Test
    void longAndEmptyErrorsAreKeptReadable() {
        Job a = enqueueAndClaim(NewJob.of("q", "{}"));
        engine.fail(List.of(FailedAttempt.permanent(a, "x".repeat(10_000))));
        Job b = enqueueAndClaim(NewJob.of("q", "{}"));
        engine.fail(List.of(FailedAttempt.permanent(b, " ")));

        assertThat(engine.get(a.id()).orElseThrow().lastError()).hasSize(QueueEngine.MAX_ERROR_CHARS).endsWith("...");
        assertThat(engine.get(b.id()).orElseThrow().lastError()).isEqualTo("failed without a message");
    }

    private Job enqueueAndClaim(NewJob job) {
        String id = engine.enqueue(job).id();
        List<Job> claimed = engine.claim(job.queue(), 1, LEASE, "w");
        assertThat(claimed).extracting(Job::id).containsExactly(id);
        return claimed.get(0);
    }

    // ---- background services -----------------------------------------------------------------------

    @Test
    void theRescuerReturnsAJobWhoseLeaseExpiredWithoutAnyoneAskingIt() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}"));
        engine.start();

        clock.advance(LEASE.plusSeconds(1));

        awaitState(job.id(), JobState.AVAILABLE);
        assertThat(engine.get(job.id()).orElseThrow().lastError()).contains("lease expired");
    }

    @Test
    void theSchedulerPromotesADelayedJobWhenItsTimeComes() {
        String id = engine.enqueue(NewJob.of("q", "{}").withDelay(Duration.ofMinutes(5))).id();
        engine.start();
        assertThat(engine.get(id).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);

        clock.advance(Duration.ofMinutes(5));

        awaitState(id, JobState.AVAILABLE);
    }

    @Test
    void thePrunerDeletesFinishedJobsPastRetention() {
        Job job = enqueueAndClaim(NewJob.of("q", "{}"));
        engine.complete(List.of(job.lease()));
        String waiting = engine.enqueue(NewJob.of("q", "{}")).id();
        engine.start();

        clock.advance(EngineOptions.DEFAULT_FINISHED_RETENTION.plusSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> engine.get(job.id()).isEmpty());
        assertThat(engine.get(waiting)).isPresent();
    }

    @Test
    void wakeUpsReachSubscribersOfTheQueueOnly() {
        List<String> heard = new ArrayList<>();
        Consumer<String> record = heard::add;
        try (var a = engine.onJobsAvailable("a", () -> record.accept("a"));
             var b = engine.onJobsAvailable("b", () -> record.accept("b"))) {
            engine.enqueue(NewJob.of("a", "{}"));
            assertThat(heard).containsExactly("a");
        }
        engine.enqueue(NewJob.of("a", "{}"));
        assertThat(heard).as("closed subscriptions hear nothing").containsExactly("a");
    }

    /** Records what the engine asks of it, reserving at most {@code free} slots. */
    static final class RecordingConsumer implements LocalConsumer {
        final int free;
        final List<Integer> asked = new ArrayList<>();
        final List<Job> received = new ArrayList<>();
        final List<Integer> reservedBack = new ArrayList<>();

        RecordingConsumer(int free) {
            this.free = free;
        }

        @Override
        public String workerId() {
            return "local-worker";
        }

        @Override
        public Duration lease() {
            return LEASE;
        }

        @Override
        public int reserve(int max) {
            asked.add(max);
            return Math.min(max, free);
        }

        @Override
        public void handOver(List<Job> jobs, int reserved) {
            received.addAll(jobs);
            reservedBack.add(reserved);
        }
    }

    @Test
    void jobsEnqueuedForAnIdleLocalWorkerAreInsertedAlreadyClaimedByIt() {
        RecordingConsumer consumer = new RecordingConsumer(2);
        try (var attached = engine.attachLocalConsumer("local", consumer)) {
            List<NewJob> batch = List.of(NewJob.of("local", "{\"i\":0}"), NewJob.of("local", "{\"i\":1}"),
                    NewJob.of("local", "{\"i\":2}"), NewJob.of("local", "{}").withDelay(Duration.ofMinutes(1)),
                    NewJob.of("elsewhere", "{}"));

            List<JobInsertResult> results = engine.enqueueMany(batch);

            assertThat(consumer.asked).as("asked once, for the jobs that start now").containsExactly(3);
            assertThat(consumer.reservedBack).containsExactly(2);
            assertThat(consumer.received).extracting(Job::id).containsExactly(results.get(0).id(), results.get(1).id());
            assertThat(consumer.received).allMatch(j -> j.state() == JobState.RUNNING && j.attempt() == 1
                    && "local-worker".equals(j.leasedBy()));
            assertThat(engine.get(results.get(2).id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
            assertThat(engine.get(results.get(3).id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
            assertThat(engine.get(results.get(4).id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        }
        engine.enqueue(NewJob.of("local", "{}"));
        assertThat(consumer.asked).as("detached consumers are not asked").hasSize(1);
    }

    @Test
    void aBusyLocalWorkerReservesNothingAndJobsQueueAsUsual() {
        RecordingConsumer busy = new RecordingConsumer(0);
        try (var attached = engine.attachLocalConsumer("busy", busy)) {
            String id = engine.enqueue(NewJob.of("busy", "{}")).id();

            assertThat(engine.get(id).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
            assertThat(busy.received).isEmpty();
            assertThat(busy.reservedBack).as("no hand-over without a reservation").isEmpty();
        }
    }

    private void awaitState(String id, JobState state) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> engine.get(id).orElseThrow().state() == state);
    }
}
