package io.fetchq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetchq queues ...} against a real server: the CLI producer and consumer of the seed. */
class QueuesCommandTest {
    @TempDir
    Path dir;
    private Node node;
    private String server;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() {
        node = Node.start(Settings.builder().db(dir.resolve("cli.db").toString()).build(), EnumSet.of(Node.Role.API),
                HttpSettings.defaults().withPort(0), w -> { });
        server = "http://127.0.0.1:" + node.api().port();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (args.length >= 2) {
            all.add("--server=" + server);
        }
        CliRun r = new CliRun(all.toArray(String[]::new));
        out = r.out;
        err = r.err;
        return r.exitCode;
    }

    @Test
    void createSendListShowReceiveAndPurge() throws Exception {
        assertThat(run("queues", "create", "emails", "--visibility-timeout", "1m", "--max-receive-count", "0",
                "--max-message-size", "1KiB")).isZero();
        assertThat(out.toString()).contains("queue emails is ready").contains("visibility timeout: 1m")
                .contains("never dead-letter").contains("1KiB");

        assertThat(run("queues", "send", "emails", "hello", "{\"to\":\"a@b.c\"}")).isZero();
        assertThat(out.toString()).contains("sent 2 message(s) to emails");
        assertThat(run("queues", "send", "emails", "--stub", "250")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("sent 250 message(s)");
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, "line one\n\nline two\n");
        assertThat(run("queues", "send", "emails", "-f", file.toString())).isZero();
        assertThat(out.toString()).contains("sent 2 message(s)");
        assertThat(run("queues", "send", "emails", "once", "--dedupe-id", "k")).isZero();
        assertThat(run("queues", "send", "emails", "once", "--dedupe-id", "k")).isZero();
        assertThat(out.toString()).contains("sent 0 message(s)").contains("1 repeat(s)");

        assertThat(run("queues", "list")).isZero();
        assertThat(out.toString()).containsPattern("emails\\s+255\\s+0\\s+0\\s+0\\s+60s\\s+never");
        assertThat(run("queues", "show", "emails", "--json")).isZero();
        assertThat(out.toString()).contains("\"visible\":255");

        assertThat(run("queues", "receive", "emails", "--max", "2", "--delete")).isZero();
        assertThat(out.toString().lines()).hasSize(2).allMatch(l -> l.startsWith("{\"id\":") && l.contains("\"receipt\":"));
        assertThat(out.toString()).contains("\"body\":\"hello\"").contains("a@b.c");
        assertThat(run("queues", "receive", "emails")).isZero();
        assertThat(run("queues", "show", "emails")).isZero();
        assertThat(out.toString()).contains("252 visible, 1 in flight");

        assertThat(run("queues", "send", "emails", "x".repeat(2000))).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("at most 1024 bytes").contains("HTTP 400");
        assertThat(run("queues", "purge", "emails")).isZero();
        assertThat(out.toString()).contains("purged 253 message(s)");
        assertThat(run("queues", "delete", "emails")).isZero();
        assertThat(run("queues", "show", "emails")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("no queue named 'emails'");
    }

    @Test
    void listenPrintsOrPipesEachMessageAndDeletesItOnlyWhenTheCommandSucceeds() {
        run("queues", "create", "work", "--visibility-timeout", "1h");
        run("queues", "send", "work", "one", "two", "three");

        assertThat(run("queues", "listen", "work", "--count", "1")).isZero();
        assertThat(out.toString()).isEqualTo("one" + System.lineSeparator());

        assertThat(run("queues", "listen", "work", "--count", "1", "--exec",
                "printf '%s|%s|%s|' \"$FETCHQ_QUEUE\" \"$FETCHQ_RECEIVE_COUNT\" \"$(cat)\"")).isZero();
        assertThat(out.toString()).isEqualTo("work|1|two|");

        assertThat(run("queues", "listen", "work", "--count", "1", "--exec", "cat >/dev/null; exit 3")).isZero();
        assertThat(err.toString()).contains("failed (exit 3)").contains("delivered again");

        run("queues", "show", "work");
        assertThat(out.toString()).as("one and two deleted; three left in flight after its failure")
                .contains("0 visible, 1 in flight");
    }

    @Test
    void deadLettersAreListedAndRedriven() throws Exception {
        run("queues", "create", "flaky", "--visibility-timeout", "1s", "--max-receive-count", "1");
        run("queues", "send", "flaky", "poison pill");
        assertThat(run("queues", "listen", "flaky", "--count", "1", "--exec", "cat >/dev/null; exit 1")).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> run("queues", "dead", "flaky", "--json") == 0
                && out.toString().contains("poison pill"));
        String id = out.toString().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1").strip();

        assertThat(run("queues", "dead", "flaky")).isZero();
        assertThat(out.toString()).contains(id).contains("received 1 time(s)").contains("poison pill");
        assertThat(run("queues", "redrive", "flaky")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("queues", "redrive", "flaky", id)).isZero();
        assertThat(out.toString()).contains("redrove 1 message(s) to flaky");
        assertThat(run("queues", "listen", "flaky", "--count", "1")).isZero();
        assertThat(out.toString()).isEqualTo("poison pill" + System.lineSeparator());
        assertThat(run("queues", "redrive", "flaky", "--all")).isZero();
        assertThat(out.toString()).contains("redrove 0 message(s)");
        assertThat(run("queues", "dead", "flaky")).isZero();
        assertThat(out.toString()).contains("no dead letters");
    }

    @Test
    void badUsageAndAnUnreachableServerAreOneLine() {
        assertThat(run("queues", "send", "q")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("nothing to send");
        assertThat(run("queues", "create", "q", "--retention", "forever")).isEqualTo(Main.EXIT_USAGE);
        CliRun unreachable = new CliRun("queues", "list", "--server", "http://127.0.0.1:9");
        assertThat(unreachable.exitCode).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(unreachable.err.toString()).contains("cannot reach the fetchq server at http://127.0.0.1:9")
                .doesNotContain("Exception");
    }

    /** {@code listen} as a real process: it handles messages as they come and stops cleanly on SIGTERM (Ctrl-C alike). */
    @Test
    void listenRunsUntilStoppedAndStopsCleanly() throws Exception {
        run("queues", "create", "live");
        Path log = dir.resolve("listen.log");
        Path seen = dir.resolve("seen.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process listen = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "queues", "listen", "live", "--server", server, "--exec", "cat >> " + seen)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Ctrl-C stops"));
            run("queues", "send", "live", "a", "b");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(seen) && Files.readString(seen).equals("ab"));
            run("queues", "send", "live", "c");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(seen).equals("abc"));

            long stopAt = System.nanoTime();
            listen.destroy(); // SIGTERM, as Ctrl-C would stop it
            assertThat(listen.waitFor(20, TimeUnit.SECONDS)).as("stopped; log:%n%s", Files.readString(log)).isTrue();
            assertThat((System.nanoTime() - stopAt) / 1_000_000).as("did not wait out its 20 s long poll").isLessThan(10_000);
            assertThat(Files.readString(log)).contains("stopped listening on live after 3 message(s)");
            HttpResponse<String> q = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server + "/queues/live"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher counts = Pattern.compile("\"visible\":(\\d+),\"in_flight\":(\\d+)").matcher(q.body());
            assertThat(counts.find()).isTrue();
            assertThat(counts.group(1) + "/" + counts.group(2)).as("all three deleted").isEqualTo("0/0");
        } finally {
            listen.destroyForcibly();
        }
    }
}
