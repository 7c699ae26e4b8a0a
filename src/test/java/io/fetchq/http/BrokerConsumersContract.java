package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 8 consumers long-polling one queue over HTTP while 4 producers send 10,000 messages in batches: every
 * message is received exactly once (no visibility timeout expires: it is 5 minutes), and then the queue is
 * empty. Bounded: the test gives up after 2 minutes.
 */
abstract class BrokerConsumersContract {
    static final int MESSAGES = 10_000;
    static final int CONSUMERS = 8;
    private Node node;

    protected abstract String db();

    protected void cleanUp() {
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        cleanUp();
    }

    @Test
    void eightConsumersReceiveEachOfTenThousandMessagesExactlyOnce() throws Exception {
        node = Node.start(Settings.builder().db(db()).build(), EnumSet.of(Node.Role.API),
                HttpSettings.defaults().withPort(0), w -> { });
        ApiClient api = new ApiClient(node.api().port()).unchecked();
        assertThat(api.put("/queues/jobs", "{\"visibility_timeout\":300}").status()).isEqualTo(201);

        Map<String, AtomicInteger> receivedPerId = new ConcurrentHashMap<>();
        Set<String> sentIds = ConcurrentHashMap.newKeySet();
        AtomicInteger received = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> consumers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                consumers.add(pool.submit(() -> {
                    while (received.get() < MESSAGES && System.nanoTime() < deadline) {
                        ApiClient.Response r = api.get("/queues/jobs/messages?max=10&wait=1");
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        JsonNode got = r.json();
                        if (got.isEmpty()) {
                            continue;
                        }
                        StringBuilder receipts = new StringBuilder();
                        for (JsonNode m : got) {
                            receivedPerId.computeIfAbsent(m.get("id").asText(), k -> new AtomicInteger()).incrementAndGet();
                            receipts.append(receipts.isEmpty() ? "" : ",").append('"').append(m.get("receipt").asText()).append('"');
                        }
                        received.addAndGet(got.size());
                        ApiClient.Response d = api.post("/queues/jobs/messages/delete", "{\"receipts\":[" + receipts + "]}");
                        assertThat(d.json().get("stale")).as("no visibility timeout expired").isEmpty();
                    }
                    return null;
                }));
            }
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    for (int b = 0; b < MESSAGES / 100 / 4; b++) {
                        StringBuilder batch = new StringBuilder("{\"messages\":[");
                        for (int i = 0; i < 100; i++) {
                            batch.append(i == 0 ? "" : ",").append("{\"body\":\"p").append(producer).append('-').append(b)
                                    .append('-').append(i).append("\"}");
                        }
                        ApiClient.Response r = api.post("/queues/jobs/messages", batch.append("]}").toString());
                        assertThat(r.status()).as(r.toString()).isEqualTo(201);
                        r.json().get("messages").forEach(m -> sentIds.add(m.get("id").asText()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : producers) {
                f.get(2, TimeUnit.MINUTES);
            }
            for (Future<?> f : consumers) {
                f.get(2, TimeUnit.MINUTES);
            }
        }

        assertThat(sentIds).hasSize(MESSAGES);
        assertThat(receivedPerId.keySet()).isEqualTo(sentIds);
        assertThat(receivedPerId.values().stream().filter(n -> n.get() != 1).count()).as("messages received twice").isZero();
        assertThat(received.get()).isEqualTo(MESSAGES);
        JsonNode counts = api.get("/queues/jobs").json().get("counts");
        assertThat(counts.get("visible").asInt() + counts.get("in_flight").asInt() + counts.get("delayed").asInt()
                + counts.get("dead").asInt()).isZero();
    }
}
