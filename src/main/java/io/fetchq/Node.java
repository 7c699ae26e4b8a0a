package io.fetchq;

import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.events.EventBus;
import io.fetchq.http.ApiMetrics;
import io.fetchq.http.ApiServer;
import io.fetchq.http.HttpSettings;
import io.fetchq.queue.BackgroundService;
import io.fetchq.broker.Broker;
import io.fetchq.scrape.ScrapeEvents;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * it, the event bus, the scrape face, and this node's worker pool and HTTP API (either may be absent). The one place that knows every part; closing it
 * stops them in reverse order (the API, then workers, so their last outcomes reach the store).
 */
public final class Node implements AutoCloseable {
    /** What a node runs: the HTTP API, the workers, or both ({@code fetchq serve}). */
    public enum Role { API, WORKERS }

    private final Store store;
    private final QueueEngine engine;
    private final EventBus events;
    private final ScrapeFace scrape;
    private final Broker broker;
    private final WorkerPool workers;
    private final ApiServer api;

    private Node(Store store, QueueEngine engine, EventBus events, ScrapeFace scrape, Broker broker, WorkerPool workers,
                 ApiServer api) {
        this.broker = broker;
        this.store = store;
        this.engine = engine;
        this.events = events;
        this.scrape = scrape;
        this.workers = workers;
        this.api = api;
    }

    /** A node with workers and no HTTP API (tests, benchmarks). */
    public static Node start(Settings settings, Consumer<WorkerPool> handlers) {
        return start(settings, EnumSet.of(Role.WORKERS), null, handlers);
    }

    /**
     * Opens the store and starts the engine's services, the event bus, the scrape face, and as {@code roles}
     * say the worker pool (the fetch and webhook handlers registered on it, with any extra ones
     * {@code handlers} adds) and the HTTP API.
     *
     * @param http where the API listens; needed with {@link Role#API}
     * @throws io.fetchq.store.StoreOpenException when the database cannot be used
     */
    public static Node start(Settings settings, Set<Role> roles, HttpSettings http, Consumer<WorkerPool> handlers) {
        Store store = openStore(settings.db(), settings.dbPoolSize(),
                settings.migrate() ? SchemaPolicy.MIGRATE : SchemaPolicy.VALIDATE, TimeSource.DATABASE);
        List<BackgroundService> started = new ArrayList<>();
        try {
            String workerId = newWorkerId();
            PrometheusMeterRegistry registry = ApiMetrics.newRegistry();
            QueueEngine engine = new QueueEngine(store, engineOptions(settings));
            EventBus events = new EventBus(store);
            ScrapeFace scrape = new ScrapeFace(engine, fetchSettings(settings), scrapeSettings(settings), workerId,
                    new ScrapeEvents(events), registry);
            WorkerPool workers = null;
            if (roles.contains(Role.WORKERS)) {
                workers = new WorkerPool(engine, workerOptions(settings, workerId));
                scrape.registerHandlers(workers);
                handlers.accept(workers);
            }
            Broker broker = new Broker(engine, Set.of(ScrapeService.FETCH_QUEUE, ScrapeService.WEBHOOK_QUEUE), registry);
            ApiServer api = roles.contains(Role.API)
                    ? new ApiServer(Objects.requireNonNull(http, "http settings"), engine, scrape.service(), broker, workers,
                    events, registry)
                    : null;
            // the API before the workers: a port that is taken stops the node before it claims any work
            for (BackgroundService s : new BackgroundService[] {engine, events, scrape, broker, api, workers}) {
                if (s != null) {
                    s.start();
                    started.add(s);
                }
            }
            return new Node(store, engine, events, scrape, broker, workers, api);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop();
            }
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

    /** @param policy migrate the schema, or only check that it is current */
    public static Store openStore(DbLocation db, int poolSize, SchemaPolicy policy, TimeSource time) {
        return switch (db) {
            case DbLocation.Sqlite s -> SqliteStore.open(s.file(), time, policy);
            case DbLocation.Postgres p -> PostgresStore.open(new PostgresStore.Options(p.jdbcUrl(), null, poolSize, policy), time);
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

    /** @return this node's worker pool, or null when it runs none */
    public WorkerPool workers() {
        return workers;
    }

    /** @return this node's HTTP API, or null when it serves none */
    public ApiServer api() {
        return api;
    }

    public EventBus events() {
        return events;
    }

    public Broker broker() {
        return broker;
    }

    public ScrapeService scrape() {
        return scrape.service();
    }

    @Override
    public void close() {
        try {
            broker.stop(); // ends long polls, so the API stops without waiting for them
            if (api != null) {
                api.stop();
            }
            if (workers != null) {
                workers.stop();
            }
            scrape.stop();
            events.stop();
            engine.stop();
        } finally {
            store.close();
        }
    }
}
