package io.fetchq.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.events.Event;
import io.fetchq.events.EventBus;
import io.fetchq.events.EventKind;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.store.ScrapeJobRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the event bus out to live clients (SSE and WebSocket), one job's or every visible job's. Each
 * client has its own bounded queue, drained by its own virtual thread, so a slow client never holds up
 * the bus or other clients; a client that falls {@value #MAX_QUEUED} events behind is disconnected (it
 * reconnects and re-reads the job). Each delivered event carries the job's counts at that moment.
 */
final class LiveUpdates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_QUEUED = 1_000;

    /** One connected client. {@code jobId} null: every job its owner may see ({@code owner} null: all). */
    static final class Watcher {
        final String jobId;
        final String owner;
        final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
        volatile boolean overflowed;

        Watcher(String jobId, String owner) {
            this.jobId = jobId;
            this.owner = owner;
        }

        /** @return the next message, or null after {@code timeoutMs} without one */
        Message next(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** An event as sent: its kind (the SSE event name) and its JSON. */
    record Message(EventKind kind, String json) {
        /** @return true for the job's last event, after which one-job streams end */
        boolean endsJob() {
            return kind == EventKind.JOB_FINISHED;
        }
    }

    private final ScrapeService scrape;
    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
    private final EventBus.Subscription subscription;

    LiveUpdates(EventBus bus, ScrapeService scrape) {
        this.scrape = scrape;
        this.subscription = bus.subscribe(this::onEvent);
    }

    Watcher watch(String jobId, String owner) {
        Watcher w = new Watcher(jobId, owner);
        watchers.add(w);
        return w;
    }

    void unwatch(Watcher w) {
        watchers.remove(w);
    }

    /** @return the job's {@code job.finished} when it has finished already (a client connecting late), else empty */
    Optional<Message> finishedAlready(String jobId) {
        return scrape.get(jobId).filter(j -> j.finishedAt() != null)
                .map(j -> message(Event.jobFinished(jobId, j.status()), j));
    }

    /** @return the job as stored now, or null */
    ScrapeJobRecord job(String id) {
        return scrape.get(id).orElse(null);
    }

    private void onEvent(Event e) {
        if (watchers.isEmpty()) {
            return;
        }
        Optional<ScrapeJobRecord> job = Optional.empty();
        boolean read = false;
        Message message = null;
        for (Watcher w : watchers) {
            if (w.jobId != null && !w.jobId.equals(e.jobId())) {
                continue;
            }
            if (!read) {
                job = scrape.get(e.jobId());
                read = true;
                message = message(e, job.orElse(null));
            }
            if (w.jobId == null && w.owner != null && (job.isEmpty() || !w.owner.equals(job.get().owner()))) {
                continue;
            }
            if (!w.queue.offer(message)) {
                w.overflowed = true;
            }
        }
    }

    static Message message(Event e, ScrapeJobRecord job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", e.kind().wireName());
        out.put("job_id", e.jobId());
        if (e.kind() == EventKind.URL_FINISHED) {
            out.put("index", e.index());
            out.put("url", e.url());
        }
        out.put("status", e.status());
        if (e.reason() != null) {
            out.put("reason", e.reason());
        }
        out.put("at", e.at().toString());
        if (job != null) {
            out.put("job_status", job.status());
            out.put("counts", Views.job(job).get("counts"));
        }
        try {
            return new Message(e.kind(), JSON.writeValueAsString(out));
        } catch (Exception ex) {
            log.warn("could not serialise an event", ex);
            return new Message(e.kind(), "{}");
        }
    }

    @Override
    public void close() {
        subscription.close();
        watchers.clear();
    }
}
