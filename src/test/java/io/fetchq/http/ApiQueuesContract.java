package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker's routes as a user of an SQS-like queue tries them, end to end; run on both stores. */
abstract class ApiQueuesContract extends ApiTestBase {

    JsonNode create(String name, String settings) {
        ApiClient.Response r = api.put("/queues/" + name, settings);
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
        return r.json();
    }

    String send(String name, String body) {
        ApiClient.Response r = api.post("/queues/" + name + "/messages", "{\"body\":" + quote(body) + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    JsonNode receive(String name, String query) {
        ApiClient.Response r = api.get("/queues/" + name + "/messages" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aQueueIsCreatedShownListedUpdatedAndDeleted() {
        ApiClient.Response created = api.put("/queues/emails", null);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/queues/emails");
        JsonNode q = created.json();
        assertThat(q.get("visibility_timeout").asInt()).isEqualTo(30);
        assertThat(q.get("max_receive_count").asInt()).isEqualTo(5);
        assertThat(q.get("retention_seconds").asLong()).isEqualTo(4 * 24 * 3600);
        assertThat(q.get("max_message_bytes").asInt()).isEqualTo(256 * 1024);
        assertThat(q.get("delay_seconds").asInt()).isZero();

        ApiClient.Response again = api.put("/queues/emails", "{\"visibility_timeout\":5,\"max_receive_count\":0}");
        assertThat(again.status()).as("an update, idempotent").isEqualTo(200);
        assertThat(again.json().get("visibility_timeout").asInt()).isEqualTo(5);
        assertThat(again.json().get("max_receive_count").asInt()).isZero();
        assertThat(again.json().get("retention_seconds").asLong()).as("kept").isEqualTo(4 * 24 * 3600);

        create("audit", "{\"delay_seconds\":60}");
        send("emails", "hi");
        send("audit", "later");
        JsonNode list = api.get("/queues").json().get("queues");
        assertThat(list).extracting(n -> n.get("name").asText()).containsExactly("audit", "emails");
        assertThat(list.get(0).get("counts").get("delayed").asInt()).isEqualTo(1);
        assertThat(list.get(1).get("counts").get("visible").asInt()).isEqualTo(1);
        assertThat(api.get("/queues/emails").json().get("counts").get("visible").asInt()).isEqualTo(1);

        assertThat(api.delete("/queues/emails").status()).isEqualTo(204);
        assertThat(api.get("/queues/emails").status()).isEqualTo(404);
        assertThat(api.post("/queues/emails/messages", "{\"body\":\"x\"}").status()).isEqualTo(404);
        assertThat(api.delete("/queues/emails").status()).isEqualTo(404);
        assertThat(api.put("/queues/emails", null).status()).as("created anew, empty").isEqualTo(201);
        assertThat(api.get("/queues/emails").json().get("counts").get("visible").asInt()).isZero();
    }

    @Test
    void theScrapeQueuesAreReservedAndNamesAreChecked() {
        for (String reserved : List.of("fetch", "webhook")) {
            ApiClient.Response r = api.put("/queues/" + reserved, null);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("detail").asText()).contains("reserved");
            assertThat(api.get("/queues/" + reserved).status()).isEqualTo(400);
            assertThat(api.post("/queues/" + reserved + "/messages", "{\"body\":\"x\"}").status()).isEqualTo(400);
            assertThat(api.post("/queues/" + reserved + "/purge", "").status()).isEqualTo(400);
        }
        ApiClient.Response bad = api.put("/queues/" + "x".repeat(81), null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(api.put("/queues/a.b", null).status()).isEqualTo(400);
        assertThat(api.get("/queues/nope").status()).isEqualTo(404);
        assertThat(api.get("/queues").json().get("queues")).isEmpty();
    }

    @Test
    void sentMessagesAreReceivedWithReceiptsAndDeleted() {
        create("work", null);
        String id = send("work", "{\"task\":\"resize\",\"n\":1}");
        ApiClient.Response batch = api.post("/queues/work/messages",
                "{\"messages\":[{\"body\":\"two\"},{\"body\":\"three \u00e9\u4e2d\ud83d\ude00\"}]}");
        assertThat(batch.status()).isEqualTo(201);
        assertThat(batch.json().get("messages")).hasSize(2);

        JsonNode got = receive("work", "?max=10");
        assertThat(got).hasSize(3);
        assertThat(got.get(0).get("id").asText()).isEqualTo(id);
        assertThat(got.get(0).get("body").asText()).isEqualTo("{\"task\":\"resize\",\"n\":1}");
        assertThat(got.get(2).get("body").asText()).isEqualTo("three \u00e9\u4e2d\ud83d\ude00");
        for (JsonNode m : got) {
            assertThat(m.get("receive_count").asInt()).isEqualTo(1);
            assertThat(m.get("first_received_at").asText()).isNotBlank();
        }
        assertThat(receive("work", "?max=10")).as("in flight: hidden").isEmpty();
        assertThat(api.get("/queues/work").json().get("counts").get("in_flight").asInt()).isEqualTo(3);

        assertThat(api.delete("/queues/work/messages/" + got.get(0).get("receipt").asText()).status()).isEqualTo(204);
        ApiClient.Response deleted = api.post("/queues/work/messages/delete", "{\"receipts\":["
                + quote(got.get(1).get("receipt").asText()) + "," + quote(got.get(2).get("receipt").asText()) + "]}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("deleted")).hasSize(2);
        assertThat(deleted.json().get("stale")).isEmpty();
        JsonNode counts = api.get("/queues/work").json().get("counts");
        assertThat(counts.get("visible").asInt() + counts.get("in_flight").asInt()).isZero();

        ApiClient.Response twice = api.delete("/queues/work/messages/" + got.get(0).get("receipt").asText());
        assertThat(twice.status()).isEqualTo(410);
        assertThat(twice.json().get("detail").asText()).contains("no longer exists");
    }

    @Test
    void aMessageNotDeletedReappearsAfterItsVisibilityTimeoutAndItsOldReceiptIsStale() throws Exception {
        create("retry", "{\"visibility_timeout\":1}");
        String id = send("retry", "again");
        JsonNode first = receive("retry", "").get(0);
        assertThat(first.get("receive_count").asInt()).isEqualTo(1);

        JsonNode second = receive("retry", "?wait=5");
        assertThat(second).as("visible again once its 1 s visibility timeout expired").hasSize(1);
        assertThat(second.get(0).get("id").asText()).isEqualTo(id);
        assertThat(second.get(0).get("receive_count").asInt()).isEqualTo(2);
        assertThat(second.get(0).get("first_received_at").asText()).isEqualTo(first.get("first_received_at").asText());
        assertThat(second.get(0).get("receipt").asText()).isNotEqualTo(first.get("receipt").asText());

        ApiClient.Response stale = api.delete("/queues/retry/messages/" + first.get("receipt").asText());
        assertThat(stale.status()).isEqualTo(410);
        assertThat(stale.json().get("detail").asText()).contains("stale").contains("another receive holds it");
        ApiClient.Response staleVisibility = api.post("/queues/retry/messages/" + first.get("receipt").asText()
                + "/visibility", "{\"visibility_timeout\":0}");
        assertThat(staleVisibility.status()).isEqualTo(410);
        assertThat(api.get("/queues/retry").json().get("counts").get("in_flight").asInt()).as("nothing changed").isEqualTo(1);
        assertThat(api.delete("/queues/retry/messages/" + second.get(0).get("receipt").asText()).status()).isEqualTo(204);
    }

    @Test
    void visibilityCanBeExtendedOrEndedAtOnce() {
        create("vis", "{\"visibility_timeout\":1}");
        send("vis", "slow work");
        JsonNode m = receive("vis", "").get(0);
        String receipt = m.get("receipt").asText();

        ApiClient.Response extended = api.post("/queues/vis/messages/" + receipt + "/visibility", "{\"visibility_timeout\":60}");
        assertThat(extended.status()).isEqualTo(200);
        assertThat(receive("vis", "?wait=2")).as("extended past the original 1 s").isEmpty();

        assertThat(api.post("/queues/vis/messages/" + receipt + "/visibility", "{\"visibility_timeout\":0}").status())
                .isEqualTo(200);
        long start = System.nanoTime();
        JsonNode again = receive("vis", "?wait=5");
        assertThat(again).hasSize(1);
        assertThat((System.nanoTime() - start) / 1_000_000).as("released at once, not at the next rescue tick").isLessThan(1_000);
        assertThat(again.get(0).get("receive_count").asInt()).isEqualTo(2);
    }

    @Test
    void aMessageReceivedTooOftenGoesToTheDeadLettersAndCanBeRedriven() {
        create("flaky", "{\"visibility_timeout\":1,\"max_receive_count\":2}");
        String a = send("flaky", "a");
        String b = send("flaky", "b");
        for (int round = 1; round <= 2; round++) {
            JsonNode got = receive("flaky", "?max=10&wait=5&visibility_timeout=0");
            assertThat(got.size()).isBetween(1, 2);
            if (got.size() == 1) {
                got = receive("flaky", "?max=10&wait=5&visibility_timeout=0");
            }
        }
        org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
                api.get("/queues/flaky").json().get("counts").get("dead").asInt() == 2);
        assertThat(receive("flaky", "?max=10")).isEmpty();

        JsonNode dead = api.get("/queues/flaky/dead").json();
        assertThat(dead.get("messages")).extracting(n -> n.get("id").asText()).containsExactlyInAnyOrder(a, b);
        assertThat(dead.get("messages").get(0).get("receive_count").asInt()).isEqualTo(2);
        assertThat(dead.get("messages").get(0).get("reason").asText()).contains("max receive count 2");
        JsonNode page = api.get("/queues/flaky/dead?limit=1").json();
        assertThat(page.get("messages")).hasSize(1);
        assertThat(api.get("/queues/flaky/dead?limit=1&cursor=" + page.get("next_cursor").asText()).json().get("messages"))
                .hasSize(1);

        ApiClient.Response one = api.post("/queues/flaky/redrive", "{\"ids\":[" + quote(a) + "]}");
        assertThat(one.json().get("redriven").asInt()).isEqualTo(1);
        JsonNode back = receive("flaky", "?max=10&visibility_timeout=60");
        assertThat(back).hasSize(1);
        assertThat(back.get(0).get("id").asText()).isEqualTo(a);
        assertThat(back.get(0).get("receive_count").asInt()).as("reset by the redrive").isEqualTo(1);
        assertThat(api.post("/queues/flaky/redrive", "{\"all\":true}").json().get("redriven").asInt()).isEqualTo(1);
        assertThat(api.get("/queues/flaky").json().get("counts").get("dead").asInt()).isZero();
    }

    @Test
    void aDedupeIdMakesARepeatWithinTheWindowReturnTheFirstMessage() {
        create("dd", null);
        ApiClient.Response first = api.post("/queues/dd/messages", "{\"body\":\"pay 10\",\"dedupe_id\":\"order-7\"}");
        ApiClient.Response repeat = api.post("/queues/dd/messages", "{\"body\":\"pay 10\",\"dedupe_id\":\"order-7\"}");
        ApiClient.Response batch = api.post("/queues/dd/messages",
                "{\"messages\":[{\"body\":\"x\",\"dedupe_id\":\"b\"},{\"body\":\"x\",\"dedupe_id\":\"b\"}]}");

        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(repeat.json().get("duplicate").asBoolean()).isTrue();
        assertThat(repeat.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        JsonNode sent = batch.json().get("messages");
        assertThat(sent.get(1).get("id").asText()).isEqualTo(sent.get(0).get("id").asText());
        assertThat(sent.get(1).get("duplicate").asBoolean()).isTrue();

        JsonNode got = receive("dd", "?max=10");
        assertThat(got).hasSize(2);
        api.post("/queues/dd/messages/delete", "{\"receipts\":[" + quote(got.get(0).get("receipt").asText()) + ","
                + quote(got.get(1).get("receipt").asText()) + "]}");
        ApiClient.Response afterDelete = api.post("/queues/dd/messages", "{\"body\":\"pay 10\",\"dedupe_id\":\"order-7\"}");
        assertThat(afterDelete.json().get("duplicate").asBoolean()).as("still within 5 minutes").isTrue();
        assertThat(receive("dd", "?max=10")).isEmpty();
    }

    @Test
    void purgeEmptiesTheQueueAndDelayedMessagesWaitTheirDelay() {
        create("pq", null);
        send("pq", "1");
        api.post("/queues/pq/messages", "{\"body\":\"later\",\"delay_seconds\":600}");
        api.post("/queues/pq/messages", "{\"body\":\"soon\",\"delay_seconds\":1}");
        JsonNode counts = api.get("/queues/pq").json().get("counts");
        assertThat(counts.get("visible").asInt()).isEqualTo(1);
        assertThat(counts.get("delayed").asInt()).isEqualTo(2);
        receive("pq", "?max=10");
        JsonNode soon = receive("pq", "?wait=5");
        assertThat(soon).hasSize(1);
        assertThat(soon.get(0).get("body").asText()).isEqualTo("soon");

        ApiClient.Response purged = api.post("/queues/pq/purge", "");
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().get("purged").asInt()).isEqualTo(3);
        counts = api.get("/queues/pq").json().get("counts");
        assertThat(counts.get("visible").asInt() + counts.get("delayed").asInt() + counts.get("in_flight").asInt()).isZero();
    }

    @Test
    void aLongPollReturnsSoonAfterASendAndEmptyWhenTheWaitEnds() throws Exception {
        create("lp", null);
        long start = System.nanoTime();
        assertThat(receive("lp", "?wait=1")).isEmpty();
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertThat(waited).as("held for the wait").isBetween(900L, 5_000L);

        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            send("lp", "wake up");
        });
        start = System.nanoTime();
        JsonNode got = receive("lp", "?wait=20");
        long took = (System.nanoTime() - start) / 1_000_000;
        sender.join();
        assertThat(got).hasSize(1);
        // the send comes 0.5 s in; without the wake-up only the poll's own re-check, 2 s in, would find it
        assertThat(took).as("woken by the send, not by the end of the wait or a re-check").isLessThan(1_500L);
    }

    @Test
    void aReceiveOfBigMessagesIsCappedSoItsAnswerStaysBounded() {
        create("big", "{\"max_message_bytes\":1048576}");
        StringBuilder batch = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 40; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"body\":\"m").append(i).append("\"}");
        }
        api.post("/queues/big/messages", batch.append("]}").toString());

        assertThat(receive("big", "?max=100")).as("32 MiB / 1 MiB").hasSize(32);
        assertThat(receive("big", "?max=100")).hasSize(8);
    }

