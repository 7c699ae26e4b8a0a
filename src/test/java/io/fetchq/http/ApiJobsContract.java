package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.testing.TestSite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The seed flows of the API as a user tries them, end to end; run on both stores. */
abstract class ApiJobsContract extends ApiTestBase {

    @Test
    void oneUrlGets201AndALocationAndLaterItsContent() {
        site.html("/hello", "<html><head><title>Hello page</title></head><body><p>Hello, fetchq.</p></body></html>");

        ApiClient.Response r = api.post("/jobs", "{\"url\":" + quote(site.url("/hello")) + "}");

        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asText();
        assertThat(r.header("Location")).isEqualTo("/jobs/" + id);
        assertThat(r.json().get("url").asText()).isEqualTo(site.url("/hello"));
        assertThat(r.json().get("status").asText()).isIn("queued", "running", "completed");
        assertThat(r.header("X-Request-Id")).isNotBlank();

        JsonNode done = awaitStatus(id, "completed");
        assertThat(done.get("http_status").asInt()).isEqualTo(200);
        assertThat(done.get("title").asText()).isEqualTo("Hello page");
        assertThat(done.get("content").asText()).contains("<p>Hello, fetchq.</p>");
        assertThat(done.get("counts").get("completed").asInt()).isEqualTo(1);
        assertThat(done.get("finished_at").isNull()).isFalse();
    }

    @Test
    void aBatchWithPerUrlPrioritiesReportsCountsAndResultsWithCachedFlags() {
        for (int i = 0; i < 5; i++) {
            site.html("/p" + i, "<title>P" + i + "</title><p>page " + i + "</p>");
        }
        String first = api.post("/jobs", "{\"urls\":[" + quote(site.url("/p0")) + "," + quote(site.url("/p1")) + "]}")
                .json().get("id").asText();
        awaitStatus(first, "completed");

        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            urls.append(i == 0 ? "" : ",").append("{\"url\":").append(quote(site.url("/p" + i)))
                    .append(",\"priority\":").append(1 + i).append(",\"metadata\":{\"n\":").append(i).append("}}");
        }
        ApiClient.Response r = api.post("/jobs", "{\"urls\":[" + urls + "],\"priority\":3,\"metadata\":{\"batch\":\"b1\"}}");

        assertThat(r.status()).isEqualTo(201);
        JsonNode job = r.json();
        assertThat(job.get("counts").get("total").asInt()).isEqualTo(5);
        assertThat(job.get("counts").get("cached").asInt()).as("p0 and p1 were fresh").isEqualTo(2);
        assertThat(job.get("metadata").get("batch").asText()).isEqualTo("b1");
        assertThat(job.has("url")).as("only one-URL jobs carry url").isFalse();
        String id = job.get("id").asText();
        JsonNode done = awaitStatus(id, "completed");
        assertThat(done.get("counts").get("completed").asInt()).isEqualTo(5);

