package io.fetchq.scrape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.queue.Batcher;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.IdempotencyClaim;
import io.fetchq.store.Ids;
import io.fetchq.store.Page;
import io.fetchq.store.PageValidators;
import io.fetchq.store.ScrapeCancel;
import io.fetchq.store.ScrapeJobInsert;
import io.fetchq.store.ScrapeJobRead;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeUrlRecord;
import io.fetchq.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The scrape face (DESIGN.md §3): submit 1 … 10,000 URLs as a job, read its status and results, cancel it,
 * retry its failed URLs. Each URL that needs fetching becomes one job in the engine's {@value #FETCH_QUEUE}
 * queue whose dedupe key is the canonical URL, so a URL already being fetched for another job is not
 * fetched twice; a URL whose stored page is fresh enough completes at once as cached.
 *
 * <p>Submitting stores the job and its URL rows first and enqueues the fetches second: a fetch can then
 * never finish before the rows it must settle exist, and a crash in between is repaired by the reconciler.
 */
public final class ScrapeService {
    public static final String FETCH_QUEUE = "fetch";
    public static final String WEBHOOK_QUEUE = "webhook";
    public static final int MAX_URLS = 10_000;
    /** How long an idempotency key of a submission is remembered. */
    public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
    /** A key claimed this long ago whose job was never stored belonged to a request that died. */
    static final Duration ABANDONED_CLAIM = Duration.ofMinutes(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an idempotent submission did: created the job, or found the one an earlier request created. */
    public record Submitted(ScrapeJobRecord job, boolean created) {
    }

    /** An idempotency key was used before with a different request. */
    public static final class KeyReusedException extends IllegalStateException {
        public KeyReusedException(String message) {
            super(message);
        }
    }

    /** The job exists but the operation does not apply to it any more (cancel a finished job, retry a cancelled one). */
    public static final class ConflictException extends IllegalStateException {
        public ConflictException(String message) {
            super(message);
        }
    }

    private final QueueEngine engine;
    private final Store store;
    private final WebhookOutbox outbox;

    private final ScrapeEvents events;
    private final Batcher<Prepared, ScrapeJobRecord> batcher;

    public ScrapeService(QueueEngine engine, WebhookOutbox outbox, ScrapeEvents events) {
        this.engine = engine;
        this.store = engine.store();
        this.outbox = outbox;
        this.events = events;
        // One round at a time: everything that queued meanwhile goes into the next round, so rounds grow with
        // the load (three statements each, whatever they hold). Four rounds at once made smaller ones that
        // competed for the same two cores: 1,500-1,700 against 2,500-3,000 submissions/s on PostgreSQL.
        this.batcher = new Batcher<>(this::store, p -> p.canonical().size(), MAX_URLS, 1);
    }

    // ---- submit ------------------------------------------------------------------------------------

    /**
     * Validates everything first (every bad URL and option is reported together; nothing is stored then),
     * stores the job, and enqueues a fetch for every URL without a fresh page. Concurrent submissions are
     * stored together ({@link Batcher}).
     *
     * @throws InvalidSubmissionException listing every problem
     */
    public ScrapeJobRecord submit(ScrapeSubmission s) {
        return submit(s, Ids.newId());
    }

    /**
     * Submits at most once per idempotency key and owner (for {@link #IDEMPOTENCY_TTL}): a repeat of the same
     * request returns the job the first one created, even while that one is still being stored.
     *
     * @param requestSha256 identifies the request (its body); the same key with another request is refused
     * @throws KeyReusedException         when the key came with a different request before
     * @throws InvalidSubmissionException listing every problem (the key is not used up then)
     */
    public Submitted submitIdempotent(ScrapeSubmission s, String key, String requestSha256) {
        String owner = s.owner() == null ? "" : s.owner();
        String id = Ids.newId();
        Optional<IdempotencyClaim> earlier = store.scrapes().idempotencyClaim(owner, key, requestSha256, id);
        if (earlier.isPresent() && get(earlier.get().jobId()).isEmpty()
                && earlier.get().claimedAt().isBefore(store.now().minus(ABANDONED_CLAIM))) {
            // the request that claimed the key died before storing its job: this one takes the key over
            store.scrapes().idempotencyRelease(owner, key, earlier.get().jobId());
            earlier = store.scrapes().idempotencyClaim(owner, key, requestSha256, id);
        }
        if (earlier.isPresent()) {
            if (!earlier.get().requestSha256().equals(requestSha256)) {
                throw new KeyReusedException("Idempotency-Key '" + key + "' was already used with a different request");
            }
            return new Submitted(awaitJob(earlier.get().jobId()), false);
        }
        try {
            return new Submitted(submit(s, id), true);
        } catch (RuntimeException e) {
            store.scrapes().idempotencyRelease(owner, key, id);
            throw e;
        }
    }

    /** The job an earlier request with the same key is creating; it may still be being stored. */
    private ScrapeJobRecord awaitJob(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<ScrapeJobRecord> job = get(id);
            if (job.isPresent()) {
                return job.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ConflictException("the first request with this Idempotency-Key has not finished storing job "
                        + id + "; try again shortly");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConflictException("interrupted while waiting for job " + id);
            }
        }
    }

