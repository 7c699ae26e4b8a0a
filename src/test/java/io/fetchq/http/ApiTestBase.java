package io.fetchq.http;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.testing.TestSite;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts a real node (HTTP API and workers) on a random port for each test, with target pages served by a
 * {@link TestSite} on 127.0.0.1, and a client that checks every response against the OpenAPI spec.
 */
abstract class ApiTestBase {
    static final Duration WAIT = Duration.ofSeconds(20);

    protected final TestSite site = new TestSite();
    protected Node node;
    protected ApiClient api;

    /** The --db value: a SQLite file or a PostgreSQL URL. */
    protected abstract String db();

    protected HttpSettings http() {
        return HttpSettings.defaults().withPort(0);
    }

    protected Settings.Builder settings() {
        return Settings.builder()
                .db(db())
                .allowPrivateNetworks(true)
                .allowPorts("*")
                .perHostConcurrency(16)
                .perHostDelay("0s")
                .backoffBase("5ms")
                .backoffCap("20ms")
                .pollInterval("100ms");
    }

    @BeforeEach
    void startNode() {
        node = Node.start(settings().build(), EnumSet.of(Node.Role.API, Node.Role.WORKERS), http(), w -> { });
        api = new ApiClient(node.api().port());
    }

    @AfterEach
    void stopNode() {
        try {
            if (node != null) {
                node.close();
            }
            site.close();
        } finally {
            afterNodeStopped();
        }
    }

    /** Drops what {@link #db()} made (a PostgreSQL schema), after the node has stopped. */
    protected void afterNodeStopped() {
    }

    /** Waits until the job's status is {@code status}, and returns it. */
    JsonNode awaitStatus(ApiClient client, String id, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> client.get("/jobs/" + id).json().get("status").asText().equals(status));
        return client.get("/jobs/" + id).json();
    }

    JsonNode awaitStatus(String id, String status) {
        return awaitStatus(api, id, status);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
