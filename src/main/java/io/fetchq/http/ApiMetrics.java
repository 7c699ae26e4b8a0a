package io.fetchq.http;

import io.fetchq.events.Event;
import io.fetchq.events.EventBus;
import io.fetchq.events.EventKind;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.QueueStateCount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * The node's metrics in Prometheus form: URLs submitted, finished URLs by status (fed by the event bus, so
 * they count the whole cluster's work as this node hears of it), the queue depth by queue and state (read
 * from the store when scraped), fetch latency and size as this node's workers see them, HTTP requests by
 * route and status, and the JVM's own.
 */
public final class ApiMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final Counter submitted;
    private final Counter submittedCached;
    private final MultiGauge depth;
    private final QueueEngine engine;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private EventBus.Subscription subscription;

    /** A registry for a node: fetch metrics are recorded in it by the workers, the rest by the API. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public ApiMetrics(PrometheusMeterRegistry registry, QueueEngine engine) {
        this.registry = registry;
        this.engine = engine;
        submitted = Counter.builder("fetchq.urls.submitted").description("URLs accepted in submitted jobs").register(registry);
        submittedCached = Counter.builder("fetchq.urls.cached").description("URLs answered at submit by a fresh stored page")
                .register(registry);
        depth = MultiGauge.builder("fetchq.queue.depth").description("jobs in the engine by queue and state").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Counts finished URLs and jobs as the bus reports them. */
    void listen(EventBus bus) {
        subscription = bus.subscribe(this::count);
    }

    private void count(Event e) {
        String name = e.kind() == EventKind.URL_FINISHED ? "fetchq.urls.finished" : "fetchq.jobs.finished";
        Counter.builder(name).tag("status", e.status() == null ? "unknown" : e.status())
                .tag("reason", e.reason() == null ? "" : e.reason()).register(registry).increment();
    }

    void submitted(int urls, int cached) {
        submitted.increment(urls);
        submittedCached.increment(cached);
    }

    void request(String method, String route, int status, long nanos) {
        String key = method + ' ' + status + ' ' + route;
        Timer t = requestTimers.get(key);
        if (t == null) {
            t = requestTimers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
                    .tags(Tags.of("method", method, "route", route, "status", String.valueOf(status)))
                    .register(registry));
        }
        t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The scrape text, with the queue depth read fresh from the store. */
    String scrape() {
        List<QueueStateCount> stats = engine.stats();
        depth.register(stats.stream()
                .map(s -> MultiGauge.Row.of(Tags.of("queue", s.queue(), "state", s.state().dbName()), s.count()))
                .toList(), true);
        return registry.scrape();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        gc.close();
    }
}