    private ScrapeJobRecord submit(ScrapeSubmission s, String id) {
        List<String> canonical = new ArrayList<>(s.urls() == null ? 0 : s.urls().size());
        ScrapeOptions options = validate(s, canonical);
        return batcher.submit(new Prepared(s, id, canonical, options));
    }

    /** A submission checked and ready to store under its id. */
    private record Prepared(ScrapeSubmission submission, String id, List<String> canonical, ScrapeOptions options) {
    }

    /**
     * Stores a batch of submissions (see {@link Batcher}): one lookup of the stored pages of all their
     * URLs, one transaction for all jobs and URL rows, then one enqueue of every fetch needed.
     */
    private List<ScrapeJobRecord> store(List<Prepared> batch) {
        List<String> lookups = new ArrayList<>();
        for (Prepared p : batch) {
            if (p.options().maxAgeSeconds() > 0) {
                lookups.addAll(p.canonical());
            }
        }
        Map<String, PageValidators> pages = lookups.isEmpty() ? Map.of() : store.pages().pageValidators(lookups);
        Instant now = pages.isEmpty() ? null : store.now();
        List<ScrapeJobInsert> inserts = new ArrayList<>(batch.size());
        List<NewJob> fetches = new ArrayList<>();
        for (Prepared p : batch) {
            ScrapeSubmission s = p.submission();
            ScrapeOptions options = p.options();
            Instant freshAfter = now == null ? null : now.minusSeconds(options.maxAgeSeconds());
            List<ScrapeUrlRecord> rows = new ArrayList<>(p.canonical().size());
            int cached = 0;
            for (int i = 0; i < p.canonical().size(); i++) {
                UrlSpec spec = s.urls().get(i);
                String url = p.canonical().get(i);
                int priority = spec.priority() != null ? spec.priority() : options.priority();
                PageValidators page = options.maxAgeSeconds() > 0 ? pages.get(url) : null;
                boolean fresh = page != null && !page.fetchedAt().isBefore(freshAfter);
                if (fresh) {
                    cached++;
                } else {
                    fetches.add(fetch(url, priority, options, p.id()));
                }
                rows.add(new ScrapeUrlRecord(p.id(), i, spec.url().strip(), url, priority, spec.metadataJson(),
                        fresh ? "completed" : "queued", fresh ? page.id() : null, fresh, fresh ? 200 : null, null, null,
                        0, null, null, null));
            }
            int queued = rows.size() - cached;
            inserts.add(new ScrapeJobInsert(new ScrapeJobRecord(p.id(), s.owner(), rows.size(), queued, 0, cached, 0, 0,
                    cached, json(options), s.metadataJson(), s.callbackUrl(), null, false, null, null), rows));
        }
        List<ScrapeJobRecord> jobs = store.scrapes().scrapeJobInsertMany(inserts);
        for (int from = 0; from < fetches.size(); from += QueueEngine.MAX_BATCH) {
            engine.enqueueMany(fetches.subList(from, Math.min(fetches.size(), from + QueueEngine.MAX_BATCH)));
        }
        List<ScrapeJobRecord> finished = jobs.stream().filter(j -> j.finishedAt() != null).toList();
        if (!finished.isEmpty()) {
            outbox.enqueueDue(finished);
            events.finished(finished);
        }
        return jobs;
    }

