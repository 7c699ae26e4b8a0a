package io.fetchq.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.DbLocation;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fetchq bench broker}: the message queue over HTTP, client and server in one process on loopback; the
 * clients are {@link LeanHttpClient}s (one kept-alive connection each), so that the load costs little CPU.
 *
 * <p>Throughput: {@code producers} clients send {@code messages} in batches of {@code batch} while
 * {@code consumers} clients long-poll ({@code max=batch, wait=20}) and delete what they got with one batch
 * delete each time; reported: messages sent per second (first send to last), and end to end (first send to
 * the last message deleted). Latency: the consumers long-poll an empty queue; one producer sends one message
 * at a time, every few milliseconds; latency is from just before the send request to the moment a consumer
 * has the message in hand (both clocks are this process's). On PostgreSQL the latency is measured again
 * across nodes: the consumers wait on a second node (its own store, connections and LISTEN), woken by the
 * first node's NOTIFY.
 */
public final class BrokerBenchmark {
    private static final Logger log = LoggerFactory.getLogger(BrokerBenchmark.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "bench";

    public record Config(DbLocation db, String schema, int messages, int consumers, int producers, int batch,
                         int latencyMessages) {
    }

    private final Config config;
    private int port;
    private final ThreadLocal<LeanHttpClient> clients = ThreadLocal.withInitial(() -> new LeanHttpClient("127.0.0.1", port));

    public BrokerBenchmark(Config config) {
        this.config = config;
    }

    /** @return one JSON line */
    public String run() throws Exception {
        ScratchStore.reset(config.db(), config.schema());
        Settings settings = Settings.builder().db(ScratchStore.dbSetting(config.db(), config.schema()))
                .dbPoolSize(Math.max(10, Math.min(64, config.consumers() + config.producers() + 4))).build();
        try (Node node = Node.start(settings, EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0), w -> { })) {
            port = node.api().port();
            call("PUT", "/queues/" + QUEUE, "{\"visibility_timeout\":600}", 201);
            log.info("bench broker: {} messages, {} producers, {} consumers, batches of {}, on {}", config.messages(),
                    config.producers(), config.consumers(), config.batch(), ScratchStore.storeName(config.db()));
            throughput(Math.min(config.messages(), 40_000)); // warm-up (the JIT settles), not reported
            Map<String, Object> through = throughput(config.messages());
            Map<String, Object> latency = latency(port, port);
            Map<String, Object> across = null;
            if (config.db() instanceof DbLocation.Postgres) {
                // a second node on the same database: consumers wait on it, the sends go to the first
                try (Node other = Node.start(settings, EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0),
                        w -> { })) {
                    across = latency(other.api().port(), port);
                }
            }

            Map<String, Object> out = new LinkedHashMap<>();
            out.put("product", "fetchq (" + ScratchStore.storeName(config.db()) + ")");
            out.put("workload", "broker");
            out.put("version", Version.get());
            out.put("messages", config.messages());
            out.put("producers", config.producers());
            out.put("consumers", config.consumers());
            out.put("batch", config.batch());
            out.putAll(through);
            out.put("latency_ms", latency);
            if (across != null) {
                out.put("latency_across_nodes_ms", across);
            }
            out.put("peak_rss_mb", ScrapeBenchmark.peakRssMb());
            return JSON.writeValueAsString(out);
        }
    }

    private Map<String, Object> throughput(int n) throws Exception {
        AtomicInteger toSend = new AtomicInteger(n);
        AtomicInteger deleted = new AtomicInteger();
        AtomicLong receives = new AtomicLong();
        AtomicLong emptyReceives = new AtomicLong();
        AtomicLong sendDoneAt = new AtomicLong();
        AtomicLong lastDeletedAt = new AtomicLong();
        AtomicInteger producersLeft = new AtomicInteger(config.producers());
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < config.consumers(); c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    while (deleted.get() < n && failures.isEmpty()) {
                        JsonNode got = call("GET", "/queues/" + QUEUE + "/messages?max=" + config.batch() + "&wait=1", null, 200);
                        receives.incrementAndGet();
                        if (got.isEmpty()) {
                            emptyReceives.incrementAndGet();
                            continue;
                        }
                        JsonNode d = call("POST", "/queues/" + QUEUE + "/messages/delete", deleteBody(got), 200);
                        if (deleted.addAndGet(d.get("deleted").size()) >= n) {
                            lastDeletedAt.compareAndSet(0, System.nanoTime());
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (int p = 0; p < config.producers(); p++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        int left = toSend.getAndAdd(-config.batch());
                        if (left <= 0) {
                            break;
                        }
                        int k = Math.min(left, config.batch());
                        StringBuilder body = new StringBuilder("{\"messages\":[");
                        for (int i = 0; i < k; i++) {
                            body.append(i == 0 ? "" : ",").append("{\"body\":\"{\\\"i\\\":").append(left - i).append("}\"}");
                        }
                        call("POST", "/queues/" + QUEUE + "/messages", body.append("]}").toString(), 201);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    if (producersLeft.decrementAndGet() == 0) {
                        sendDoneAt.set(System.nanoTime());
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("bench broker failed: " + failures.peek(), failures.peek());
        }
        // to the last delete, not to the end of the other consumers' last (empty) long polls
        double total = (lastDeletedAt.get() - start) / 1e9;
        double sending = (sendDoneAt.get() - start) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("send_s", Stats.round3(sending));
        m.put("e2e_s", Stats.round3(total));
        m.put("send_msgs_per_s", Math.round(n / sending));
        m.put("e2e_msgs_per_s", Math.round(n / total));
        m.put("receives", receives.get());
        m.put("empty_receives", emptyReceives.get());
        m.put("messages_per_receive", Stats.round3((double) n / Math.max(1, receives.get() - emptyReceives.get())));
        return m;
    }

    /** Consumers long-poll the node on {@code consumerPort}; one message at a time is sent to {@code producerPort}. */
    private Map<String, Object> latency(int consumerPort, int producerPort) throws Exception {
        int warmup = 50;
        int total = config.latencyMessages() + warmup;
        long[] sentAt = new long[total];
        long[] latency = new long[total];
        AtomicInteger got = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> consumers = new ArrayList<>();
        for (int c = 0; c < config.consumers(); c++) {
            consumers.add(Thread.ofVirtual().start(() -> {
                try (LeanHttpClient client = new LeanHttpClient("127.0.0.1", consumerPort)) {
                    while (!done.get()) {
                        JsonNode msgs = call(client, "GET", "/queues/" + QUEUE + "/messages?max=" + config.batch() + "&wait=1",
                                null, 200);
                        long now = System.nanoTime();
                        if (msgs.isEmpty()) {
                            continue;
                        }
                        for (JsonNode m : msgs) {
                            int seq = Integer.parseInt(m.get("body").asText());
                            latency[seq] = now - sentAt[seq];
                        }
                        got.addAndGet(msgs.size());
                        call(client, "POST", "/queues/" + QUEUE + "/messages/delete", deleteBody(msgs), 200);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        Thread.sleep(1_500); // every consumer is waiting in its long poll
        try (LeanHttpClient producer = new LeanHttpClient("127.0.0.1", producerPort)) {
            for (int i = 0; i < total && failures.isEmpty(); i++) {
                Thread.sleep(5);
                sentAt[i] = System.nanoTime();
                call(producer, "POST", "/queues/" + QUEUE + "/messages", "{\"body\":\"" + i + "\"}", 201);
            }
        }
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.get() < total && System.nanoTime() < until && failures.isEmpty()) {
            Thread.sleep(10);
        }
        done.set(true);
        for (Thread t : consumers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("bench broker failed: " + failures.peek(), failures.peek());
        }
        long[] measured = Arrays.copyOfRange(latency, warmup, total);
        Arrays.sort(measured);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", measured.length);
        m.put("p50", Stats.ms(Stats.percentile(measured, 50)));
        m.put("p95", Stats.ms(Stats.percentile(measured, 95)));
        m.put("p99", Stats.ms(Stats.percentile(measured, 99)));
        m.put("max", Stats.ms(Stats.percentile(measured, 100)));
        return m;
    }

    /** The batch delete of the received {@code messages}: {@code {"receipts":[…]}}. */
    private static String deleteBody(JsonNode messages) {
        StringBuilder receipts = new StringBuilder("{\"receipts\":[");
        for (int i = 0; i < messages.size(); i++) {
            receipts.append(i == 0 ? "" : ",").append('"').append(messages.get(i).get("receipt").asText()).append('"');
        }
        return receipts.append("]}").toString();
    }

    private JsonNode call(String method, String path, String body, int expected) throws IOException {
        return call(clients.get(), method, path, body, expected);
    }

    private static JsonNode call(LeanHttpClient client, String method, String path, String body, int expected)
            throws IOException {
        LeanHttpClient.Response r = client.send(method, path, body);
        if (r.status() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

}
