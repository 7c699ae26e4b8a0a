package io.fetchq.scrape;

import io.fetchq.fetch.FetchSettings;
import io.fetchq.fetch.HttpFetcher;
import io.fetchq.queue.BackgroundService;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.Ids;
import io.fetchq.worker.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * The scrape part of a node, wired: the page fetcher and a smaller one for robots.txt, the host throttle,
 * the {@value ScrapeService#FETCH_QUEUE} and {@value ScrapeService#WEBHOOK_QUEUE} handlers, the service
 * clients call, and the reconciler. Start it with the engine; {@link #registerHandlers} before the worker
 * pool starts.
 */
public final class ScrapeFace implements BackgroundService {
    static final String WEBHOOK_SECRET_KEY = "webhook_secret";
    private static final int WEBHOOK_CONCURRENCY = 8;

    private final HttpFetcher pages;
    private final HttpFetcher robotsFetcher;
    private final HttpFetcher webhooks;
    private final FetchHandler fetchHandler;
    private final WebhookHandler webhookHandler;
    private final ScrapeService service;
    private final ScrapeReconciler reconciler;
    private final ScrapeSettings settings;

    /**
     * @param workerId this node's worker id (holder of host slots)
     */
    public ScrapeFace(QueueEngine engine, FetchSettings fetch, ScrapeSettings settings, String workerId, ScrapeEvents events,
                      MeterRegistry metrics) {
        this.settings = settings;
        this.pages = new HttpFetcher(fetch);
        this.robotsFetcher = new HttpFetcher(fetch.withMaxBodyBytes(512 * 1024).withMaxRedirects(5)
                .withTimeouts(fetch.connectTimeout(), Duration.ofSeconds(10), Duration.ofSeconds(15)));
        this.webhooks = new HttpFetcher(fetch.withMaxBodyBytes(64 * 1024)
                .withTimeouts(fetch.connectTimeout(), Duration.ofSeconds(15), Duration.ofSeconds(30)));
        String secret = settings.webhookSecret() != null ? settings.webhookSecret()
                : engine.store().metaGetOrPut(WEBHOOK_SECRET_KEY, Ids.newId() + Ids.newId());
        WebhookOutbox outbox = new WebhookOutbox(engine, settings.webhookAttempts());
        Duration slotLease = fetch.totalTimeout().plus(settings.hostWait()).plusSeconds(30);
        HostThrottle throttle = new HostThrottle(engine.store().hosts(), workerId, slotLease, settings.hostWait());
        this.fetchHandler = new FetchHandler(engine.store(), pages, new RobotsCache(robotsFetcher, "fetchq"), throttle,
                settings, outbox, events, metrics);
        this.webhookHandler = new WebhookHandler(engine.store().scrapes(), webhooks, new WebhookSigner(secret));
        this.service = new ScrapeService(engine, outbox, events);
        this.reconciler = new ScrapeReconciler(engine, outbox, events, settings.reconcileInterval());
    }

    public ScrapeService service() {
        return service;
    }

    public void registerHandlers(WorkerPool workers) {
        workers.register(ScrapeService.FETCH_QUEUE, settings.fetchConcurrency(), fetchHandler);
        workers.register(ScrapeService.WEBHOOK_QUEUE, WEBHOOK_CONCURRENCY, webhookHandler);
    }

    /** Runs one reconciler pass now (tests; operators after an incident). @return URLs repaired */
    public int reconcileNow() {
        return reconciler.repairLostFetches();
    }

    @Override
    public String name() {
        return "scrape";
    }

    @Override
    public void start() {
        reconciler.start();
    }

    @Override
    public void stop() {
        reconciler.stop();
        pages.close();
        robotsFetcher.close();
        webhooks.close();
    }
}