        JsonNode results = api.get("/jobs/" + id + "/results").json().get("results");
        assertThat(results).hasSize(5);
        for (int i = 0; i < 5; i++) {
            JsonNode row = results.get(i);
            assertThat(row.get("index").asInt()).isEqualTo(i);
            assertThat(row.get("title").asText()).isEqualTo("P" + i);
            assertThat(row.get("cached").asBoolean()).isEqualTo(i < 2);
            assertThat(row.get("metadata").get("n").asInt()).isEqualTo(i);
            assertThat(row.get("http_status").asInt()).isEqualTo(200);
            assertThat(row.has("content")).as("content only when asked").isFalse();
        }
        assertThat(api.get("/jobs/" + id + "/results?content=true").json().get("results").get(3).get("content").asText())
                .contains("page 3");
    }

    @Test
    void resultsComePageByPageWithACursor() {
        StringBuilder urls = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            site.html("/r" + i, "<title>R" + i + "</title>");
            urls.append(i == 0 ? "" : ",").append(quote(site.url("/r" + i)));
        }
        String id = api.post("/jobs", "{\"urls\":[" + urls + "]}").json().get("id").asText();
        awaitStatus(id, "completed");

        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get("/jobs/" + id + "/results?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("results").forEach(r -> seen.add(r.get("index").asInt()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void deleteCancelsWhatHasNotFinishedAnd409sOnceFinished() {
        site.html("/later", "<title>later</title>");
        String id = api.post("/jobs", "{\"url\":" + quote(site.url("/later")) + ",\"delay_seconds\":3600}").json()
                .get("id").asText();

        ApiClient.Response cancelled = api.delete("/jobs/" + id);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("counts").get("cancelled").asInt()).isEqualTo(1);

        ApiClient.Response again = api.delete("/jobs/" + id);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("already finished");
        assertThat(site.seen("/later")).as("never fetched").isEmpty();
    }

    @Test
    void listingFiltersByStatusNewestFirst() {
        site.html("/a", "<title>a</title>");
        site.page("/gone", 404, "text/plain", "gone");
        String ok1 = api.post("/jobs", "{\"url\":" + quote(site.url("/a")) + "}").json().get("id").asText();
        String bad = api.post("/jobs", "{\"url\":" + quote(site.url("/gone")) + "}").json().get("id").asText();
        String ok2 = api.post("/jobs", "{\"url\":" + quote(site.url("/a")) + ",\"max_age_seconds\":0}").json().get("id").asText();
        awaitStatus(ok1, "completed");
        awaitStatus(ok2, "completed");
        JsonNode failed = awaitStatus(bad, "failed");
        assertThat(failed.get("error").get("reason").asText()).isEqualTo("http_404");
        assertThat(failed.get("http_status").asInt()).isEqualTo(404);

        JsonNode completed = api.get("/jobs?status=completed&limit=10").json();
        assertThat(completed.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(ok2, ok1);
        assertThat(completed.get("next_cursor").isNull()).isTrue();
        assertThat(api.get("/jobs?status=failed").json().get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(bad);

        JsonNode firstPage = api.get("/jobs?limit=2").json();
        assertThat(firstPage.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(ok2, bad);
        JsonNode second = api.get("/jobs?limit=2&cursor=" + firstPage.get("next_cursor").asText()).json();
        assertThat(second.get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(ok1);
    }

    @Test
    void deadLettersAreListedAndRequeued() {
        AtomicInteger calls = new AtomicInteger();
        site.route("/flaky", ex -> {
            if (calls.incrementAndGet() == 1) {
                TestSite.send(ex, 500, "text/plain", "boom");
            } else {
                TestSite.send(ex, 200, "text/html", "<title>recovered</title>");
            }
        });
        String id = api.post("/jobs", "{\"url\":" + quote(site.url("/flaky")) + ",\"max_attempts\":1}").json()
                .get("id").asText();
        assertThat(awaitStatus(id, "failed").get("error").get("reason").asText()).isEqualTo("http_500");

        JsonNode dead = api.get("/dead-letter?queue=fetch").json().get("dead_letters");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("job_id").asText()).isEqualTo(id);
        assertThat(dead.get(0).get("error").asText()).contains("http_500");

        ApiClient.Response requeued = api.post("/dead-letter/requeue", "{\"ids\":[" + quote(dead.get(0).get("id").asText()) + "]}");
        assertThat(requeued.status()).isEqualTo(200);
        assertThat(requeued.json().get("requeued").asInt()).isEqualTo(1);

        JsonNode done = awaitStatus(id, "completed");
        assertThat(done.get("title").asText()).isEqualTo("recovered");
        assertThat(api.get("/dead-letter").json().get("dead_letters")).isEmpty();
    }

    @Test
    void retryFetchesTheFailedUrlsAgain() {
        AtomicInteger calls = new AtomicInteger();
        site.route("/once-broken", ex -> {
            if (calls.incrementAndGet() == 1) {
                TestSite.send(ex, 404, "text/plain", "not yet");
            } else {
                TestSite.send(ex, 200, "text/html", "<title>now here</title>");
            }
        });
        String id = api.post("/jobs", "{\"url\":" + quote(site.url("/once-broken")) + "}").json().get("id").asText();
        awaitStatus(id, "failed");

        ApiClient.Response r = api.post("/jobs/" + id + "/retry", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(awaitStatus(id, "completed").get("title").asText()).isEqualTo("now here");
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstJobAndRefusesAnotherBody() {
        site.html("/idem", "<title>i</title>");
        String body = "{\"url\":" + quote(site.url("/idem")) + "}";

        ApiClient.Response first = api.post("/jobs", body, "Idempotency-Key", "order-42");
        ApiClient.Response repeat = api.post("/jobs", body, "Idempotency-Key", "order-42");
        ApiClient.Response other = api.post("/jobs", "{\"url\":" + quote(site.url("/other")) + "}", "Idempotency-Key", "order-42");

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(repeat.header("Location")).isEqualTo("/jobs/" + first.json().get("id").asText());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("detail").asText()).contains("Idempotency-Key");
        assertThat(api.get("/jobs").json().get("jobs")).as("one job, not two").hasSize(1);

        ApiClient.Response invalid = api.post("/jobs", "{\"url\":\"ftp://nope\"}", "Idempotency-Key", "k-2");
        assertThat(invalid.status()).isEqualTo(400);
        ApiClient.Response fixed = api.post("/jobs", body.replace("/idem", "/idem2"), "Idempotency-Key", "k-2");
        assertThat(fixed.status()).as("a refused request does not use its key up").isEqualTo(201);
    }

    @Test
    void aStoredPageComesBackWithItsContentType() {
        site.page("/data.json", 200, "application/json", "{\"answer\":42}");
        String id = api.post("/jobs", "{\"url\":" + quote(site.url("/data.json")) + "}").json().get("id").asText();
        JsonNode done = awaitStatus(id, "completed");
        String pageId = done.get("page_id").asText();

        JsonNode page = api.get("/pages/" + pageId).json();
        assertThat(page.get("content_type").asText()).startsWith("application/json");
        assertThat(page.get("sha256").asText()).hasSize(64);
        ApiClient.Response content = api.get(page.get("content_url").asText());
        assertThat(content.status()).isEqualTo(200);
        assertThat(content.contentType()).startsWith("application/json");
        assertThat(content.body()).isEqualTo("{\"answer\":42}");
        assertThat(api.get("/pages/nope").status()).isEqualTo(404);
    }

    @Test
    void statsHealthAndMetricsDescribeTheNode() {
        site.html("/s", "<title>s</title>");
        String id = api.post("/jobs", "{\"url\":" + quote(site.url("/s")) + "}").json().get("id").asText();
        awaitStatus(id, "completed");

        JsonNode health = api.get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("workers").get("alive").asBoolean()).isTrue();

        JsonNode stats = api.get("/stats").json();
        assertThat(stats.get("queues").get("fetch").get("completed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("node").get("workers_running").asBoolean()).isTrue();

        await().atMost(WAIT).untilAsserted(() -> assertThat(api.get("/metrics").body())
                .contains("fetchq_urls_submitted_total")
                .contains("fetchq_urls_finished_total{reason=\"\",status=\"completed\"}")
                .contains("fetchq_fetch_duration_seconds_bucket")
                .contains("fetchq_queue_depth{queue=\"fetch\",state=\"completed\"}")
                .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/jobs\",status=\"201\"}")
                .contains("jvm_memory_used_bytes"));
    }
}
