package io.fetchq;

import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.queue.EngineOptions;
import io.fetchq.store.Ids;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.RetryPolicy;
import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.Store;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import io.fetchq.store.sqlite.SqliteStore;
import io.fetchq.worker.WorkerOptions;
import io.fetchq.worker.WorkerPool;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One running fetchq node, wired with plain constructors: the store its settings name, the engine on
 * it, and this node's worker pool. The one place that knows every part; closing it stops them in
 * reverse order (workers first, so their last outcomes reach the store).
 */
public final class Node implements AutoCloseable {
    private final Store store;
    private final QueueEngine engine;
    private final WorkerPool workers;

    private Node(Store store, QueueEngine engine, WorkerPool workers) {
        this.store = store;
        this.engine = engine;
        this.workers = workers;
    }

    /**
     * Opens the store, starts the engine's services, lets {@code handlers} register queue handlers on the
     * worker pool, and starts it.
     *
     * @throws io.fetchq.store.StoreOpenException when the database cannot be used
     */
    public static Node start(Settings settings, Consumer<WorkerPool> handlers) {
        Store store = openStore(settings.db(), settings.dbPoolSize(), TimeSource.DATABASE);
        try {
            QueueEngine engine = new QueueEngine(store, engineOptions(settings));
            WorkerPool workers = new WorkerPool(engine, workerOptions(settings, newWorkerId()));
            handlers.accept(workers);
            engine.start();
            workers.start();
            return new Node(store, engine, workers);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public static Store openStore(DbLocation db, int poolSize, TimeSource time) {
        return switch (db) {
            case DbLocation.Sqlite s -> SqliteStore.open(s.file(), time);
            case DbLocation.Postgres p -> PostgresStore.open(
                    new PostgresStore.Options(p.jdbcUrl(), null, poolSize, SchemaPolicy.MIGRATE), time);
        };
    }

    public static EngineOptions engineOptions(Settings s) {
        return EngineOptions.defaults()
                .withRetryPolicy(new RetryPolicy(s.backoffBase(), s.backoffCap()))
                .withDefaultMaxAttempts(s.maxAttempts())
                .withMaxPayloadBytes((int) s.maxPayloadBytes())
                .withRescueInterval(s.rescueInterval())
                .withRetention(s.retention(), s.deadRetention());
    }

    public static WorkerOptions workerOptions(Settings s, String workerId) {
        return WorkerOptions.of(workerId, s.lease(), s.pollInterval(), s.shutdownGrace());
    }

    /** A worker id that tells an operator where a lease is held: {@code host-pid-xxxx}. */
    public static String newWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        String suffix = Ids.newId().substring(0, 4).toLowerCase(Locale.ROOT);
        return host + "-" + pid + "-" + suffix;
    }

    public Store store() {
        return store;
    }

    public QueueEngine engine() {
        return engine;
    }

    public WorkerPool workers() {
        return workers;
    }

    @Override
    public void close() {
        try {
            workers.stop();
            engine.stop();
        } finally {
            store.close();
        }
    }
}
