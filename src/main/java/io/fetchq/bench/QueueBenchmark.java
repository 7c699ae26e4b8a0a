package io.fetchq.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.DbLocation;
import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.NewJob;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.JobState;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.Store;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import io.fetchq.worker.JobResult;
import io.fetchq.worker.WorkerOptions;
import io.fetchq.worker.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workloads Q1 and Q2 of {@code ../shared/bench/WORKLOADS.md}, exactly as the peers ran them: one process
 * holds the producer and the workers; each phase starts from an empty store; Q1 times a chunked bulk
 * enqueue and then a drain from worker start-up until the store confirms all N completed; Q2 times
 * enqueue-to-handler-start for one job at a time into idle workers. Every run verifies its results
 * (N completed, none pending or failed, no index run twice) and fails loudly otherwise.
 */
public final class QueueBenchmark {
    private static final Logger log = LoggerFactory.getLogger(QueueBenchmark.class);
    private static final String QUEUE = "bench";
    private static final long PICKUP_TIMEOUT_MS = 15_000;
    private static final long PHASE_TIMEOUT_S = 600;

    public enum Phase { Q1, Q2 }

    public record Config(DbLocation db, String schema, int n, int concurrency, int chunk, int pickupN,
                         int pickupWarmup, int pickupGapMs, int prefetchPerSlot, Set<Phase> phases) {
    }

    private final Config config;

    public QueueBenchmark(Config config) {
        this.config = config;
    }

