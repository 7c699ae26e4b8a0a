package io.fetchq.scrape;

import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.maintenance.PeriodicService;
import io.fetchq.store.Job;
import io.fetchq.store.JobState;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeUrlOutcome;
import io.fetchq.store.ScrapeSettled;
import io.fetchq.store.ScrapeUrlRecord;
import io.fetchq.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scrape face's safety net, run on every node: URL rows that have waited a while with no unfinished
 * fetch for their URL are settled or given a new fetch, and webhooks left due are enqueued.
 * A fetch that went dead without settling its rows (its worker died on the last attempt, so the lease
 * rescuer killed it) fails them with its last error; a fetch that was never enqueued (a crash between
 * storing the job and enqueueing) or was cancelled while another job still wanted the URL is enqueued
 * again. Idempotency keys older than a day are forgotten. Every step is idempotent, so nodes racing each other do no harm.
 */
public final class ScrapeReconciler extends PeriodicService {
    private static final Logger log = LoggerFactory.getLogger(ScrapeReconciler.class);
    /** Rows younger than this are still between being stored and having their fetch enqueued. */
    static final Duration GRACE = Duration.ofSeconds(30);
    private static final int BATCH = 500;

    private final QueueEngine engine;
    private final Store store;
    private final WebhookOutbox outbox;
    private final Duration interval;

    private final ScrapeEvents events;

    public ScrapeReconciler(QueueEngine engine, WebhookOutbox outbox, ScrapeEvents events, Duration interval) {
        super("reconciler", interval);
        this.engine = engine;
        this.store = engine.store();
        this.outbox = outbox;
        this.events = events;
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        repairLostFetches();
        outbox.enqueueDue(store.scrapes().scrapeCallbacksDue(GRACE, BATCH));
        store.scrapes().idempotencyPrune(ScrapeService.IDEMPOTENCY_TTL, BATCH);
        return interval;
    }

    /** @return how many URLs were settled or given a new fetch */
    int repairLostFetches() {
        List<ScrapeUrlRecord> waiting = store.scrapes().scrapeUrlsWithoutFetch(ScrapeService.FETCH_QUEUE, GRACE, BATCH);
        Set<String> handled = new HashSet<>();
        List<io.fetchq.queue.NewJob> refetch = new ArrayList<>();
        List<ScrapeJobRecord> finished = new ArrayList<>();
        for (ScrapeUrlRecord row : waiting) {
            if (!handled.add(row.canonicalUrl())) {
                continue;
            }
            Optional<Job> last = store.jobLatestByDedupeKey(ScrapeService.FETCH_QUEUE, row.canonicalUrl());
            if (last.isPresent() && last.get().state() == JobState.DEAD && last.get().finishedAt() != null
                    && !last.get().finishedAt().isBefore(row.queuedAt())) {
                String error = last.get().lastError() == null ? "the fetch failed" : last.get().lastError();
                ScrapeSettled settled = store.scrapes().scrapeUrlsFinish(new ScrapeUrlOutcome(row.canonicalUrl(), "failed",
                        null, null, error, reason(error), last.get().attempt()));
                events.settled(settled);
                finished.addAll(settled.finished());
            } else {
                ScrapeOptions options = store.scrapes().scrapeJobGet(row.jobId()).map(ScrapeService::options)
                        .orElse(new ScrapeOptions(row.priority(), ScrapeOptions.DEFAULT_MAX_ATTEMPTS, 0, 0, true));
                refetch.add(ScrapeService.fetch(row.canonicalUrl(), row.priority(), options, row.jobId()));
            }
        }
        if (!refetch.isEmpty()) {
            engine.enqueueMany(refetch);
        }
        outbox.enqueueDue(finished);
        if (!handled.isEmpty()) {
            log.info("repaired {} URL(s) whose fetch was lost: {} failed with their last error, {} fetched again",
                    handled.size(), handled.size() - refetch.size(), refetch.size());
        }
        return handled.size();
    }

    /** The reason code a stored error starts with ({@code http_500: ...}), or {@code fetch_failed}. */
    static String reason(String error) {
        int colon = error.indexOf(':');
        String head = colon > 0 ? error.substring(0, colon) : "";
        if (head.matches("[a-z0-9_]{2,40}")) {
            return head;
        }
        return error.startsWith("lease expired") ? "lease_expired" : "fetch_failed";
    }
}