    @Test
    void everyLimitIsEnforcedWithAClearError() {
        create("lim", "{\"max_message_bytes\":10}");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"body\":\"" + "x".repeat(11) + "\"}", "body"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"messages\":[{\"body\":\"ok\"},{\"body\":\"" + "\u00e9".repeat(6) + "\"}]}", "messages[1].body"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"messages\":[" + "{\"body\":\"a\"},".repeat(100) + "{\"body\":\"a\"}]}", "messages"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"messages\":[]}", "messages"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"body\":\"a\",\"delay_seconds\":901}", "delay_seconds"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"body\":\"a\",\"dedupe_id\":\"" + "d".repeat(129) + "\"}", "dedupe_id"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"body\":{\"a\":1}}", "body"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{}", "body"});
        cases.add(new String[] {"POST", "/queues/lim/messages", "{\"body\":\"a\",\"priority\":1}", "priority"});
        cases.add(new String[] {"GET", "/queues/lim/messages?max=101", null, "max"});
        cases.add(new String[] {"GET", "/queues/lim/messages?max=0", null, "max"});
        cases.add(new String[] {"GET", "/queues/lim/messages?wait=21", null, "wait"});
        cases.add(new String[] {"GET", "/queues/lim/messages?visibility_timeout=43201", null, "visibility_timeout"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"visibility_timeout\":43201}", "visibility_timeout"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"max_receive_count\":1001}", "max_receive_count"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"retention_seconds\":59}", "retention"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"retention_seconds\":1209601}", "retention_seconds"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"max_message_bytes\":1048577}", "max_message_bytes"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"delay_seconds\":901}", "delay"});
        cases.add(new String[] {"PUT", "/queues/lim", "{\"colour\":\"red\"}", "colour"});
        cases.add(new String[] {"POST", "/queues/lim/messages/delete", "{\"receipts\":[\"nonsense\"]}", "receipts[0]"});
        cases.add(new String[] {"POST", "/queues/lim/messages/delete", "{\"receipts\":[]}", "receipts"});
        cases.add(new String[] {"DELETE", "/queues/lim/messages/nonsense", null, "receipt"});
        cases.add(new String[] {"POST", "/queues/lim/messages/a.b.c/visibility", "{\"visibility_timeout\":5}", "receipt"});
        cases.add(new String[] {"POST", "/queues/lim/redrive", "{}", "ids"});
        for (String[] c : cases) {
            ApiClient.Response r = api.send(c[0], c[1], c[2], c[2] == null ? null : "application/json");
            assertThat(r.status()).as("%s %s %s -> %s", c[0], c[1], c[2], r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("errors").get(0).get("field").asText()).as("%s %s", c[0], c[2]).startsWith(c[3]);
        }
        ApiClient.Response other = api.post("/queues/lim/messages/delete", "{\"receipts\":[\"a.b.c\"]}");
        assertThat(other.json().get("detail").asText()).contains("not issued by queue 'lim'");
        assertThat(api.get("/queues/lim").json().get("counts").get("visible").asInt()).as("nothing was sent").isZero();
        assertThat(api.send("POST", "/queues/lim/messages", "body=x", "text/plain").status()).isEqualTo(415);
    }
}
