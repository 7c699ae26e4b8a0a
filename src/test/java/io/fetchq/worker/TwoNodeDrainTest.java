package io.fetchq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.JobState;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import io.fetchq.testing.PgTestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two engine instances ("nodes") with their own pools on one PostgreSQL schema share the work. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodeDrainTest {
    private PgTestDatabase db;

    @BeforeAll
    void createSchema() {
        db = PgTestDatabase.create(TwoNodeDrainTest.class);
    }

    @AfterAll
    void dropSchema() {
        db.close();
    }

    /** One node: its own store (own connection pool and LISTEN connection), engine and workers. */
    private record TestNode(PostgresStore store, QueueEngine engine, WorkerPool pool) implements AutoCloseable {
        static TestNode open(PgTestDatabase db, String name, Duration poll) {
            PostgresStore store = db.openStore(TimeSource.DATABASE, 12);
            QueueEngine engine = new QueueEngine(store, EngineOptions.defaults());
            engine.start();
            WorkerPool pool = new WorkerPool(engine, WorkerOptions.of(name, Duration.ofSeconds(30), poll, Duration.ofSeconds(5)));
            return new TestNode(store, engine, pool);
        }

        @Override
        public void close() {
            pool.stop();
            engine.stop();
            store.close();
        }
    }

    @Test
    void twoNodesWith32WorkersEachRunEveryOneOf20000JobsExactlyOnce() {
        int n = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        AtomicLong byA = new AtomicLong();
        AtomicLong byB = new AtomicLong();
        try (TestNode a = TestNode.open(db, "node-a", Duration.ofSeconds(1));
             TestNode b = TestNode.open(db, "node-b", Duration.ofSeconds(1))) {
            for (int start = 0; start < n; start += 1000) {
                List<NewJob> chunk = new ArrayList<>();
                for (int i = start; i < start + 1000; i++) {
                    chunk.add(NewJob.of("drain", "{\"i\":" + i + "}"));
                }
                a.engine().enqueueMany(chunk);
            }
            a.pool().register("drain", 32, ctx -> {
                runs.incrementAndGet(index(ctx.payload()));
                byA.incrementAndGet();
                return JobResult.success();
            });
            b.pool().register("drain", 32, ctx -> {
                runs.incrementAndGet(index(ctx.payload()));
                byB.incrementAndGet();
                return JobResult.success();
            });
            a.pool().start();
            b.pool().start();

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> count(a.engine(), "drain", JobState.COMPLETED) == n);

            List<Integer> notOnce = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (runs.get(i) != 1) {
                    notOnce.add(i);
                }
            }
            assertThat(notOnce).as("jobs whose handler did not run exactly once").isEmpty();
            assertThat(byA.get() + byB.get()).isEqualTo(n);
            assertThat(byA.get()).as("node A did part of the work").isPositive();
            assertThat(byB.get()).as("node B did part of the work").isPositive();
            assertThat(a.engine().stats()).containsExactly(new QueueStateCount("drain", JobState.COMPLETED, n));
        }
    }

    @Test
    void anIdleWorkerOnOneNodeStartsAJobEnqueuedOnAnotherWithinMilliseconds() {
        try (TestNode producer = TestNode.open(db, "producer", Duration.ofSeconds(1));
             TestNode consumer = TestNode.open(db, "consumer", Duration.ofMinutes(5))) {
            AtomicReference<Instant> startedAt = new AtomicReference<>();
            consumer.pool().register("wake", 1, ctx -> {
                startedAt.set(Instant.now());
                return JobResult.success();
            }).start();
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.pool().claimsMade("wake") >= 1);

            Instant sent = Instant.now();
            producer.engine().enqueue(NewJob.of("wake", "{}"));

            await().atMost(Duration.ofSeconds(10)).until(() -> startedAt.get() != null);
            assertThat(Duration.between(sent, startedAt.get()))
                    .as("woken by NOTIFY, not by its 5-minute poll").isLessThan(Duration.ofSeconds(3));
        }
    }

    static int index(String payload) {
        return Integer.parseInt(payload, 5, payload.length() - 1, 10);
    }

    static long count(QueueEngine engine, String queue, JobState state) {
        return engine.stats().stream().filter(c -> c.queue().equals(queue) && c.state() == state)
                .mapToLong(QueueStateCount::count).sum();
    }
}
