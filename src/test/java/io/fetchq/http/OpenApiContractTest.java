package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls every operation of the spec against the real server, each response validated against the spec by
 * {@link ApiClient}, then checks that none was left out: the spec cannot describe a route the server does
 * not have, or a shape it does not return. Swagger UI is served from the jar.
 */
class OpenApiContractTest extends ApiTestBase {
    @TempDir
    Path dir;

    @Override
    protected String db() {
        return dir.resolve("spec.db").toString();
    }

    @Test
    void everyOperationOfTheSpecAnswersAsTheSpecSays() {
        AtomicInteger calls = new AtomicInteger();
        site.route("/fails-once", ex -> io.fetchq.testing.TestSite.send(ex, calls.incrementAndGet() == 1 ? 500 : 200,
                "text/html", "<title>t</title>"));
        site.html("/ok", "<title>ok</title><p>fine</p>");

        String one = api.post("/jobs", "{\"url\":" + quote(site.url("/ok")) + "}").json().get("id").asText();
        JsonNode done = awaitStatus(one, "completed");
        api.post("/jobs", "{\"urls\":[" + quote(site.url("/ok")) + "]}", "Idempotency-Key", "k");
        api.post("/jobs", "{\"urls\":[" + quote(site.url("/ok")) + "]}", "Idempotency-Key", "k");
        api.get("/jobs?status=completed&limit=5");
        api.get("/jobs/" + one);
        api.get("/jobs/" + one + "/results?content=true");
        api.get("/jobs/" + one + "/events");
        api.get("/pages/" + done.get("page_id").asText());
        api.get("/pages/" + done.get("page_id").asText() + "/content");

        String flaky = api.post("/jobs", "{\"url\":" + quote(site.url("/fails-once")) + ",\"max_attempts\":1}").json()
                .get("id").asText();
        awaitStatus(flaky, "failed");
        api.get("/dead-letter?limit=10");
        api.post("/jobs/" + flaky + "/retry", "");
        awaitStatus(flaky, "completed");
        api.post("/dead-letter/requeue", "{\"all\":true}");

        String later = api.post("/jobs", "{\"url\":" + quote(site.url("/ok")) + ",\"delay_seconds\":600,\"max_age_seconds\":0}")
                .json().get("id").asText();
        api.delete("/jobs/" + later);
        api.get("/stats");
        api.get("/health");
        api.get("/metrics");

        api.put("/queues/spec", "{\"visibility_timeout\":1,\"max_receive_count\":1}");
        api.put("/queues/spec", null);
        api.get("/queues");
        api.get("/queues/spec");
        api.post("/queues/spec/messages", "{\"body\":\"one\"}");
        api.post("/queues/spec/messages", "{\"messages\":[{\"body\":\"two\"},{\"body\":\"three\",\"dedupe_id\":\"d\"}]}");
        JsonNode got = api.get("/queues/spec/messages?max=3&wait=1").json();
        api.post("/queues/spec/messages/" + got.get(0).get("receipt").asText() + "/visibility", "{\"visibility_timeout\":60}");
        api.delete("/queues/spec/messages/" + got.get(0).get("receipt").asText());
        api.delete("/queues/spec/messages/" + got.get(0).get("receipt").asText());
        api.post("/queues/spec/messages/delete", "{\"receipts\":[" + quote(got.get(1).get("receipt").asText()) + "]}");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                api.get("/queues/spec").json().get("counts").get("dead").asInt() == 1);
        api.get("/queues/spec/dead");
        api.post("/queues/spec/redrive", "{\"all\":true}");
        api.post("/queues/spec/purge?dead=true", "");
        api.delete("/queues/spec");

        assertThat(OpenApiSpec.INSTANCE.seen()).containsAll(OpenApiSpec.INSTANCE.operations());
    }

    @Test
    void theSpecAndSwaggerUiAreServedFromTheJar() {
        ApiClient.Response spec = api.unchecked().get("/openapi.json");
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.json().get("openapi").asText()).isEqualTo("3.1.0");

        ApiClient.Response docs = api.unchecked().get("/docs");
        assertThat(docs.contentType()).startsWith("text/html");
        assertThat(docs.body()).contains("/docs/swagger-ui-bundle.js").contains("/openapi.json").doesNotContain("https://");
        for (String file : SwaggerUi.ASSETS.keySet()) {
            ApiClient.Response asset = api.unchecked().get("/docs/" + file);
            assertThat(asset.status()).as(file).isEqualTo(200);
            assertThat(asset.body()).as(file).isNotEmpty();
        }
        assertThat(api.unchecked().get("/docs/../../etc/passwd").status()).isIn(400, 404);
        assertThat(api.unchecked().get("/docs/index.html").status()).as("only the listed files").isEqualTo(404);
    }
}
