package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal is a 4xx problem+json whose detail a person understands, naming the field when one is wrong. */
class ApiErrorsTest extends ApiTestBase {
    @TempDir
    Path dir;

    @Override
    protected String db() {
        return dir.resolve("errors.db").toString();
    }

    @Override
    protected HttpSettings http() {
        return HttpSettings.defaults().withPort(0).withMaxBodyBytes(64 * 1024);
    }

    private JsonNode problem(ApiClient.Response r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(p.get("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
        return p;
    }

    private static String field(JsonNode p) {
        return p.get("errors").get(0).get("field").asText();
    }

    @Test
    void malformedJsonSaysWhereItBroke() {
        JsonNode p = problem(api.post("/jobs", "{\"url\": \"http://a.test/\", }"), 400);
        assertThat(p.get("detail").asText()).contains("not valid JSON").contains("line 1");
        problem(api.post("/jobs", "{\"url\": \"http://a.test/\"} trailing"), 400);
        problem(api.post("/jobs", "{\"url\": 1, \"url\": 2}"), 400);
        problem(api.post("/jobs", ""), 400);
        assertThat(problem(api.post("/jobs", "[1,2]"), 400).get("detail").asText()).contains("JSON object");
    }

    @Test
    void wrongTypesNameTheField() {
        assertThat(field(problem(api.post("/jobs", "{\"url\": 42}"), 400))).isEqualTo("url");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"priority\": \"high\"}"), 400)))
                .isEqualTo("priority");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"priority\": 11}"), 400))).isEqualTo("priority");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"max_attempts\": 1.5}"), 400)))
                .isEqualTo("max_attempts");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"metadata\": [1]}"), 400))).isEqualTo("metadata");
        assertThat(field(problem(api.post("/jobs", "{\"urls\": \"http://a.test/\"}"), 400))).isEqualTo("urls");
        assertThat(field(problem(api.post("/jobs", "{\"urls\": [{\"url\": \"http://a.test/\", \"priority\": 0}]}"), 400)))
                .isEqualTo("urls[0].priority");
        assertThat(field(problem(api.post("/jobs", "{\"urls\": [true]}"), 400))).isEqualTo("urls[0]");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"respect_robots\": \"no\"}"), 400)))
                .isEqualTo("respect_robots");
        assertThat(field(problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"colour\": \"red\"}"), 400)))
                .isEqualTo("colour");
    }

    @Test
    void missingOrDoubledUrlsAreRefused() {
        assertThat(field(problem(api.post("/jobs", "{\"priority\": 3}"), 400))).isEqualTo("url");
        problem(api.post("/jobs", "{\"url\": \"http://a.test/\", \"urls\": [\"http://b.test/\"]}"), 400);
        assertThat(field(problem(api.post("/jobs", "{\"urls\": []}"), 400))).isEqualTo("urls");
        assertThat(field(problem(api.post("/jobs", "{\"urls\": [{\"priority\": 2}]}"), 400))).isEqualTo("urls[0].url");
    }

    @Test
    void invalidAndDuplicateUrlsAreListedTogetherAndNothingIsStored() {
        JsonNode p = problem(api.post("/jobs",
                "{\"urls\": [\"http://ok.test/\", \"ftp://x.test/\", \"not a url\", \"http://OK.test:80/#x\"]}"), 400);
        assertThat(p.get("errors")).extracting(e -> e.get("field").asText()).containsExactly("urls[1]", "urls[2]", "urls[3]");
        assertThat(p.get("errors").get(2).get("reason").asText()).contains("same URL as urls[0]");
        assertThat(api.get("/jobs").json().get("jobs")).isEmpty();
    }

    @Test
    void unknownIdsAre404() {
        assertThat(problem(api.get("/jobs/no-such-job"), 404).get("detail").asText()).contains("no-such-job");
        problem(api.get("/jobs/no-such-job/results"), 404);
        problem(api.delete("/jobs/no-such-job"), 404);
        problem(api.post("/jobs/no-such-job/retry", ""), 404);
        problem(api.get("/pages/no-such-page"), 404);
        problem(api.get("/pages/no-such-page/content"), 404);
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"url\": \"http://a.test/\", \"metadata\": {\"pad\": \"" + "x".repeat(70 * 1024) + "\"}}";
        assertThat(problem(api.post("/jobs", big), 413).get("detail").asText()).contains("65536");
    }

    @Test
    void wrongContentTypesAre415() {
        problem(api.send("POST", "/jobs", "url=http://a.test/", "application/x-www-form-urlencoded"), 415);
        problem(api.send("POST", "/jobs", "{\"url\": \"http://a.test/\"}", "text/plain"), 415);
        problem(api.send("POST", "/jobs", "{\"url\": \"http://a.test/\"}", null), 415);
        assertThat(api.send("POST", "/jobs", "{\"url\": \"http://a.test/\", \"delay_seconds\": 3600}", "application/json; charset=utf-8").status())
                .isEqualTo(201);
    }

    @Test
    void unsupportedMethodsAre405AndUnknownRoutes404() {
        problem(api.send("PUT", "/jobs", "{}", "application/json"), 405);
        problem(api.send("PATCH", "/health", null, null), 405);
        assertThat(problem(api.get("/nowhere"), 404).get("detail").asText()).contains("/docs");
    }

    @Test
    void badQueryParametersNameTheParameter() {
        assertThat(field(problem(api.get("/jobs?status=done"), 400))).isEqualTo("status");
        assertThat(field(problem(api.get("/jobs?limit=0"), 400))).isEqualTo("limit");
        assertThat(field(problem(api.get("/jobs?limit=abc"), 400))).isEqualTo("limit");
        assertThat(field(problem(api.get("/dead-letter?queue=bad%20name"), 400))).isEqualTo("queue");
    }

    @Test
    void requeueNeedsIdsOrAll() {
        problem(api.post("/dead-letter/requeue", "{}"), 400);
        assertThat(field(problem(api.post("/dead-letter/requeue", "{\"ids\": [1]}"), 400))).isEqualTo("ids[0]");
        assertThat(api.post("/dead-letter/requeue", "{\"all\": true}").json().get("requeued").asInt()).isZero();
    }

    @Test
    void aBadIdempotencyKeyIsRefused() {
        problem(api.post("/jobs", "{\"url\": \"http://a.test/\"}", "Idempotency-Key", "k".repeat(300)), 400);
    }
}