    /** Runs the configured phases. @return the JSON line */
    public String run() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        String storeName = config.db() instanceof DbLocation.Postgres ? "postgresql" : "sqlite";
        out.put("peer", "fetchq (" + storeName + ")");
        out.put("version", Version.get());
        out.put("n", config.n());
        out.put("concurrency", config.concurrency());
        if (config.phases().contains(Phase.Q1)) {
            out.putAll(q1());
        }
        if (config.phases().contains(Phase.Q2)) {
            out.putAll(q2());
        }
        out.put("chunk", config.chunk());
        out.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        out.put("store", storeName);
        out.put("enqueue_api", "QueueEngine.enqueueMany(List<NewJob>) per chunk (one transaction, one batched statement)");
        out.put("pickup_enqueue_api", "QueueEngine.enqueue(NewJob)");
        out.put("worker_config", "WorkerPool.register(queue, " + config.concurrency()
                + ", handler): adaptive claim-ahead (at most " + config.prefetchPerSlot()
                + " per slot), batched fenced completions, virtual threads, lease 30s");
        return new ObjectMapper().writeValueAsString(out);
    }

    private Map<String, Object> q1() throws Exception {
        int n = config.n();
        reset();
        try (Store store = open()) {
            QueueEngine engine = new QueueEngine(store, EngineOptions.defaults());
            log.info("Q1: enqueueing {} jobs in chunks of {}", n, config.chunk());
            long e0 = System.nanoTime();
            for (int start = 0; start < n; start += config.chunk()) {
                int end = Math.min(n, start + config.chunk());
                List<NewJob> chunk = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    chunk.add(NewJob.of(QUEUE, "{\"i\":" + i + "}"));
                }
                engine.enqueueMany(chunk);
            }
            long e1 = System.nanoTime();
            long pending = count(store, JobState.AVAILABLE);
            if (pending != n) {
                throw fail("Q1: expected " + n + " available jobs after enqueue, found " + pending);
            }

            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            AtomicInteger distinct = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger invalid = new AtomicInteger();
            CountDownLatch allSeen = new CountDownLatch(1);
            log.info("Q1: draining with concurrency {}", config.concurrency());
            long p0 = System.nanoTime();
            engine.start();
            WorkerPool pool = new WorkerPool(engine, workerOptions());
            pool.register(QUEUE, config.concurrency(), ctx -> {
                String p = ctx.payload();
                int i = Integer.parseInt(p, 5, p.length() - 1, 10);
                if (i < 0 || i >= n) {
                    invalid.incrementAndGet();
                } else if (seen.getAndSet(i, 1) == 1) {
                    duplicates.incrementAndGet();
                } else if (distinct.incrementAndGet() == n) {
                    allSeen.countDown();
                }
                return JobResult.success();
            });
            pool.start();
            if (!allSeen.await(PHASE_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw fail("Q1: handlers saw only " + distinct.get() + " of " + n + " jobs in " + PHASE_TIMEOUT_S + " s");
            }
            awaitCompleted(store, n);
            long p1 = System.nanoTime();
            long claims = pool.claimsMade(QUEUE);
            long claimedJobs = pool.jobsClaimed(QUEUE);
            pool.stop();
            engine.stop();

            Map<JobState, Long> states = countAll(store);
            if (states.getOrDefault(JobState.COMPLETED, 0L) != n || states.size() != 1) {
                throw fail("Q1: expected exactly " + n + " completed and nothing else, found " + states);
            }
            if (invalid.get() > 0) {
                throw fail("Q1: handlers saw " + invalid.get() + " out-of-range indexes");
            }
            double enqueueS = (e1 - e0) / 1e9;
            double processS = (p1 - p0) / 1e9;
            log.info("Q1: enqueue {} s ({} jobs/s), drain {} s ({} jobs/s), duplicates {}", Stats.round3(enqueueS),
                    Math.round(n / enqueueS), Stats.round3(processS), Math.round(n / processS), duplicates.get());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("enqueue_s", Stats.round3(enqueueS));
            r.put("process_s", Stats.round3(processS));
            r.put("enqueue_jobs_per_s", Math.round(n / enqueueS));
            r.put("process_jobs_per_s", Math.round(n / processS));
            r.put("duplicates", duplicates.get());
            r.put("claims", claims);
            r.put("jobs_per_claim", Stats.round3((double) claimedJobs / Math.max(1, claims)));
            return r;
        }
    }

    private Map<String, Object> q2() throws Exception {
        int total = config.pickupWarmup() + config.pickupN();
        reset();
        try (Store store = open()) {
            QueueEngine engine = new QueueEngine(store, EngineOptions.defaults());
            engine.start();
            List<CompletableFuture<Long>> started = new ArrayList<>(total);
            for (int k = 0; k < total; k++) {
                started.add(new CompletableFuture<>());
            }
            WorkerPool pool = new WorkerPool(engine, workerOptions());
            pool.register(QUEUE, config.concurrency(), ctx -> {
                long t1 = System.nanoTime();
                String p = ctx.payload();
                started.get(Integer.parseInt(p, 5, p.length() - 1, 10)).complete(t1);
                return JobResult.success();
            });
            pool.start();
            log.info("Q2: {} pickups ({} warm-up), one at a time, {} ms apart", total, config.pickupWarmup(),
                    config.pickupGapMs());
            double[] latencies = new double[config.pickupN()];
            for (int k = 0; k < total; k++) {
                Thread.sleep(config.pickupGapMs());
                long t0 = System.nanoTime();
                engine.enqueue(NewJob.of(QUEUE, "{\"k\":" + k + "}"));
                long t1;
                try {
                    t1 = started.get(k).get(PICKUP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw fail("Q2: job " + k + " was not picked up within " + PICKUP_TIMEOUT_MS + " ms");
                }
                if (k >= config.pickupWarmup()) {
                    latencies[k - config.pickupWarmup()] = (t1 - t0) / 1e6;
                }
            }
            awaitCompleted(store, total);
            pool.stop();
            engine.stop();

            double[] sorted = latencies.clone();
            Arrays.sort(sorted);
            Map<String, Object> pickup = new LinkedHashMap<>();
            pickup.put("p50", Stats.round3(Stats.percentile(sorted, 50)));
            pickup.put("p95", Stats.round3(Stats.percentile(sorted, 95)));
            pickup.put("p99", Stats.round3(Stats.percentile(sorted, 99)));
            Map<String, Object> detail = new LinkedHashMap<>(pickup);
            detail.put("mean", Stats.round3(Arrays.stream(sorted).average().orElse(0)));
            detail.put("max", Stats.round3(sorted[sorted.length - 1]));
            detail.put("n", sorted.length);
            log.info("Q2: pickup p50 {} ms, p95 {} ms, p99 {} ms", pickup.get("p50"), pickup.get("p95"), pickup.get("p99"));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pickup_ms", pickup);
            r.put("pickup_detail", detail);
            return r;
        }
    }

    private WorkerOptions workerOptions() {
        return WorkerOptions.of(Node.newWorkerId(), WorkerOptions.DEFAULT_LEASE, WorkerOptions.DEFAULT_POLL_INTERVAL,
                WorkerOptions.DEFAULT_SHUTDOWN_GRACE).withPrefetchPerSlot(config.prefetchPerSlot());
    }

    private void awaitCompleted(Store store, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_TIMEOUT_S);
        while (count(store, JobState.COMPLETED) < n) {
            if (System.nanoTime() > deadline) {
                throw fail("the store did not report " + n + " completed jobs in time: " + countAll(store));
            }
            Thread.sleep(10);
        }
    }

    private static long count(Store store, JobState state) {
        return countAll(store).getOrDefault(state, 0L);
    }

    private static Map<JobState, Long> countAll(Store store) {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (QueueStateCount c : store.queueStats()) {
            if (c.queue().equals(QUEUE)) {
                counts.merge(c.state(), c.count(), Long::sum);
            }
        }
        return counts;
    }

    private Store open() {
        return switch (config.db()) {
            case DbLocation.Sqlite s -> Node.openStore(s, 4, SchemaPolicy.MIGRATE, TimeSource.DATABASE);
            case DbLocation.Postgres p -> PostgresStore.open(
                    new PostgresStore.Options(p.jdbcUrl(), config.schema(), 10, SchemaPolicy.MIGRATE), TimeSource.DATABASE);
        };
    }

    /** Starts each phase from an empty store, as the peers did (not timed). */
    private void reset() throws Exception {
        switch (config.db()) {
            case DbLocation.Sqlite s -> {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(s.file() + suffix));
                }
            }
            case DbLocation.Postgres p -> {
                try (Connection c = DriverManager.getConnection(p.jdbcUrl()); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS \"" + config.schema().replace("\"", "\"\"") + "\" CASCADE");
                }
            }
        }
    }

    private static IllegalStateException fail(String message) {
        return new IllegalStateException("FAIL: " + message);
    }
}
