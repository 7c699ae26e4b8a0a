package io.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.Job;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobState;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import io.fetchq.testing.PgTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate worker JVM holding leases is killed with SIGKILL; once its leases expire, another node
 * finishes all its jobs. Nothing is lost, and no job the dead worker completed runs again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {
    private static final String CRASHED = "crashed-worker";
    private static final int N = 200;

    private PgTestDatabase db;

    @BeforeAll
    void createSchema() {
        db = PgTestDatabase.create(CrashRecoveryTest.class);
    }

    @AfterAll
    void dropSchema() {
        db.close();
    }

    @Test
    void aWorkerKilledWithSigkillLosesNoJobAndNoJobCompletesTwice(@TempDir Path tmp) throws Exception {
        try (PostgresStore store = db.openStore(TimeSource.DATABASE)) {
            QueueEngine engine = new QueueEngine(store, EngineOptions.defaults().withRescueInterval(Duration.ofMillis(100)));
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                jobs.add(NewJob.of("crash", "{\"i\":" + i + "}"));
            }
            engine.enqueueMany(jobs);

            Path log = tmp.resolve("worker.log");
            Process worker = startWorkerJvm(log);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> stuckHandlers(log) == 16);
            } catch (RuntimeException e) {
                throw new AssertionError("the worker JVM did not get 16 handlers stuck; its log:\n"
                        + Files.readString(log), e);
            } finally {
                worker.destroyForcibly();
            }
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

            Set<String> held = heldBy(store, CRASHED);
            Set<String> completedByCrashed = completedBy(store, CRASHED);
            assertThat(held).as("its 16 hung jobs, and any it had claimed ahead").hasSizeGreaterThanOrEqualTo(16);
            assertThat(completedByCrashed).as("it finished some jobs before dying").isNotEmpty();

            Map<String, AtomicInteger> survivorRuns = new ConcurrentHashMap<>();
            WorkerPool survivor = new WorkerPool(engine, WorkerOptions.of("survivor", Duration.ofSeconds(30),
                    Duration.ofMillis(200), Duration.ofSeconds(5)));
            survivor.register("crash", 16, ctx -> {
                survivorRuns.computeIfAbsent(ctx.job().id(), k -> new AtomicInteger()).incrementAndGet();
                return JobResult.success();
            });
            engine.start();
            survivor.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> completedCount(engine) == N);
            } finally {
                survivor.stop();
                engine.stop();
            }

            assertThat(engine.stats()).containsExactly(new QueueStateCount("crash", JobState.COMPLETED, N));
            assertThat(survivorRuns.values()).allMatch(c -> c.get() == 1);
            assertThat(survivorRuns.keySet()).as("jobs the dead worker completed never run again")
                    .doesNotContainAnyElementsOf(completedByCrashed);
            Set<String> everyone = new HashSet<>(completedByCrashed);
            everyone.addAll(survivorRuns.keySet());
            assertThat(everyone).hasSize(N);
            assertThat(survivorRuns.keySet()).containsAll(held);
            for (String id : held) {
                Job j = engine.get(id).orElseThrow();
                assertThat(j.attempt()).as("rescued after the crash and run a second time").isEqualTo(2);
                assertThat(j.lastError()).as("why it ran again").contains("lease expired").contains(CRASHED);
                assertThat(j.leasedBy()).isEqualTo("survivor");
            }
        }
    }

    private Process startWorkerJvm(Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), CrashWorkerMain.class.getName(),
                db.url(), db.schema(), CRASHED, "2000");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    private static long stuckHandlers(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("stuck ")).count() : 0;
    }

    private static Set<String> heldBy(PostgresStore store, String worker) {
        return jobs(store, JobState.RUNNING).stream().filter(j -> worker.equals(j.leasedBy())).map(Job::id)
                .collect(Collectors.toSet());
    }

    private static Set<String> completedBy(PostgresStore store, String worker) {
        return jobs(store, JobState.COMPLETED).stream().filter(j -> worker.equals(j.leasedBy())).map(Job::id)
                .collect(Collectors.toSet());
    }

    private static List<Job> jobs(PostgresStore store, JobState state) {
        return store.jobList(new JobListParams("crash", state, null, null, 1000));
    }

    private static long completedCount(QueueEngine engine) {
        return engine.stats().stream().filter(c -> c.state() == JobState.COMPLETED).mapToLong(QueueStateCount::count).sum();
    }
}
