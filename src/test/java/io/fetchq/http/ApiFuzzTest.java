package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated malformed requests (a fixed seed, so a failure can be replayed; at most
 * {@value #REQUESTS} requests and {@value #MAX_SECONDS} s): none may get a 5xx, and every 4xx with a body is
 * problem+json. The node runs no workers, so nothing submitted is fetched.
 */
class ApiFuzzTest {
    static final int REQUESTS = 4_000;
    static final int MAX_SECONDS = 60;
    private static final long SEED = Long.getLong("fetchq.fuzz.seed", 20261123L);

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
    private static final String[] PATHS = {"/jobs", "/jobs/%s", "/jobs/%s/results", "/jobs/%s/retry", "/jobs/%s/events",
            "/pages/%s", "/pages/%s/content", "/dead-letter", "/dead-letter/requeue", "/stats", "/health", "/metrics",
            "/openapi.json", "/docs", "/docs/%s", "/%s", "/jobs/%s/%s"};
    private static final String[] PARAMS = {"limit", "cursor", "status", "content", "queue", "access_token"};
    private static final String[] TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/problem+json",
            "application/json; charset=latin1", "", "*/*", "application/vnd.api+json"};
    private static final String VALID = "{\"urls\":[{\"url\":\"http://127.0.0.1:1/a\",\"priority\":3,\"metadata\":{\"k\":[1,2]}},"
            + "\"http://127.0.0.1:1/b\"],\"priority\":5,\"max_attempts\":2,\"max_age_seconds\":0,\"delay_seconds\":60,"
            + "\"callback_url\":\"http://127.0.0.1:1/hook\",\"metadata\":{\"x\":\"y\"}}";
    private static final String[] VALUES = {"null", "true", "-1", "0", "1e309", "99999999999999999999", "\"\"", "[]", "{}",
            "\"\\u0000\"", "\"\\ud800\"", "[[[[[[[[]]]]]]]]", "\"http://[::1]/\"", "\"javascript:alert(1)\"", "1.5",
            "\"" + "a".repeat(5000) + "\"", "\"http://127.0.0.1:1/\"", "{\"url\":null}", "\"\u00e9\u4e2d\ud83d\ude00\""};

    @TempDir
    Path dir;

    @Test
    void noGeneratedRequestGetsA5xx() throws Exception {
        Node node = Node.start(Settings.builder().db(dir.resolve("fuzz.db").toString()).build(),
                EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0).withMaxBodyBytes(256 * 1024), w -> { });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + node.api().port();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(MAX_SECONDS).toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random rnd = new Random(SEED + t);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < REQUESTS / 4 && System.nanoTime() < deadline; i++) {
                        HttpRequest req = request(rnd, base);
                        try {
                            HttpResponse<String> r = send(http, req);
                            sent.incrementAndGet();
                            check(req, r, failures);
                        } catch (IOException e) {
                            failures.add(req.method() + " " + req.uri() + " -> " + e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            node.close();
        }
        assertThat(failures).as("seed %d", SEED).isEmpty();
        assertThat(sent.get()).as("requests sent within %d s", MAX_SECONDS).isGreaterThan(1_000);
    }

    /**
     * Sends once more on a new connection when the server closed a kept-alive one under the client (it
     * closes a connection whose request body it refused without reading): a transport race, not an answer.
     */
    private static HttpResponse<String> send(HttpClient http, HttpRequest req) throws IOException, InterruptedException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                throw e;
            }
            return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void check(HttpRequest req, HttpResponse<String> r, ConcurrentLinkedQueue<String> failures) {
        int status = r.statusCode();
        String what = req.method() + " " + req.uri() + " -> " + status + " " + clip(r.body());
        if (status >= 500) {
            failures.add(what);
        } else if (status >= 400 && !req.method().equals("HEAD") && !r.body().isEmpty()) {
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("application/problem+json")) {
                failures.add(what + " (not problem+json: " + type + ")");
            } else if (r.body().contains("Exception") || r.body().contains("\tat ")) {
                failures.add(what + " (leaks internals)");
            }
        }
    }

    private static HttpRequest request(Random rnd, String base) {
        String method = METHODS[rnd.nextInt(METHODS.length)];
        String template = PATHS[rnd.nextInt(PATHS.length)];
        String path = template.contains("%s")
                ? template.replaceFirst("%s", segment(rnd)).replace("%s", segment(rnd)) : template;
        StringBuilder query = new StringBuilder();
        int params = rnd.nextInt(4);
        for (int i = 0; i < params; i++) {
            query.append(i == 0 ? "?" : "&").append(PARAMS[rnd.nextInt(PARAMS.length)]).append('=')
                    .append(URLEncoder.encode(junk(rnd), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path + query)).timeout(Duration.ofSeconds(20));
        String type = TYPES[rnd.nextInt(TYPES.length)];
        if (!type.isEmpty()) {
            b.header("Content-Type", type);
        }
        if (rnd.nextInt(5) == 0) {
            b.header("Idempotency-Key", junk(rnd).replaceAll("[\\r\\n]", ""));
        }
        if (rnd.nextInt(8) == 0) {
            b.header("Authorization", "Bearer " + junk(rnd).replaceAll("[\\r\\n]", ""));
        }
        boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || rnd.nextInt(6) == 0;
        if (method.equals("HEAD") || method.equals("OPTIONS")) {
            body = false;
        }
        return b.method(method, body ? HttpRequest.BodyPublishers.ofByteArray(body(rnd)) : HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private static String segment(Random rnd) {
        String[] choices = {"abc", "", "..", "%2e%2e", "%00", "x".repeat(300), "%E2%82%AC", "null", "-1", "a%2Fb", "%25",
                "swagger-ui.css", "jobs"};
        return choices[rnd.nextInt(choices.length)];
    }

    private static String junk(Random rnd) {
        String[] choices = {"", "0", "-5", "1001", "abc", "completed", "true", "2", "\u00e9", "'; DROP TABLE fetchq_job;--",
                "x".repeat(500), "%", "\n", "fetch", "1e3"};
        return choices[rnd.nextInt(choices.length)];
    }

    /** A body: a valid submission mutated, or random bytes, or a value of the wrong shape. */
    private static byte[] body(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0 -> {
                byte[] b = new byte[rnd.nextInt(200)];
                rnd.nextBytes(b);
                return b;
            }
            case 1 -> {
                return VALUES[rnd.nextInt(VALUES.length)].getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                StringBuilder s = new StringBuilder(VALID);
                int cuts = 1 + rnd.nextInt(4);
                for (int i = 0; i < cuts && s.length() > 1; i++) {
                    int at = rnd.nextInt(s.length());
                    if (rnd.nextBoolean()) {
                        s.deleteCharAt(at);
                    } else {
                        s.insert(at, "{}[],:\"\\0x".charAt(rnd.nextInt(10)));
                    }
                }
                return s.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                String[] fields = {"url", "urls", "priority", "metadata", "max_attempts", "max_age_seconds", "delay_seconds",
                        "callback_url", "respect_robots", "ids", "all", "queue", "extra"};
                StringBuilder s = new StringBuilder("{");
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    s.append(i == 0 ? "" : ",").append('"').append(fields[rnd.nextInt(fields.length)]).append("\":")
                            .append(VALUES[rnd.nextInt(VALUES.length)]);
                }
                return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                return ("[" + "[".repeat(rnd.nextInt(2000)) + "]").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                StringBuilder urls = new StringBuilder("{\"urls\":[");
                int n = rnd.nextInt(50);
                for (int i = 0; i < n; i++) {
                    urls.append(i == 0 ? "" : ",").append(VALUES[rnd.nextInt(VALUES.length)]);
                }
                return urls.append("],\"delay_seconds\":60}").toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
