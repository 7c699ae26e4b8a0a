package io.fetchq;

import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.fetch.AddressPolicy;
import io.fetchq.fetch.FetchSettings;
import io.fetchq.queue.EngineOptions;
import io.fetchq.store.Ids;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.RetryPolicy;
import io.fetchq.scrape.ScrapeFace;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.scrape.ScrapeSettings;
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
 * it, the scrape face, and this node's worker pool. The one place that knows every part; closing it
 * stops them in reverse order (workers first, so their last outcomes reach the store).
 */
public final class Node implements AutoCloseable {
    private final Store store;
    private final QueueEngine engine;
    private final ScrapeFace scrape;
    private final WorkerPool workers;

    private Node(Store store, QueueEngine engine, ScrapeFace scrape, WorkerPool workers) {
        this.store = store;
        this.engine = engine;
        this.scrape = scrape;
        this.workers = workers;
    }

    /**
     * Opens the store and starts the engine's services, the scrape face (its fetch and webhook handlers
     * registered on the worker pool, with any extra ones {@code handlers} adds) and the worker pool.
     *
     * @throws io.fetchq.store.StoreOpenException when the database cannot be used
     */
    public static Node start(Settings settings, Consumer<WorkerPool> handlers) {
        Store store = openStore(settings.db(), settings.dbPoolSize(), TimeSource.DATABASE);
        try {
            String workerId = newWorkerId();
            QueueEngine engine = new QueueEngine(store, engineOptions(settings));
            WorkerPool workers = new WorkerPool(engine, workerOptions(settings, workerId));
            ScrapeFace scrape = new ScrapeFace(engine, fetchSettings(settings), scrapeSettings(settings), workerId);
            scrape.registerHandlers(workers);
            handlers.accept(workers);
            engine.start();
            scrape.start();
            workers.start();
            return new Node(store, engine, scrape, workers);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public static FetchSettings fetchSettings(Settings s) {
        Settings.Fetching f = s.fetching();
        AddressPolicy policy = AddressPolicy.strict().allowPorts(f.allowedPorts());
        if (f.anyPort()) {
            policy = policy.allowAnyPort();
        }
        if (f.allowPrivateNetworks()) {
            policy = policy.allowPrivateNetworks();
        }
        return FetchSettings.defaults(Version.get())
                .withAddressPolicy(policy)
                .withTimeouts(f.connectTimeout(), f.readTimeout(), f.fetchTimeout())
                .withMaxBodyBytes(f.maxBodyBytes())
                .withMaxRedirects(f.maxRedirects())
                .withUserAgent(f.userAgent() != null ? f.userAgent() : FetchSettings.defaultUserAgent(Version.get()));
    }

    public static ScrapeSettings scrapeSettings(Settings s) {
        Settings.Fetching f = s.fetching();
        return ScrapeSettings.defaults(f.webhookSecret())
                .withFetchConcurrency(f.concurrency())
                .withPerHost(f.perHostConcurrency(), f.perHostDelay());
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

    public ScrapeService scrape() {
        return scrape.service();
    }

    @Override
    public void close() {
        try {
            workers.stop();
            scrape.stop();
            engine.stop();
        } finally {
            store.close();
        }
    }
}
