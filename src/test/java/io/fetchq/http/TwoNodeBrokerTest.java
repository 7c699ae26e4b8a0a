package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.testing.PgTestDatabase;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two API nodes on one PostgreSQL schema, each with its own store and connections (nothing shared in memory
 * that the engine uses to wake a long poll): a receive held on node A returns soon after a send on node B,
 * woken by NOTIFY, and a queue created on B is usable on A.
 */
class TwoNodeBrokerTest {
    private PgTestDatabase pg;
    private Node a;
    private Node b;

    @AfterEach
    void stop() {
        for (Node n : new Node[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aLongPollOnOneNodeIsWokenByASendOnTheOther() throws Exception {
        pg = PgTestDatabase.create(getClass());
        a = Node.start(Settings.builder().db(pg.schemaUrl()).build(), EnumSet.of(Node.Role.API),
                HttpSettings.defaults().withPort(0), w -> { });
        b = Node.start(Settings.builder().db(pg.schemaUrl()).build(), EnumSet.of(Node.Role.API),
                HttpSettings.defaults().withPort(0), w -> { });
        ApiClient onA = new ApiClient(a.api().port());
        ApiClient onB = new ApiClient(b.api().port());
        assertThat(onB.put("/queues/across", null).status()).isEqualTo(201);

        for (int round = 0; round < 3; round++) {
            CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> onA.get("/queues/across/messages?wait=20").json());
            Thread.sleep(200); // the poll is waiting on A
            long sentAt = System.nanoTime();
            assertThat(onB.post("/queues/across/messages", "{\"body\":\"r" + round + "\"}").status()).isEqualTo(201);
            JsonNode got = poll.get(20, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - sentAt) / 1_000_000;
            assertThat(got).hasSize(1);
            assertThat(got.get(0).get("body").asText()).isEqualTo("r" + round);
            // generous: NOTIFY takes milliseconds; without it the poll would only see the message at its fallback
            // re-check, 2 s after it started (1.8 s after the send)
            assertThat(ms).as("send on B to receive on A").isLessThan(1_000);
            assertThat(onA.delete("/queues/across/messages/" + got.get(0).get("receipt").asText()).status()).isEqualTo(204);
        }
    }
}
