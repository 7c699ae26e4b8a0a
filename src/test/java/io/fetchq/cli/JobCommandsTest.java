package io.fetchq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import io.fetchq.testing.TestSite;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client of the scrape face against a real server with workers fetching pages served on
 * 127.0.0.1: submit and wait, status, results in every format, content, cancel, retry, dead letters,
 * stats, and the exit codes a script relies on.
 */
class JobCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private final TestSite site = new TestSite();
    private Node node;
    private String server;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() {
        for (int i = 0; i < 30; i++) {
            site.html("/p/" + i, "<html><head><title>Page " + i + "</title></head><body><p>Text, \"quoted\" " + i
                    + "</p></body></html>");
        }
        site.page("/missing", 404, "text/plain", "no");
        node = Node.start(Settings.builder().db(dir.resolve("cli.db").toString()).allowPrivateNetworks(true)
                        .allowPorts("*").perHostConcurrency(8).perHostDelay("0s").pollInterval("100ms").build(),
                EnumSet.of(Node.Role.API, Node.Role.WORKERS), HttpSettings.defaults().withPort(0), w -> { });
        server = "http://127.0.0.1:" + node.api().port();
    }

    @AfterEach
    void stop() {
        node.close();
        site.close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server=" + server);
        CliRun r = new CliRun(all.toArray(String[]::new));
        out = r.out;
        err = r.err;
        return r.exitCode;
    }

    @Test
    void submitWaitsWithProgressLinesThenStatusAndResultsInEveryFormat() throws Exception {
        Path urls = dir.resolve("urls.txt");
        StringBuilder lines = new StringBuilder("# pages to fetch\n\n");
        for (int i = 0; i < 20; i++) {
            lines.append(site.url("/p/" + i)).append('\n');
        }
        Files.writeString(urls, lines);

        assertThat(run("submit", "-f", urls.toString(), "--priority", "2", "--max-age", "0", "--wait")).as(err.toString())
                .isZero();

        String id = out.toString().lines().findFirst().orElseThrow().split(" ")[1];
        assertThat(out.toString()).contains("job " + id + " queued: 20 URL(s)")
                .contains("job " + id + " completed: 20 completed, 0 failed of 20");
        assertThat(err.toString()).as("not a terminal: plain progress lines")
                .doesNotContain("\r").contains("progress: ").contains("20/20 · ").contains("done in");

        assertThat(run("status", id)).isZero();
        assertThat(out.toString()).contains("status:    completed").contains("20 total: 20 completed (0 cached), 0 failed");

        assertThat(run("results", id, "--format", "jsonl")).isZero();
        List<JsonNode> rows = out.toString().lines().map(JobCommandsTest::json).toList();
        assertThat(rows).hasSize(20);
        assertThat(rows).extracting(r -> r.get("index").asInt()).isSorted();
        assertThat(rows.get(3).get("title").asText()).isEqualTo("Page 3");
        assertThat(rows.get(3).has("text")).as("text only with --text").isFalse();

        assertThat(run("results", id, "--format", "json", "--text")).isZero();
        JsonNode array = json(out.toString());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(20);
        assertThat(array.get(0).get("text").asText()).contains("Text, \"quoted\" 0");

        Path csv = dir.resolve("out.csv");
        assertThat(run("results", id, "--format", "csv", "--text", "-o", csv.toString())).isZero();
        assertThat(out.toString()).contains("wrote 20 result(s)");
        List<String> csvLines = Files.readString(csv).lines().toList();
        assertThat(csvLines.get(0)).isEqualTo("index,url,status,http_status,final_url,title,cached,content_type,page_id,"
                + "fetched_at,attempts,error_reason,error_message,text");
        assertThat(csvLines).hasSize(21);
        assertThat(csvLines.get(1)).startsWith("0," + site.url("/p/0") + ",completed,200,").contains(",Page 0,false,")
                .endsWith(",\"Text, \"\"quoted\"\" 0\"");

        String pageId = rows.get(5).get("page_id").asText();
        Path html = dir.resolve("page.html");
        assertThat(run("content", pageId, "-o", html.toString())).isZero();
        assertThat(Files.readString(html)).contains("<title>Page 5</title>");
    }

    @Test
    void aFailedUrlMakesWaitExitOneAndCanBeRetriedFromTheDeadLetters() throws Exception {
        assertThat(run("submit", site.url("/p/1"), site.url("/missing"), "--wait", "--max-attempts", "1")).isEqualTo(1);
        String id = out.toString().lines().findFirst().orElseThrow().split(" ")[1];
        assertThat(out.toString()).contains("completed: 1 completed, 1 failed of 2");

        assertThat(run("results", id, "--format", "csv")).isZero();
        assertThat(out.toString()).contains(",failed,404,").contains("http_404");

        assertThat(run("dlq", "list", "--queue", "fetch")).isZero();
        assertThat(out.toString()).contains(site.url("/missing")).contains("1/1");
        String deadId = out.toString().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(run("dlq", "requeue", deadId)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("requeued 1 dead letter(s)");
        assertThat(run("dlq", "requeue", "no-such-dead-letter")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("1 id(s) were not requeued");

        assertThat(run("retry", id)).isZero();
        assertThat(out.toString()).contains("retrying: job " + id);

        assertThat(run("submit", site.url("/p/3"), "--delay", "1h", "-q")).isZero();
        String later = out.toString().strip();
        assertThat(run("cancel", later)).isZero();
        assertThat(out.toString()).contains("job " + later + " cancelled: 0 completed, 0 failed, 1 cancelled of 1");
        assertThat(run("submit", site.url("/p/2"), "--wait", "-q")).isZero();
        String done = out.toString().strip();
        assertThat(done).doesNotContain(" ");
        assertThat(run("cancel", done)).as("a finished job cannot be cancelled").isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 409");

        assertThat(run("status", done)).isZero();
        assertThat(out.toString()).contains("title:     Page 2").contains("http:      200").contains("fetchq content ");

        assertThat(run("stats")).isZero();
        assertThat(out.toString()).contains("fetch").contains("COMPLETED").contains("throughput:");
    }

    @Test
    void exitCodesSayUsageServerRefusalAndUnreachableServerApart() throws Exception {
        assertThat(run("submit")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("nothing to submit");
        assertThat(run("submit", "http://a.test/", "--priority", "11")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--priority");
        assertThat(run("submit", "http://a.test/", "--max-age", "soon")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("results", "x", "--format", "xml")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("dlq", "requeue")).isEqualTo(Main.EXIT_USAGE);

        assertThat(run("submit", "not a url")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("urls[0]").contains("HTTP 400");
        assertThat(run("status", "no-such-job")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString()).contains("no job no-such-job").contains("HTTP 404");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CliRun unreachable = new CliRun("status", "x", "--server", "http://127.0.0.1:" + closed);
        assertThat(unreachable.exitCode).isEqualTo(Main.EXIT_UNREACHABLE);
        assertThat(unreachable.err.toString()).contains("cannot reach the fetchq server");
    }

    @Test
    void aProgressBarIsDrawnInPlaceWhenAskedFor() {
        assertThat(run("submit", site.url("/p/7"), site.url("/p/8"), "--wait", "--progress", "bar")).isZero();
        assertThat(err.toString()).contains("\r[").contains("##############################] 2/2").contains("done in");
    }

    @Test
    void submitReadsUrlsFromStdinWhenPipedAndPrintsOnlyIdsWithQuiet() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "submit", "-f", "-", "-q", "--wait", "--server", server).start();
        p.getOutputStream().write((site.url("/p/20") + "\n" + site.url("/p/21") + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(stdout.lines().toList()).hasSize(1).allMatch(l -> l.matches("[A-Za-z0-9_-]{22}"));
        assertThat(stderr).as("piped: plain lines, no bar").contains("progress: 2/2").doesNotContain("\r");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
