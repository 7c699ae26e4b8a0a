package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.testing.TestSite;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSE and WebSocket clients see each URL of a job finish, then the job. */
class LiveUpdatesTest extends ApiTestBase {
    @TempDir
    Path dir;
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    protected String db() {
        return dir.resolve("live.db").toString();
    }

    /** A job of three URLs, one of which answers only once the test releases it. */
    private String slowJob() {
        site.html("/a", "<title>a</title>");
        site.page("/b", 404, "text/plain", "no");
        site.route("/slow", ex -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestSite.send(ex, 200, "text/html", "<title>slow</title>");
        });
        return api.post("/jobs", "{\"urls\":[" + quote(site.url("/a")) + "," + quote(site.url("/b")) + ","
                + quote(site.url("/slow")) + "]}").json().get("id").asText();
    }

    @Test
    void sseStreamsEachUrlThenTheJobAndEnds() throws Exception {
        String id = slowJob();
        try (LiveEvents live = LiveEvents.sse(api.base() + "/jobs/" + id + "/events")) {
            assertThat(live.opened.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> api.get("/jobs/" + id).json().get("counts").get("running").asInt() == 1);
            release.countDown();

            assertThat(live.ended.await(20, TimeUnit.SECONDS)).as("the stream ends after job.finished").isTrue();
            assertThat(live.sseNames.get(live.sseNames.size() - 1)).isEqualTo("job.finished");
            JsonNode last = live.events.get(live.events.size() - 1);
            assertThat(last.get("status").asText()).isEqualTo("completed");
            assertThat(last.get("counts").get("completed").asInt()).isEqualTo(2);
            assertThat(last.get("counts").get("failed").asInt()).isEqualTo(1);
            JsonNode slow = live.events.stream().filter(e -> e.path("index").asInt(-1) == 2).findFirst().orElseThrow();
            assertThat(slow.get("kind").asText()).isEqualTo("url.finished");
            assertThat(slow.get("url").asText()).isEqualTo(site.url("/slow"));
            assertThat(slow.get("status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void aJobWebSocketSeesTheSameEventsAndClosesNormally() throws Exception {
        String id = slowJob();
        try (LiveEvents live = LiveEvents.ws(api.base().replace("http", "ws") + "/ws/jobs/" + id)) {
            assertThat(live.opened.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> api.get("/jobs/" + id).json().get("counts").get("running").asInt() == 1);
            release.countDown();

            assertThat(live.ended.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(live.closeCode).isEqualTo(1000);
            assertThat(live.kinds()).contains("url.finished").endsWith("job.finished");
            assertThat(live.events).anySatisfy(e -> {
                assertThat(e.get("index").asInt()).isEqualTo(2);
                assertThat(e.get("status").asText()).isEqualTo("completed");
            });
        }
    }

    @Test
    void theAllJobsWebSocketSeesEveryJob() throws Exception {
        site.html("/one", "<title>1</title>");
        site.html("/two", "<title>2</title>");
        try (LiveEvents live = LiveEvents.ws(api.base().replace("http", "ws") + "/ws")) {
            assertThat(live.opened.await(10, TimeUnit.SECONDS)).isTrue();
            String a = api.post("/jobs", "{\"url\":" + quote(site.url("/one")) + "}").json().get("id").asText();
            String b = api.post("/jobs", "{\"url\":" + quote(site.url("/two")) + "}").json().get("id").asText();

            await().atMost(WAIT).until(() -> live.events.stream().filter(e -> e.get("kind").asText().equals("job.finished"))
                    .map(e -> e.get("job_id").asText()).toList().containsAll(java.util.List.of(a, b)));
        }
    }

    @Test
    void aFinishedJobsStreamSaysSoAtOnce() throws Exception {
        String id = api.post("/jobs", "{\"url\":\"http://a.test/\",\"delay_seconds\":60}").json().get("id").asText();
        api.delete("/jobs/" + id);

        ApiClient.Response r = api.get("/jobs/" + id + "/events");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/event-stream");
        assertThat(r.body()).contains("event: job.finished").contains("\"status\":\"cancelled\"");
        assertThat(api.get("/jobs/nope/events").status()).isEqualTo(404);
    }
}
