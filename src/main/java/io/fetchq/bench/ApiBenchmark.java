package io.fetchq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fetchq bench api}: the HTTP API under load with its workers idle (the node runs none, so jobs stay
 * queued). Phase "submit": {@code connections} clients in a closed loop each {@code POST /jobs} one new URL
 * at a time; phase "read": the same clients {@code GET /jobs/{id}} of jobs submitted before, at random.
 * Each phase warms up first (not measured), then runs for {@code duration}; latencies are per request as
 * the client sees them, over HTTP/1.1 keep-alive connections on loopback, client and server in one process.
 */
public final class ApiBenchmark {
    private static final Logger log = LoggerFactory.getLogger(ApiBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Config(DbLocation db, String schema, int connections, Duration duration, Duration warmup) {
    }

    private final Config config;

    public ApiBenchmark(Config config) {
        this.config = config;
    }

    /** @return one JSON line */
    public String run() throws Exception {
        ScratchStore.reset(config.db(), config.schema());
        Settings settings = Settings.builder().db(ScratchStore.dbSetting(config.db(), config.schema()))
                .dbPoolSize(Math.max(10, Math.min(64, config.connections() + 4))).build();
        try (Node node = Node.start(settings, EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0), w -> { })) {
            String base = "http://127.0.0.1:" + node.api().port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            AtomicLong seq = new AtomicLong();
            List<String> ids = new CopyOnWriteArrayList<>();
            IntFunction<HttpRequest> submit = worker -> HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:9/bench/" + worker + "/"
                            + seq.incrementAndGet() + "\"}")).build();
            log.info("bench api: {} connections, warm-up {}, {} per phase, on {}", config.connections(), config.warmup(),
                    config.duration(), ScratchStore.storeName(config.db()));
            phase(http, submit, config.warmup(), 201, ids);
            Result submitted = phase(http, submit, config.duration(), 201, ids);
            IntFunction<HttpRequest> read = worker -> HttpRequest.newBuilder(
                    URI.create(base + "/jobs/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size())))).GET().build();
            phase(http, read, config.warmup(), 200, null);
            Result reads = phase(http, read, config.duration(), 200, null);

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("product", "fetchq (" + ScratchStore.storeName(config.db()) + ")");
            out.put("workload", "api");
            out.put("version", Version.get());
            out.put("connections", config.connections());
            out.put("duration_s", config.duration().toMillis() / 1000.0);
            out.put("submit", submitted.toMap());
            out.put("read", reads.toMap());
            out.put("jobs_stored", ids.size());
            out.put("peak_rss_mb", ScrapeBenchmark.peakRssMb());
            return JSON.writeValueAsString(out);
        }
    }

    private record Result(long requests, long errors, double seconds, long[] nanos) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests);
            m.put("errors", errors);
            m.put("per_s", Math.round(requests / seconds));
            m.put("p50_ms", Stats.ms(Stats.percentile(nanos, 50)));
            m.put("p90_ms", Stats.ms(Stats.percentile(nanos, 90)));
            m.put("p99_ms", Stats.ms(Stats.percentile(nanos, 99)));
            m.put("max_ms", Stats.ms(Stats.percentile(nanos, 100)));
            return m;
        }
    }

    /** Runs {@code connections} closed-loop clients for {@code length}; collects ids from 201 answers when asked. */
    private Result phase(HttpClient http, IntFunction<HttpRequest> request, Duration length, int expected, List<String> ids)
            throws InterruptedException {
        int n = config.connections();
        long[][] latencies = new long[n][];
        int[] counts = new int[n];
        long[] errors = new long[n];
        long end = System.nanoTime() + length.toNanos();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < n; w++) {
            int worker = w;
            latencies[w] = new long[4096];
            threads.add(Thread.ofPlatform().name("bench-client-" + w).start(() -> {
                List<String> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    HttpRequest r = request.apply(worker);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - t0;
                        if (resp.statusCode() != expected) {
                            errors[worker]++;
                            continue;
                        }
                        if (counts[worker] == latencies[worker].length) {
                            latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
                        }
                        latencies[worker][counts[worker]++] = took;
                        if (ids != null) {
                            JsonNode body = JSON.readTree(resp.body());
                            mine.add(body.get("id").asText());
                        }
                    } catch (Exception e) {
                        errors[worker]++;
                    }
                }
                if (ids != null) {
                    ids.addAll(mine);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < n; w++) {
            System.arraycopy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        return new Result(total, Arrays.stream(errors).sum(), seconds, all);
    }
}