    static NewJob fetch(String canonicalUrl, int priority, ScrapeOptions options, String groupId) {
        NewJob job = NewJob.of(FETCH_QUEUE, json(new FetchTask(canonicalUrl, options.respectRobots())))
                .withPriority(priority)
                .withMaxAttempts(options.maxAttempts())
                .withDedupeKey(canonicalUrl)
                .withGroup(groupId);
        return options.delaySeconds() > 0 ? job.withDelay(Duration.ofSeconds(options.delaySeconds())) : job;
    }

    /** @param canonical receives the canonical form of every URL, in order (when nothing is wrong) */
    private static ScrapeOptions validate(ScrapeSubmission s, List<String> canonical) {
        List<InvalidSubmissionException.Problem> problems = new ArrayList<>();
        if (s.urls() == null || s.urls().isEmpty()) {
            problems.add(new InvalidSubmissionException.Problem("urls", -1, null, "must hold at least one URL"));
        } else if (s.urls().size() > MAX_URLS) {
            problems.add(new InvalidSubmissionException.Problem("urls", -1, null,
                    "may hold at most " + MAX_URLS + " URLs, got " + s.urls().size()));
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < s.urls().size(); i++) {
                UrlSpec u = s.urls().get(i);
                String field = "urls[" + i + "]";
                if (u == null || u.url() == null) {
                    problems.add(new InvalidSubmissionException.Problem(field, i, null, "is missing"));
                    continue;
                }
                CanonicalUrl.Parsed parsed = CanonicalUrl.parse(u.url());
                if (!parsed.ok()) {
                    problems.add(new InvalidSubmissionException.Problem(field, i, u.url(), parsed.problem()));
                    continue;
                }
                canonical.add(parsed.canonical());
                Integer first = seen.putIfAbsent(parsed.canonical(), i);
                if (first != null) {
                    problems.add(new InvalidSubmissionException.Problem(field, i, u.url(),
                            "is the same URL as urls[" + first + "]"));
                }
                if (u.priority() != null && (u.priority() < 1 || u.priority() > 10)) {
                    problems.add(new InvalidSubmissionException.Problem(field + ".priority", i, u.url(),
                            "must be between 1 and 10, got " + u.priority()));
                }
                if (u.metadataJson() != null && u.metadataJson().length() > 16_384) {
                    problems.add(new InvalidSubmissionException.Problem(field + ".metadata", i, u.url(),
                            "must be at most 16 KiB of JSON"));
                }
            }
        }
        int priority = s.priority() == null ? ScrapeOptions.DEFAULT_PRIORITY : s.priority();
        if (priority < 1 || priority > 10) {
            problems.add(new InvalidSubmissionException.Problem("priority", -1, null, "must be between 1 and 10, got " + priority));
        }
        int attempts = s.maxAttempts() == null ? ScrapeOptions.DEFAULT_MAX_ATTEMPTS : s.maxAttempts();
        if (attempts < 1 || attempts > 20) {
            problems.add(new InvalidSubmissionException.Problem("max_attempts", -1, null, "must be between 1 and 20, got " + attempts));
        }
        long maxAge = s.maxAgeSeconds() == null ? ScrapeOptions.DEFAULT_MAX_AGE_SECONDS : s.maxAgeSeconds();
        if (maxAge < 0) {
            problems.add(new InvalidSubmissionException.Problem("max_age_seconds", -1, null, "must not be negative, got " + maxAge));
        }
        long delay = s.delaySeconds() == null ? 0 : s.delaySeconds();
        if (delay < 0 || delay > Duration.ofDays(365).toSeconds()) {
            problems.add(new InvalidSubmissionException.Problem("delay_seconds", -1, null,
                    "must be between 0 and 31536000 (a year), got " + delay));
        }
        String callbackProblem = s.callbackUrl() == null ? null : CanonicalUrl.problem(s.callbackUrl());
        if (callbackProblem != null) {
            problems.add(new InvalidSubmissionException.Problem("callback_url", -1, s.callbackUrl(), callbackProblem));
        }
        if (s.metadataJson() != null && s.metadataJson().length() > 65_536) {
            problems.add(new InvalidSubmissionException.Problem("metadata", -1, null, "must be at most 64 KiB of JSON"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSubmissionException(problems);
        }
        return new ScrapeOptions(priority, attempts, maxAge, delay, s.respectRobots() == null || s.respectRobots());
    }

    // ---- read --------------------------------------------------------------------------------------

    public Optional<ScrapeJobRecord> get(String id) {
        return store.scrapes().scrapeJobGet(id);
    }

    /** The job and, for a one-URL job, that URL's result, in one read. */
    public Optional<ScrapeJobRead> read(String id) {
        return store.scrapes().scrapeJobRead(id);
    }

    public List<ScrapeJobRecord> list(String owner, String status, String beforeId, int limit) {
        return store.scrapes().scrapeJobList(owner, status, beforeId, limit);
    }

    /** A job's URLs in submit order, {@code limit} at a time after index {@code afterIdx} (-1 to start). */
    public List<ScrapeResult> results(String jobId, int afterIdx, int limit) {
        return store.scrapes().scrapeResults(jobId, afterIdx, limit);
    }

    public Optional<Page> page(String id) {
        return store.pages().pageGet(id);
    }

    // ---- change ------------------------------------------------------------------------------------

    /**
     * Cancels what has not finished. Fetches no other job still waits for are cancelled in the engine.
     *
     * @throws ConflictException if the job has already finished
     */
    public Optional<ScrapeJobRecord> cancel(String id) {
        Optional<ScrapeJobRecord> job = get(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        if (job.get().finishedAt() != null) {
            throw new ConflictException("job " + id + " has already finished (" + job.get().status() + ")");
        }
        Optional<ScrapeCancel> c = store.scrapes().scrapeJobCancel(id);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        List<String> unwanted = new ArrayList<>(c.get().cancelledUrls());
        Set<String> wanted = store.scrapes().scrapeUrlsWanted(unwanted);
        unwanted.removeAll(wanted);
        engine.cancelByDedupeKeys(FETCH_QUEUE, unwanted);
        events.finished(List.of(c.get().job()));
        return Optional.of(c.get().job());
    }

    /**
     * Fetches the job's failed URLs again (new attempts).
     *
     * @throws ConflictException if the job was cancelled
     */
    public Optional<ScrapeJobRecord> retryFailed(String id) {
        Optional<ScrapeJobRecord> job = get(id);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        if (job.get().cancelRequested()) {
            throw new ConflictException("job " + id + " was cancelled; submit its URLs again instead");
        }
        ScrapeOptions options = options(job.get());
        List<NewJob> fetches = new ArrayList<>();
        for (ScrapeUrlRecord row : store.scrapes().scrapeJobRetryFailed(id)) {
            fetches.add(fetch(row.canonicalUrl(), row.priority(), options, id));
        }
        for (int from = 0; from < fetches.size(); from += QueueEngine.MAX_BATCH) {
            engine.enqueueMany(fetches.subList(from, Math.min(fetches.size(), from + QueueEngine.MAX_BATCH)));
        }
        return get(id);
    }

    static ScrapeOptions options(ScrapeJobRecord job) {
        try {
            return JSON.readValue(job.optionsJson(), ScrapeOptions.class);
        } catch (JsonProcessingException e) {
            return new ScrapeOptions(ScrapeOptions.DEFAULT_PRIORITY, ScrapeOptions.DEFAULT_MAX_ATTEMPTS,
                    ScrapeOptions.DEFAULT_MAX_AGE_SECONDS, 0, true);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
