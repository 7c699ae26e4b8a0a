package io.fetchq.worker;

import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The worker JVM that {@link CrashRecoveryTest} kills with SIGKILL. It works queue {@code crash} with 16
 * slots: even-numbered jobs complete at once, odd-numbered ones print {@code stuck <id>} and hang, so it
 * soon holds 16 running jobs it will never finish (plus any it claimed ahead and never started).
 *
 * <p>Arguments: server JDBC URL, schema, worker id, lease in milliseconds.
 */
public final class CrashWorkerMain {
    private CrashWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        PostgresStore store = PostgresStore.open(
                new PostgresStore.Options(args[0], args[1], 4, SchemaPolicy.MIGRATE), TimeSource.DATABASE);
        QueueEngine engine = new QueueEngine(store, EngineOptions.defaults());
        WorkerPool pool = new WorkerPool(engine,
                WorkerOptions.of(args[2], Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(100),
                        Duration.ofSeconds(10)));
        pool.register("crash", 16, ctx -> {
            if (TwoNodeDrainTest.index(ctx.payload()) % 2 == 1) {
                System.out.println("stuck " + ctx.job().id());
                System.out.flush();
                new CountDownLatch(1).await();
            }
            return JobResult.success();
        });
        pool.start();
        System.out.println("worker started");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
