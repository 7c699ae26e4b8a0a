package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchq.config.InvalidSettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With API keys configured: who may do what, and how keys are read. */
class ApiKeysTest extends ApiTestBase {
    static final String ALICE = "alice-key-0123456789";
    static final String BOB = "bob-key-0123456789ab";
    static final String READER = "reader-key-0123456789";
    static final String ADMIN = "admin-key-0123456789";

    @TempDir
    Path dir;

    @Override
    protected String db() {
        return dir.resolve("keys.db").toString();
    }

    @Override
    protected HttpSettings http() {
        return HttpSettings.defaults().withPort(0).withKeys(ApiKeys.of(
                "alice:" + ALICE + ", bob:" + BOB + ":write, alice:" + READER + ":read, ops:" + ADMIN + ":admin", null));
    }

    @Test
    void everyRouteButHealthAndTheDocsNeedsAKey() {
        ApiClient.Response none = api.get("/jobs");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(api.get("/stats").status()).isEqualTo(401);
        assertThat(api.get("/metrics").status()).isEqualTo(401);
        assertThat(api.post("/jobs", "{\"url\":\"http://a.test/\"}").status()).isEqualTo(401);
        assertThat(api.withKey("wrong-key-0123456789").get("/jobs").status()).isEqualTo(401);
        assertThat(api.unchecked().send("GET", "/jobs", null, null, "Authorization", "Basic abc").status()).isEqualTo(401);

        assertThat(api.get("/health").status()).isEqualTo(200);
        assertThat(api.unchecked().get("/openapi.json").status()).isEqualTo(200);
        assertThat(api.unchecked().get("/docs").status()).isEqualTo(200);
    }

