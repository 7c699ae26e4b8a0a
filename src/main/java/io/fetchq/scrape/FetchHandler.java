package io.fetchq.scrape;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.fetch.FetchException;
import io.fetchq.fetch.FetchRequest;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.Fetcher;
import io.fetchq.store.HostPermit;
import io.fetchq.store.PageValidators;
import io.fetchq.store.ScrapeSettled;
import io.fetchq.store.ScrapeUrlOutcome;
import io.fetchq.store.Store;
import io.fetchq.worker.JobContext;
import io.fetchq.worker.JobHandler;
import io.fetchq.worker.JobResult;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Fetches one canonical URL for every scrape job waiting on it: obeys robots.txt, takes a host slot
 * shared by all nodes (waiting for its reserved start time), fetches (conditionally when a page is
 * stored), keeps the page, and settles the waiting URL rows.
 *
 * <p>Retry rules: network errors, timeouts, and 408/425/429/500/502/503/504/522/524 are retried with the
 * engine's backoff; other statuses fail at once as {@code http_<code>}; robots-disallowed and blocked
 * addresses fail at once with their reason. A 429 or 503 with Retry-After pauses the whole host for that
 * long and puts the URL back without using up an attempt; so do a busy host and an unreadable robots.txt.
 */
public final class FetchHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 425, 429, 500, 502, 503, 504, 522, 524);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(6);

    private final Store store;
    private final Fetcher fetcher;
    private final RobotsCache robots;
    private final HostThrottle throttle;
    private final ScrapeSettings settings;
    private final WebhookOutbox outbox;
    private final ScrapeEvents events;
    private final MeterRegistry metrics;
    private final Map<String, FetchMeters> meters = new ConcurrentHashMap<>();

    public FetchHandler(Store store, Fetcher fetcher, RobotsCache robots, HostThrottle throttle, ScrapeSettings settings,
                        WebhookOutbox outbox, ScrapeEvents events, MeterRegistry metrics) {
        this.store = store;
        this.fetcher = fetcher;
        this.robots = robots;
        this.throttle = throttle;
        this.settings = settings;
        this.outbox = outbox;
        this.events = events;
        this.metrics = metrics;
    }

    /** Fetch latency (request sent to body read) and decoded size, by outcome: 2xx, 3xx, 4xx, 5xx or an error code. */
    private void measured(String outcome, long sentAtNanos, long bytes) {
        FetchMeters m = meters.computeIfAbsent(outcome, this::newMeters);
        m.duration().record(System.nanoTime() - sentAtNanos, TimeUnit.NANOSECONDS);
        if (bytes >= 0) {
            m.size().record(bytes);
        }
    }

    private record FetchMeters(Timer duration, DistributionSummary size) {
    }

    private FetchMeters newMeters(String outcome) {
        return new FetchMeters(
                Timer.builder("fetchq.fetch.duration").tag("outcome", outcome)
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(60)).register(metrics),
                DistributionSummary.builder("fetchq.fetch.size").baseUnit("bytes").tag("outcome", outcome)
                        .publishPercentileHistogram().minimumExpectedValue(256.0).maximumExpectedValue(64.0 * 1024 * 1024)
                        .register(metrics));
    }

    private void settled(ScrapeSettled s) {
        outbox.enqueueDue(s.finished());
        events.settled(s);
    }

    @Override
    public JobResult handle(JobContext ctx) throws Exception {
        FetchTask task = JSON.readValue(ctx.payload(), FetchTask.class);
        String url = task.url();
        String host = CanonicalUrl.hostKey(url);
        PageValidators validators = store.scrapes().scrapeUrlsStart(url).stored();

        Duration crawlDelay = Duration.ZERO;
        if (task.respectRobots()) {
            switch (robots.check(url)) {
                case RobotsCache.Verdict.Unavailable u -> {
                    return JobResult.defer(u.reason(), u.retryIn());
                }
                case RobotsCache.Verdict.Disallowed d -> {
                    return failed(ctx, url, "robots_disallowed", "robots.txt disallows fetching this URL", null, false);
                }
                case RobotsCache.Verdict.Allowed a -> crawlDelay = a.crawlDelay();
            }
        }

        Duration delay = crawlDelay.compareTo(settings.perHostDelay()) > 0 ? crawlDelay : settings.perHostDelay();
        Optional<HostPermit> permit = throttle.acquire(host, settings.perHostConcurrency(), delay);
        if (permit.isEmpty()) {
            return JobResult.defer("host_busy: every slot for " + host + " stayed taken for "
                    + throttle.maxWait().toSeconds() + " s", Duration.ofMillis(500 + ThreadLocalRandom.current().nextInt(1000)));
        }
        if (permit.get().waitBeforeSending().compareTo(throttle.maxWait()) > 0) {
            throttle.release(permit.get());
            return JobResult.defer("host_paused: " + host + " may not be asked before "
                    + permit.get().startIn().toSeconds() + " s from now", permit.get().startIn());
        }

        FetchResponse response;
        // lateness is counted from the earliest moment the reserved start can be (the store's answer may have
        // taken a while to arrive): over-counting only spaces the next request out more, never less
        long startAt = permit.get().earliestStartNanos();
        long sentAt = 0;
        try {
            Thread.sleep(permit.get().waitBeforeSending()); // then send at once: the reserved start is what counts
            sentAt = System.nanoTime();
            response = fetcher.fetch(new FetchRequest(url, validators == null ? null : validators.etag(),
                    validators == null ? null : validators.lastModified(), null));
            sentAt = response.sentAtNanos() != 0 ? response.sentAtNanos() : sentAt;
        } catch (FetchException e) {
            if (sentAt != 0) {
                measured(e.error().code(), sentAt, -1);
            }
            return failed(ctx, url, e.error().code(), e.getMessage(), null, e.error().retryable());
        } finally {
            throttle.started(permit.get(), Duration.ofNanos(Math.max(0, sentAt - startAt)), delay);
            throttle.release(permit.get());
        }

        int code = response.status();
        measured((code / 100) + "xx", sentAt, response.body() == null ? 0 : response.body().length);
        if (response.notModified() && validators != null) {
            store.pages().pageTouch(url);
            return completed(ctx, url, validators.id(), code);
        }
        if (response.isSuccess()) {
            settled(store.scrapes().scrapeUrlsFinish(
                    new ScrapeUrlOutcome(url, "completed", null, code, null, null, ctx.attempt()),
                    PageBuilder.build(url, response), ctx.job().lease()));
            return JobResult.success();
        }
        if ((code == 429 || code == 503) && response.retryAfter() != null) {
            Duration wait = response.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : response.retryAfter();
            throttle.pause(host, wait);
            return JobResult.defer("http_" + code + ": " + host + " asked to wait " + wait.toSeconds() + " s", wait);
        }
        return failed(ctx, url, "http_" + code, "the server answered " + code, code, RETRYABLE_STATUSES.contains(code));
    }

    private JobResult completed(JobContext ctx, String url, String pageId, int code) {
        settled(store.scrapes().scrapeUrlsFinish(
                new ScrapeUrlOutcome(url, "completed", pageId, code, null, null, ctx.attempt()), null, ctx.job().lease()));
        return JobResult.success();
    }

    /**
     * A retryable failure with attempts left is retried and the URL rows keep waiting; anything else is
     * final: the rows fail with the reason, and the fetch job goes dead with the same message.
     */
    private JobResult failed(JobContext ctx, String url, String reason, String message, Integer code, boolean retryable) {
        String error = reason + ": " + message;
        if (retryable && !ctx.job().isLastAttempt()) {
            return JobResult.retry(error);
        }
        String finalMessage = retryable ? message + " (after " + ctx.attempt() + " attempts)" : message;
        settled(store.scrapes().scrapeUrlsFinish(
                new ScrapeUrlOutcome(url, "failed", null, code, finalMessage, reason, ctx.attempt()), null, ctx.job().lease()));
        return JobResult.fail(reason + ": " + finalMessage);
    }
}
