package io.fetchq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.cli.Main;
import io.fetchq.testing.PgTestDatabase;
import io.fetchq.testing.TestSite;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many nodes as an operator runs them: {@code fetchq migrate} once, then one {@code fetchq api} process and
 * three {@code fetchq worker} processes started with {@code --no-migrate} on one PostgreSQL. A 2,000-URL job
 * submitted to the API is completed by the workers together, every URL fetched exactly once.
 */
class MultiProcessTest {
    private static final int URLS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneApiAndThreeWorkerProcessesFetchEveryUrlOfABigJobExactlyOnce(@TempDir Path tmp) throws Exception {
        List<Process> processes = new ArrayList<>();
        try (PgTestDatabase db = PgTestDatabase.create(MultiProcessTest.class); TestSite site = new TestSite()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < URLS; i++) {
                site.html("/p/" + i, "<html><head><title>Page " + i + "</title></head><body>page " + i + "</body></html>");
                urls.add(site.url("/p/" + i));
            }
            Process migrate = fetchq(tmp.resolve("migrate.log"), "migrate", "--db", db.schemaUrl());
            assertThat(migrate.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(migrate.exitValue()).as(Files.readString(tmp.resolve("migrate.log"))).isZero();
            assertThat(Files.readString(tmp.resolve("migrate.log"))).contains("schema is at version");

            int port = freePort();
            processes.add(fetchq(tmp.resolve("api.log"), "api", "--db", db.schemaUrl(), "--no-migrate",
                    "--port", String.valueOf(port)));
            for (int w = 0; w < 3; w++) {
                processes.add(fetchq(tmp.resolve("worker-" + w + ".log"), "worker", "--db", db.schemaUrl(), "--no-migrate",
                        "--allow-private-networks", "--allow-ports", "*", "--per-host-concurrency", "32",
                        "--per-host-delay", "0s", "--fetch-concurrency", "16", "--poll-interval", "200ms"));
            }
            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create(api + "/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() == 200);
            for (int w = 0; w < 3; w++) {
                Path log = tmp.resolve("worker-" + w + ".log");
                await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(log).contains("running on"));
            }

            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(api + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("urls", urls)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
            String id = JSON.readTree(submitted.body()).get("id").asText();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> !JSON.readTree(
                    http.send(HttpRequest.newBuilder(URI.create(api + "/jobs/" + id)).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).get("finished_at").isNull());
            JsonNode job = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(api + "/jobs/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(job.get("status").asText()).isEqualTo("completed");
            assertThat(job.get("counts").get("completed").asInt()).isEqualTo(URLS);

            Map<String, Integer> hits = new HashMap<>();
            for (TestSite.Seen s : site.seen()) {
                if (s.path().startsWith("/p/")) {
                    hits.merge(s.path(), 1, Integer::sum);
                }
            }
            assertThat(hits).as("every page requested").hasSize(URLS);
            assertThat(hits.values()).as("no page requested twice").allMatch(n -> n == 1);

            Map<String, Integer> byWorker = new HashMap<>();
            try (Connection c = DriverManager.getConnection(db.schemaUrl()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT leased_by, count(*) FROM fetchq_job WHERE queue = 'fetch'"
                         + " AND state = 'completed' GROUP BY leased_by")) {
                while (rs.next()) {
                    byWorker.put(rs.getString(1), rs.getInt(2));
                }
            }
            System.out.println("multi-process: fetches per worker process " + byWorker);
            assertThat(byWorker).as("the three worker processes shared the work").hasSize(3);
            assertThat(byWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(URLS);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Process fetchq(Path log, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
