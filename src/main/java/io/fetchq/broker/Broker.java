package io.fetchq.broker;

import io.fetchq.queue.BackgroundService;
import io.fetchq.queue.Batcher;
import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.InvalidJobException;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.QueueNames;
import io.fetchq.queue.maintenance.PeriodicService;
import io.fetchq.store.BrokerQueueCounts;
import io.fetchq.store.BrokerQueueRecord;
import io.fetchq.store.BrokerStore;
import io.fetchq.store.Job;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.JobState;
import io.fetchq.store.Lease;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The broker face (DESIGN.md §4): named queues with SQS's semantics on the queue engine. A message is an
 * engine job of its queue; a receive is a claim whose lease is the visibility timeout; a receipt carries the
 * lease token, so deleting or changing visibility with a receipt whose lease has moved on changes nothing;
 * an expired visibility is the rescuer's work, which also dead-letters a message on its last allowed receive
 * (max receive count = the job's max attempts). Long polls wait on the engine's "jobs available" signal (local
 * commits at once, other nodes through NOTIFY), not on a polling loop.
 *
 * <p>Queue settings are cached for {@link #SETTINGS_CACHE} per node; a change made on another node takes
 * effect here within that time.
 */
public final class Broker implements BackgroundService {
    public static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    public static final int DEFAULT_MAX_RECEIVES = 5;
    public static final int MAX_RECEIVES_LIMIT = EngineOptions.MAX_ATTEMPTS_LIMIT;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(4);
    public static final Duration MIN_RETENTION = Duration.ofMinutes(1);
    public static final Duration MAX_RETENTION = Duration.ofDays(14);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
    public static final int MAX_MESSAGE_BYTES_LIMIT = 1024 * 1024;
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    public static final int MAX_BATCH = 100;
    public static final Duration MAX_WAIT = Duration.ofSeconds(20);
    public static final Duration DEDUPE_WINDOW = Duration.ofMinutes(5);
    public static final int MAX_DEDUPE_ID_CHARS = 128;
    /**
     * A receive returns at most this many bytes of bodies, as the queue's size cap can fill them: a queue of
     * 1 MiB messages hands out at most 32 per receive, so one answer stays within 32 MiB.
     */
    public static final long MAX_RECEIVE_BYTES = 32L * 1024 * 1024;
    static final Duration SETTINGS_CACHE = Duration.ofSeconds(1);
    /** A long poll re-checks this often even without a signal (a notification lost with a dropped connection). */
    static final Duration FALLBACK_POLL = Duration.ofSeconds(2);
    private static final Set<JobState> PURGED = EnumSet.of(JobState.AVAILABLE, JobState.SCHEDULED, JobState.RUNNING,
            JobState.RETRYABLE);

    private final QueueEngine engine;
    private final BrokerStore store;
    private final Set<String> reserved;
    private final MeterRegistry registry;
    private final Map<String, Cached> settings = new ConcurrentHashMap<>();
    private final Map<String, Waiters> waiters = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Pruner pruner;
    private final Batcher<List<NewJob>, List<JobInsertResult>> sends;
    private final Batcher<List<Lease>, List<String>> deletes;
    private final Map<ClaimKey, Batcher<Integer, List<Job>>> claims = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Receives that may share one claim: same queue, same visibility, same receiver. */
    private record ClaimKey(String queue, Duration lease, String receiver) {
    }

    private record Cached(BrokerQueueRecord queue, long loadedAtNanos) {
    }

    /**
     * @param reserved engine queues the broker must never touch (the scrape face's own)
     * @param registry where the message counters go, or null
     */
    public Broker(QueueEngine engine, Set<String> reserved, MeterRegistry registry) {
        this.engine = engine;
        this.store = engine.store().broker();
        this.reserved = Set.copyOf(reserved);
        this.registry = registry;
        this.pruner = new Pruner(store, engine.options().maintenanceBatch());
        // Concurrent requests share statements: one insert for the sends, one delete for the acknowledgements
        // and one claim per queue for the receives that arrive together (two rounds in flight at most).
        this.sends = new Batcher<>(this::sendBatch, List::size, QueueEngine.MAX_BATCH, 2);
        this.deletes = new Batcher<>(this::deleteBatch, List::size, QueueEngine.MAX_CLAIM, 2);
    }

    private List<List<JobInsertResult>> sendBatch(List<List<NewJob>> batch) {
        List<NewJob> all = new ArrayList<>();
        batch.forEach(all::addAll);
        List<JobInsertResult> results = engine.enqueueMany(all);
        List<List<JobInsertResult>> out = new ArrayList<>(batch.size());
        int at = 0;
        for (List<NewJob> one : batch) {
            out.add(results.subList(at, at + one.size()));
            at += one.size();
        }
        return out;
    }

    private List<List<String>> deleteBatch(List<List<Lease>> batch) {
        List<Lease> all = new ArrayList<>();
        batch.forEach(all::addAll);
        Set<String> deleted = new java.util.HashSet<>(engine.acknowledge(all));
        return batch.stream().map(one -> one.stream().map(Lease::jobId).filter(deleted::contains).toList()).toList();
    }

    private List<Job> claim(String queue, int max, Duration lease, String receiver) {
        Batcher<Integer, List<Job>> batcher = claims.computeIfAbsent(new ClaimKey(queue, lease, receiver),
                k -> new Batcher<>(wants -> {
                    int total = Math.min(QueueEngine.MAX_CLAIM, wants.stream().mapToInt(Integer::intValue).sum());
                    List<Job> got = engine.claim(k.queue(), total, k.lease(), k.receiver());
                    List<List<Job>> out = new ArrayList<>(wants.size());
                    int at = 0;
                    for (int want : wants) {
                        int end = Math.min(got.size(), at + want);
                        out.add(got.subList(at, end));
                        at = end;
                    }
                    return out;
                }, w -> w, QueueEngine.MAX_CLAIM, 1));
        return batcher.submit(max);
    }

    // ---- queues ------------------------------------------------------------------------------------

    /** Creates a queue or updates its settings (only those given). @return the queue and whether it is new */
    public Put put(String name, QueueSettings asked) {
        checkName(name);
        BrokerQueueRecord current = store.brokerQueueGet(name).orElse(null);
        Duration visibility = pick(asked.visibilityTimeout(), current == null ? null : current.visibilityTimeout(),
                DEFAULT_VISIBILITY);
        checkDuration("visibility_timeout", visibility, Duration.ZERO, MAX_VISIBILITY);
        int receives = pick(asked.maxReceiveCount(), current == null ? null : current.maxReceiveCount(), DEFAULT_MAX_RECEIVES);
        if (receives < 0 || receives > MAX_RECEIVES_LIMIT) {
            throw BrokerException.invalid("max_receive_count", "must be between 0 (never dead-letter) and "
                    + MAX_RECEIVES_LIMIT + ", got " + receives);
        }
        Duration retention = pick(asked.retention(), current == null ? null : current.retention(), DEFAULT_RETENTION);
        checkDuration("retention", retention, MIN_RETENTION, MAX_RETENTION);
        int maxBytes = pick(asked.maxMessageBytes(), current == null ? null : current.maxMessageBytes(),
                DEFAULT_MAX_MESSAGE_BYTES);
        if (maxBytes < 1 || maxBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw BrokerException.invalid("max_message_bytes", "must be between 1 and " + MAX_MESSAGE_BYTES_LIMIT
                    + " (1 MiB), got " + maxBytes);
        }
        Duration delay = pick(asked.delay(), current == null ? null : current.delay(), Duration.ZERO);
        checkDuration("delay", delay, Duration.ZERO, MAX_DELAY);
        BrokerStore.Put put = store.brokerQueuePut(new BrokerQueueRecord(name, visibility, receives, retention, maxBytes,
                delay, null, null), maxAttempts(receives));
        settings.put(name, new Cached(put.queue(), System.nanoTime()));
        return new Put(view(put.queue()), put.created());
    }

    /** What {@link #put} did. */
    public record Put(QueueView queue, boolean created) {
    }

    public QueueView get(String name) {
        return view(fresh(name));
    }

    public List<QueueView> list() {
        List<BrokerQueueRecord> queues = store.brokerQueueList();
        Map<String, BrokerQueueCounts> counts = store.brokerQueueCounts(queues.stream().map(BrokerQueueRecord::name).toList());
        return queues.stream().map(q -> new QueueView(q, counts.getOrDefault(q.name(), BrokerQueueCounts.EMPTY))).toList();
    }

    /** Deletes a queue with all its messages and dead letters. */
    public void deleteQueue(String name) {
        checkName(name);
        if (!store.brokerQueueDelete(name)) {
            throw BrokerException.noQueue(name);
        }
        settings.remove(name);
        Waiters w = waiters.remove(name); // the receives waiting on it answer at once (their claims find nothing)
        if (w != null) {
            w.subscription.close();
            w.wakeAll();
        }
        claims.keySet().removeIf(k -> k.queue().equals(name));
    }

    /**
     * Deletes the queue's messages (visible, in flight and delayed); its dead letters too when asked.
     *
     * @return how many were deleted
     */
    public int purge(String name, boolean dead) {
        fresh(name);
        Set<JobState> states = EnumSet.copyOf(PURGED);
        if (dead) {
            states.add(JobState.DEAD);
        }
        return store.brokerMessagesDelete(name, states);
    }

    // ---- messages ----------------------------------------------------------------------------------

    /** Sends 1 … {@value #MAX_BATCH} messages; all are checked first, and one bad message refuses the batch. */
    public List<SentMessage> send(String name, List<OutgoingMessage> messages) {
        BrokerQueueRecord queue = cached(name);
        Map<String, Integer> firstWithId = checked(queue, messages);
        // A message whose dedupe id was sent in the window, or earlier in this batch, is a repeat: not sent again
        Map<String, String> held = store.brokerDedupeLookup(name, firstWithId.keySet());
        List<NewJob> jobs = new ArrayList<>(messages.size());
        List<Integer> sentIndex = new ArrayList<>(messages.size());
        int attempts = maxAttempts(queue.maxReceiveCount());
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage m = messages.get(i);
            if (m.dedupeId() == null || (!held.containsKey(m.dedupeId()) && firstWithId.get(m.dedupeId()) == i)) {
                jobs.add(new NewJob(name, m.body(), null, attempts, m.delay() == null ? queue.delay() : m.delay(), null,
                        m.dedupeId(), null));
                sentIndex.add(i);
            }
        }
        List<JobInsertResult> results;
        try {
            results = jobs.isEmpty() ? List.of() : sends.submit(jobs);
        } catch (InvalidJobException e) {
            throw BrokerException.invalid(e.field(), e.reason());
        }
        SentMessage[] out = new SentMessage[messages.size()];
        Map<String, String> recorded = new LinkedHashMap<>();
        int fresh = 0;
        for (int k = 0; k < results.size(); k++) {
            JobInsertResult r = results.get(k);
            int i = sentIndex.get(k);
            out[i] = new SentMessage(r.id(), !r.inserted()); // not inserted: an unfinished message holds its dedupe id
            if (r.inserted()) {
                fresh++;
                if (messages.get(i).dedupeId() != null) {
                    recorded.put(messages.get(i).dedupeId(), r.id());
                }
            }
        }
        store.brokerDedupeRecord(name, recorded, DEDUPE_WINDOW);
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                String dedupeId = messages.get(i).dedupeId();
                String first = held.get(dedupeId);
                out[i] = new SentMessage(first != null ? first : out[firstWithId.get(dedupeId)].id(), true);
            }
        }
        count("sent", name, fresh);
        return List.of(out);
    }

    /** Checks every message against the queue's limits. @return each dedupe id's first index in the batch */
    private Map<String, Integer> checked(BrokerQueueRecord queue, List<OutgoingMessage> messages) {
        if (messages.isEmpty() || messages.size() > MAX_BATCH) {
            throw BrokerException.invalid("messages", "must hold 1 to " + MAX_BATCH + " messages, got " + messages.size());
        }
        int maxBytes = Math.min(queue.maxMessageBytes(), engine.options().maxPayloadBytes());
        Map<String, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage m = messages.get(i);
            String prefix = messages.size() == 1 ? "" : "messages[" + i + "].";
            if (m.body() == null) {
                throw BrokerException.invalid(prefix + "body", "is required (any UTF-8 text, JSON included)");
            }
            if (QueueEngine.utf8LongerThan(m.body(), maxBytes)) {
                throw BrokerException.invalid(prefix + "body", "must be at most " + maxBytes + " bytes (UTF-8) in queue '"
                        + queue.name() + "', got " + m.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            if (m.delay() != null) {
                checkDuration(prefix + "delay_seconds", m.delay(), Duration.ZERO, MAX_DELAY);
            }
            if (m.dedupeId() != null) {
                if (m.dedupeId().isEmpty() || m.dedupeId().length() > MAX_DEDUPE_ID_CHARS) {
                    throw BrokerException.invalid(prefix + "dedupe_id", "must be 1-" + MAX_DEDUPE_ID_CHARS
                            + " characters, got " + m.dedupeId().length());
                }
                firstWithId.putIfAbsent(m.dedupeId(), i);
            }
        }
        return firstWithId;
    }

    /**
     * Receives up to {@code max} messages (fewer in a queue whose size cap could make the answer larger than
     * {@link #MAX_RECEIVE_BYTES}), each hidden from other receives for the visibility timeout. When none is
     * visible, waits up to {@code wait} for one to arrive, woken by the engine's signal.
     *
     * @param visibility null: the queue's visibility timeout
     * @param receiver   who receives (kept as the lease holder, shown in stats)
     */
    public List<ReceivedMessage> receive(String name, int max, Duration wait, Duration visibility, String receiver) {
        BrokerQueueRecord queue = cached(name);
        if (max < 1 || max > MAX_BATCH) {
            throw BrokerException.invalid("max", "must be between 1 and " + MAX_BATCH + ", got " + max);
        }
        checkDuration("wait", wait, Duration.ZERO, MAX_WAIT);
        Duration lease = visibility == null ? queue.visibilityTimeout() : visibility;
        checkDuration("visibility_timeout", lease, Duration.ZERO, MAX_VISIBILITY);
        Duration claimLease = lease.isZero() ? Duration.ofMillis(1) : lease;
        max = (int) Math.min(max, Math.max(1, MAX_RECEIVE_BYTES / queue.maxMessageBytes()));
        long deadline = System.nanoTime() + wait.toNanos();
        Waiters waiters = waitersOf(name);
        try {
            while (true) {
                Semaphore woken = new Semaphore(0);
                waiters.line.addLast(woken); // in line before the claim: a send that lands after it wakes someone
                List<Job> jobs = claim(name, max, claimLease, receiver);
                long left = deadline - System.nanoTime();
                if (!jobs.isEmpty() || left <= 0 || stopping) {
                    if (!waiters.line.remove(woken)) {
                        waiters.wakeOne(); // a wake-up meant for this receive: pass it on
                    }
                    if (jobs.size() == max) {
                        waiters.wakeOne(); // a full batch: more may be waiting to be received
                    }
                    count("received", name, jobs.size());
                    return jobs.stream().map(j -> received(name, j)).toList();
                }
                if (!woken.tryAcquire(Math.min(left, FALLBACK_POLL.toNanos()), TimeUnit.NANOSECONDS)) {
                    waiters.line.remove(woken); // timed out: claim once more (a wake-up lost with a connection)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * The receives waiting on one queue, in arrival order. A "messages available" signal wakes only the first
     * (not all of them, which would send every waiting receive to the database for one message); a receive
     * that got a full batch wakes the next, since more may be there.
     */
    private static final class Waiters {
        final Deque<Semaphore> line = new ConcurrentLinkedDeque<>();
        io.fetchq.queue.QueueSignals.Subscription subscription;

        void wakeOne() {
            Semaphore s = line.pollFirst();
            if (s != null) {
                s.release();
            }
        }

        void wakeAll() {
            for (Semaphore s; (s = line.pollFirst()) != null; ) {
                s.release();
            }
        }
    }

    private Waiters waitersOf(String queue) {
        return waiters.computeIfAbsent(queue, q -> {
            Waiters w = new Waiters();
            w.subscription = engine.onJobsAvailable(q, w::wakeOne);
            return w;
        });
    }

    /**
     * Deletes (acknowledges) received messages by their receipts.
     *
     * @return the receipts whose message was deleted; the others were stale (see {@link #deleteMessage})
     */
    public List<String> deleteMessages(String name, List<String> receipts) {
        cached(name);
        if (receipts.isEmpty() || receipts.size() > MAX_BATCH) {
            throw BrokerException.invalid("receipts", "must hold 1 to " + MAX_BATCH + " receipts, got " + receipts.size());
        }
        Map<String, String> receiptById = new LinkedHashMap<>();
        List<Lease> leases = new ArrayList<>(receipts.size());
        for (int i = 0; i < receipts.size(); i++) {
            Lease lease = Receipts.decode(name, receipts.get(i), "receipts[" + i + "]");
            leases.add(lease);
            receiptById.put(lease.jobId(), receipts.get(i));
        }
        List<String> deleted = deletes.submit(leases).stream().map(receiptById::get).toList();
        count("deleted", name, deleted.size());
        return deleted;
    }

    /**
     * Deletes one received message.
     *
     * @throws BrokerException {@code STALE_RECEIPT} when the receipt's visibility timeout expired and the message
     *         became visible again or was received by someone else (it was not deleted), or when the message is gone
     */
    public void deleteMessage(String name, String receipt) {
        if (deleteMessages(name, List.of(receipt)).isEmpty()) {
            throw stale(Receipts.decode(name, receipt, "receipt"));
        }
    }

    /**
     * Hides a received message for {@code visibility} from now (longer or shorter than it was); zero makes it
     * visible again at once, its receive counted.
     *
     * @return when it becomes visible again
     */
    public java.time.Instant changeVisibility(String name, String receipt, Duration visibility) {
        cached(name);
        Lease lease = Receipts.decode(name, receipt, "receipt");
        checkDuration("visibility_timeout", visibility, Duration.ZERO, MAX_VISIBILITY);
        if (!engine.setLeaseExpiry(lease, visibility)) {
            throw stale(lease);
        }
        return engine.store().now().plus(visibility);
    }

    private BrokerException stale(Lease lease) {
        return engine.get(lease.jobId())
                .map(j -> BrokerException.stale("the receipt is stale: message " + j.id() + "'s visibility timeout "
                        + "expired, so it was visible again" + (j.state() == JobState.RUNNING
                        ? " and another receive holds it now" : "") + (j.state() == JobState.DEAD
                        ? " and it went to the dead letters" : "") + "; nothing was changed"))
                .orElseGet(() -> BrokerException.stale("the receipt is stale: message " + lease.jobId()
                        + " no longer exists (it was deleted, purged or expired); nothing was changed"));
    }

    // ---- dead letters ------------------------------------------------------------------------------

    /** Dead letters, newest first, a page of {@code limit} after the cursor (the last id of the previous page). */
    public List<DeadMessage> dead(String name, String cursor, int limit) {
        fresh(name);
        return engine.list(new JobListParams(name, JobState.DEAD, null, cursor, limit)).stream()
                .map(j -> new DeadMessage(j.id(), j.payload(), j.attempt(), j.createdAt(), j.firstAttemptedAt(),
                        j.finishedAt(), "received " + j.attempt() + " time(s) without being deleted (max receive count "
                        + j.maxAttempts() + ")"))
                .toList();
    }

    /**
     * Returns dead letters to the queue, visible at once with their receive count reset.
     *
     * @param ids null: all of the queue's dead letters
     * @return the ids returned
     */
    public List<String> redrive(String name, List<String> ids) {
        fresh(name);
        if (ids != null && (ids.isEmpty() || ids.size() > 10_000)) {
            throw BrokerException.invalid("ids", "must hold 1 to 10000 dead letter ids, got " + ids.size());
        }
        return engine.requeueDead(ids == null ? JobRequeueParams.ofQueue(name) : new JobRequeueParams(ids, name, null)).ids();
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public void start() {
        stopping = false;
        pruner.start();
    }

    /** Ends every long poll at once (they answer with what they have: nothing) and stops the pruner. */
    @Override
    public void stop() {
        stopping = true;
        waiters.values().forEach(Waiters::wakeAll);
        pruner.stop();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void checkName(String name) {
        try {
            QueueNames.check("name", name);
        } catch (InvalidJobException e) {
            throw BrokerException.invalid(e.field(), e.reason());
        }
        if (reserved.contains(name)) {
            throw BrokerException.invalid("name", "'" + name + "' is reserved for fetchq's own work; choose another name");
        }
    }

    /** The queue's settings from this node's cache (at most {@link #SETTINGS_CACHE} old). */
    private BrokerQueueRecord cached(String name) {
        Cached c = settings.get(name);
        if (c != null && System.nanoTime() - c.loadedAtNanos() < SETTINGS_CACHE.toNanos()) {
            if (c.queue() == null) {
                throw BrokerException.noQueue(name);
            }
            return c.queue();
        }
        return fresh(name);
    }

    private BrokerQueueRecord fresh(String name) {
        checkName(name);
        BrokerQueueRecord q = store.brokerQueueGet(name).orElse(null);
        settings.put(name, new Cached(q, System.nanoTime()));
        if (q == null) {
            throw BrokerException.noQueue(name);
        }
        return q;
    }

    private QueueView view(BrokerQueueRecord q) {
        return new QueueView(q, store.brokerQueueCounts(List.of(q.name())).getOrDefault(q.name(), BrokerQueueCounts.EMPTY));
    }

    private static ReceivedMessage received(String queue, Job j) {
        return new ReceivedMessage(j.id(), j.payload(), Receipts.encode(queue, j.lease()), j.attempt(), j.createdAt(),
                j.firstAttemptedAt(), j.leaseExpiresAt());
    }

    private static int maxAttempts(int maxReceiveCount) {
        return maxReceiveCount == 0 ? EngineOptions.UNLIMITED_ATTEMPTS : maxReceiveCount;
    }

    private static <T> T pick(T asked, T current, T fallback) {
        return asked != null ? asked : current != null ? current : fallback;
    }

    private static void checkDuration(String field, Duration d, Duration min, Duration max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw BrokerException.invalid(field, "must be between " + min.toSeconds() + " and " + max.toSeconds()
                    + " seconds, got " + (d.toMillis() % 1000 == 0 ? d.toSeconds() + "" : d.toMillis() / 1000.0 + ""));
        }
    }

    private void count(String what, String queue, int n) {
        if (registry == null || n == 0) {
            return;
        }
        counters.computeIfAbsent(what + "/" + queue, k -> Counter.builder("fetchq.broker.messages." + what)
                .description("broker messages " + what).tag("queue", queue).register(registry)).increment(n);
    }

    /** Deletes expired messages, messages of deleted queues, expired dedupe ids and old tombstones. */
    private static final class Pruner extends PeriodicService {
        private static final Duration INTERVAL = Duration.ofSeconds(30);
        private static final Duration TOMBSTONE_AGE = Duration.ofMinutes(5);
        private final BrokerStore store;
        private final int batch;

        Pruner(BrokerStore store, int batch) {
            super("broker-pruner", INTERVAL);
            this.store = store;
            this.batch = batch;
        }

        @Override
        protected Duration runOnce() {
            while (store.brokerPrune(batch, TOMBSTONE_AGE) >= batch) {
                // a full batch: more may be due
            }
            return INTERVAL;
        }
    }
}