    @Test
    void aKeySeesAndCancelsOnlyItsOwnJobs() {
        site.html("/x", "<title>x</title>");
        ApiClient alice = api.withKey(ALICE);
        ApiClient bob = api.withKey(BOB);
        String mine = alice.post("/jobs", "{\"url\":" + quote(site.url("/x")) + ",\"delay_seconds\":3600}").json()
                .get("id").asText();
        String his = bob.post("/jobs", "{\"url\":" + quote(site.url("/x")) + ",\"delay_seconds\":3600}").json()
                .get("id").asText();

        assertThat(alice.get("/jobs").json().get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(mine);
        assertThat(alice.get("/jobs/" + his).status()).as("another owner's job is not found").isEqualTo(404);
        assertThat(alice.delete("/jobs/" + his).status()).isEqualTo(404);
        assertThat(alice.get("/jobs/" + his + "/results").status()).isEqualTo(404);
        assertThat(bob.delete("/jobs/" + his).status()).isEqualTo(200);

        ApiClient admin = api.withKey(ADMIN);
        assertThat(admin.get("/jobs").json().get("jobs")).hasSize(2);
        assertThat(admin.get("/jobs/" + mine).status()).isEqualTo(200);
    }

    @Test
    void scopesLimitWhatAKeyMayDo() {
        ApiClient reader = api.withKey(READER);
        ApiClient alice = api.withKey(ALICE);
        String id = alice.post("/jobs", "{\"url\":\"http://a.test/\",\"delay_seconds\":3600}").json().get("id").asText();

        assertThat(reader.get("/jobs/" + id).status()).as("same owner, read scope").isEqualTo(200);
        ApiClient.Response submit = reader.post("/jobs", "{\"url\":\"http://a.test/b\"}");
        assertThat(submit.status()).isEqualTo(403);
        assertThat(submit.json().get("detail").asText()).contains("read").contains("write");
        assertThat(reader.delete("/jobs/" + id).status()).isEqualTo(403);

        assertThat(alice.get("/dead-letter").status()).as("dead letters are for admins").isEqualTo(403);
        assertThat(alice.post("/dead-letter/requeue", "{\"all\":true}").status()).isEqualTo(403);
        assertThat(alice.post("/jobs", "{\"url\":\"http://a.test/c\",\"respect_robots\":false}").status()).isEqualTo(403);
        assertThat(api.withKey(ADMIN).get("/dead-letter").status()).isEqualTo(200);
        assertThat(api.withKey(ADMIN).post("/dead-letter/requeue", "{\"all\":true}").status()).isEqualTo(200);
    }

    @Test
    void brokerQueuesAreSharedAndOnlyAdminsDeletePurgeOrRedrive() {
        ApiClient reader = api.withKey(READER);
        ApiClient alice = api.withKey(ALICE);
        ApiClient bob = api.withKey(BOB);
        ApiClient admin = api.withKey(ADMIN);
        assertThat(api.get("/queues").status()).isEqualTo(401);
        assertThat(reader.put("/queues/shared", null).status()).isEqualTo(403);
        assertThat(alice.put("/queues/shared", null).status()).isEqualTo(201);
        assertThat(reader.get("/queues/shared").status()).isEqualTo(200);
        assertThat(reader.post("/queues/shared/messages", "{\"body\":\"x\"}").status()).isEqualTo(403);
        assertThat(reader.get("/queues/shared/messages").status()).as("a receive changes the message").isEqualTo(403);
        assertThat(alice.post("/queues/shared/messages", "{\"body\":\"x\"}").status()).isEqualTo(201);
        assertThat(bob.get("/queues/shared/messages").json()).as("queues are not per owner").hasSize(1);
        assertThat(reader.get("/queues/shared/dead").status()).isEqualTo(200);

        assertThat(bob.post("/queues/shared/purge", "").status()).isEqualTo(403);
        assertThat(bob.post("/queues/shared/redrive", "{\"all\":true}").status()).isEqualTo(403);
        assertThat(bob.delete("/queues/shared").status()).isEqualTo(403);
        assertThat(admin.post("/queues/shared/purge", "").status()).isEqualTo(200);
        assertThat(admin.post("/queues/shared/redrive", "{\"all\":true}").status()).isEqualTo(200);
        assertThat(admin.delete("/queues/shared").status()).isEqualTo(204);
    }

    @Test
    void keysComeFromTheVariableAndAFile() throws Exception {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "# team keys\ncarol:carol-key-0123456789  # carol\ndave:dave-key-0123456789:admin\n");
        ApiKeys keys = ApiKeys.of("erin:erin-key-0123456789:read", file);

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.authenticate("carol-key-0123456789")).get().isEqualTo(new ApiKeys.Principal("carol", ApiKeys.Scope.WRITE));
        assertThat(keys.authenticate("dave-key-0123456789").orElseThrow().scope()).isEqualTo(ApiKeys.Scope.ADMIN);
        assertThat(keys.authenticate("erin-key-0123456789").orElseThrow().scope()).isEqualTo(ApiKeys.Scope.READ);
        assertThat(keys.authenticate("carol-key-012345678")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void badKeyEntriesAreRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> ApiKeys.of("justakey", null)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("entry 1").hasMessageNotContaining("justakey");
        assertThatThrownBy(() -> ApiKeys.of("al:short", null)).hasMessageContaining("shorter than 16")
                .hasMessageNotContaining("short,");
        assertThatThrownBy(() -> ApiKeys.of("al:long-enough-key-0123:root", null)).hasMessageContaining("read, write or admin")
                .hasMessageNotContaining("long-enough-key-0123");
        assertThatThrownBy(() -> ApiKeys.of(null, dir.resolve("missing.txt"))).hasMessageContaining("--api-keys-file");
    }

    @Test
    void liveUpdatesTakeTheKeyAsAnAccessToken() throws Exception {
        String id = api.withKey(ALICE).post("/jobs", "{\"url\":\"http://a.test/\",\"delay_seconds\":3600}").json()
                .get("id").asText();
        api.withKey(ALICE).delete("/jobs/" + id);

        assertThat(api.unchecked().get("/jobs/" + id + "/events").status()).isEqualTo(401);
        ApiClient.Response sse = api.unchecked().get("/jobs/" + id + "/events?access_token=" + ALICE);
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.body()).contains("event: job.finished").contains("\"status\":\"cancelled\"");
        assertThat(api.unchecked().get("/jobs/" + id + "/events?access_token=" + BOB).status()).isEqualTo(404);

        String ws = api.base().replace("http", "ws");
        assertThatThrownBy(() -> LiveEvents.ws(ws + "/ws")).as("no key, no socket")
                .hasStackTraceContaining("status code 401");
        assertThatThrownBy(() -> LiveEvents.ws(ws + "/ws?access_token=wrong-key-0123456789"))
                .hasStackTraceContaining("status code 401");
        try (LiveEvents live = LiveEvents.ws(ws + "/ws/jobs/" + id + "?access_token=" + ALICE)) {
            await().atMost(WAIT).until(() -> live.kinds().contains("job.finished"));
        }
        try (LiveEvents other = LiveEvents.ws(ws + "/ws/jobs/" + id + "?access_token=" + BOB)) {
            await().atMost(WAIT).until(() -> other.closeCode == 4404);
        }
    }
}
