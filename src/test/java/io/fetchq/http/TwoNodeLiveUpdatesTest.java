package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.scrape.ScrapeWorkerMain;
import io.fetchq.testing.PgTestDatabase;
import io.fetchq.testing.TestSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes on one PostgreSQL: an API-only node in this JVM and a worker-only node in another. A
 * client of the API node sees, live, the progress of work that only the other process does.
 */
class TwoNodeLiveUpdatesTest {

    @Test
    void aClientOfTheApiNodeSeesProgressMadeByAWorkerInAnotherProcess(@TempDir Path tmp) throws Exception {
        try (PgTestDatabase db = PgTestDatabase.create(getClass()); TestSite site = new TestSite()) {
            for (int i = 0; i < 5; i++) {
                site.html("/p" + i, "<title>p" + i + "</title>");
            }
            Path log = tmp.resolve("worker.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            Node apiNode = Node.start(Settings.builder().db(db.schemaUrl()).allowPrivateNetworks(true).allowPorts("*").build(),
                    EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0), w -> { });
            Process worker = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx384m", "-cp",
                    System.getProperty("java.class.path"), ScrapeWorkerMain.class.getName(), db.schemaUrl(), "30s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                ApiClient api = new ApiClient(apiNode.api().port());
                assertThat(api.get("/health").json().get("workers").get("enabled").asBoolean())
                        .as("the API node runs no workers").isFalse();
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("node started"));

                StringBuilder urls = new StringBuilder();
                for (int i = 0; i < 5; i++) {
                    urls.append(i == 0 ? "" : ",").append('"').append(site.url("/p" + i)).append('"');
                }
                String id = api.post("/jobs", "{\"urls\":[" + urls + "],\"delay_seconds\":1}").json().get("id").asText();
                try (LiveEvents live = LiveEvents.sse(api.base() + "/jobs/" + id + "/events")) {
                    assertThat(live.ended.await(60, TimeUnit.SECONDS)).as("job.finished arrived; log:%n%s",
                            Files.readString(log)).isTrue();
                    List<JsonNode> urlEvents = live.events.stream()
                            .filter(e -> e.get("kind").asText().equals("url.finished")).toList();
                    assertThat(urlEvents).extracting(e -> e.get("index").asInt()).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
                    assertThat(live.kinds()).endsWith("job.finished");
                }
                assertThat(site.seen()).as("fetched by the other process only").hasSize(5 + site.seen("/robots.txt").size());
                JsonNode stats = api.get("/stats").json();
                assertThat(stats.get("node").get("workers_running").asBoolean()).isFalse();
            } finally {
                worker.destroyForcibly();
                worker.waitFor(30, TimeUnit.SECONDS);
                apiNode.close();
            }
        }
    }
}
