package io.fetchq.scrape;

import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.ScrapeJobRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns finished jobs whose webhook is due into delivery jobs in the {@code webhook} queue (one per scrape
 * job: the dedupe key makes a second enqueue harmless), then marks them enqueued. The job's "due" mark is
 * written in the same transaction that finished it, so a crash between the two steps only delays the
 * webhook until the reconciler sweeps due ones.
 */
public final class WebhookOutbox {
    private static final Logger log = LoggerFactory.getLogger(WebhookOutbox.class);
    private final QueueEngine engine;
    private final int attempts;

    public WebhookOutbox(QueueEngine engine, int attempts) {
        this.engine = engine;
        this.attempts = attempts;
    }

    public void enqueueDue(List<ScrapeJobRecord> finished) {
        for (ScrapeJobRecord j : finished) {
            if (!"due".equals(j.callbackState())) {
                continue;
            }
            try {
                engine.enqueue(NewJob.of(ScrapeService.WEBHOOK_QUEUE, "{\"job_id\":\"" + j.id() + "\"}")
                        .withDedupeKey("webhook:" + j.id()).withMaxAttempts(attempts));
                engine.store().scrapes().scrapeCallbackEnqueued(j.id());
            } catch (RuntimeException e) {
                log.warn("could not enqueue the webhook of job {} yet (the reconciler retries): {}", j.id(), e.getMessage());
            }
        }
    }
}
