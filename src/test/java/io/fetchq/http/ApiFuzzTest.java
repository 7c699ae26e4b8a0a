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
            "/openapi.json", "/docs", "/docs/%s", "/%s", "/jobs/%s/%s", "/queues", "/queues/%s", "/queues/%s/messages",
            "/queues/%s/messages/%s", "/queues/%s/messages/delete", "/queues/%s/messages/%s/visibility", "/queues/%s/dead",
            "/queues/%s/redrive", "/queues/%s/purge"};
    private static final String[] PARAMS = {"limit", "cursor", "status", "content", "queue", "access_token", "max",
            "visibility_timeout", "dead"};
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
     * Each generated request on a raw socket, followed on the same connection by {@code GET /health}: the
     * first response must end where its framing says (Content-Length or chunks), so that the second one
     * starts right after it. A response longer than it declares would corrupt the next response of every
     * kept-alive client.
     */
    @Test
    void noResponseSpillsIntoTheNextOnAKeptAliveConnection() throws Exception {
        Node node = Node.start(Settings.builder().db(dir.resolve("spill.db").toString()).build(),
                EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0).withMaxBodyBytes(256 * 1024), w -> { });
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(MAX_SECONDS).toNanos();
        int checked = 0;
        try {
            Random rnd = new Random(SEED + Integer.getInteger("fetchq.spill.t", 100));
            for (int i = 0; i < Integer.getInteger("fetchq.spill.n", 1_500) && System.nanoTime() < deadline; i++, checked++) {
                Generated g = generate(rnd);
                String problem = spillCheck(node.api().port(), g);
                if (problem != null) {
                    failures.add(g.method() + " " + g.pathAndQuery() + " -> " + problem);
                }
            }
        } finally {
            node.close();
        }
        assertThat(failures).as("seed %d", SEED + 100).isEmpty();
        assertThat(checked).isGreaterThan(300);
    }

    /** @return null when the response to {@code g} is framed right, else what went wrong */
    private static String spillCheck(int port, Generated g) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(g.toRaw());
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] all;
            try {
                all = socket.getInputStream().readAllBytes();
            } catch (java.net.SocketException e) {
                return null; // the server refused the first request and closed: nothing can spill
            }
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || headEnd < 0) {
                return "first response malformed: " + clip(text);
            }
            String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
            int bodyStart = headEnd + 4;
            int next;
            if (g.method().equals("HEAD") || head.startsWith("http/1.1 204") || head.startsWith("http/1.1 304")) {
                next = bodyStart;
            } else if (head.contains("\r\ntransfer-encoding: chunked")) {
                int at = bodyStart;
                while (true) {
                    int lineEnd = text.indexOf("\r\n", at);
                    if (lineEnd < 0) {
                        return "chunked body cut short";
                    }
                    int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
                    at = lineEnd + 2 + size + 2;
                    if (size == 0) {
                        break;
                    }
                }
                next = at;
            } else {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
                if (!m.find()) {
                    return head.contains("\r\nconnection: close") ? null : "no framing: " + clip(head);
                }
                next = bodyStart + Integer.parseInt(m.group(1));
            }
            if (head.contains("\r\nconnection: close")) {
                return all.length > next ? "bytes after a closing response: " + clip(text.substring(Math.min(next, text.length()))) : null;
            }
            if (next > text.length()) {
                return "body shorter than declared";
            }
            String rest = text.substring(next);
            // Nothing after it: the server closed the connection after refusing the request, which is fine.
            return rest.isEmpty() || rest.startsWith("HTTP/1.1 200") ? null : "next response starts with: " + clip(rest);
        }
    }

    /**
     * Sends once more on a new connection when the kept-alive one failed under the client: the server closed
     * it (it closes a connection whose request body it refused without reading), or, seen once in CI, the
     * JDK client read stray bytes before a status line on a reused connection. Both are transport races, not
     * answers; whether the server frames every response right is checked on a raw socket by
     * {@link #noResponseSpillsIntoTheNextOnAKeptAliveConnection}. A second failure still counts.
     */
    private static HttpResponse<String> send(HttpClient http, HttpRequest req) throws IOException, InterruptedException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            boolean transport = e instanceof java.net.ProtocolException
                    || (e.getMessage() != null && e.getMessage().contains("received no bytes"));
            if (!transport) {
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

    /** One generated request, sendable through the JDK client or written byte for byte on a socket. */
    record Generated(String method, String pathAndQuery, List<String[]> headers, byte[] body) {
        HttpRequest toHttpRequest(String base) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(20));
            headers.forEach(h -> b.header(h[0], h[1]));
            return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body)).build();
        }

        byte[] toRaw() {
            StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1\r\n");
            headers.forEach(h -> head.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
            byte[] b = body == null ? new byte[0] : body;
            byte[] out = java.util.Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, out, h.length, b.length);
            return out;
        }
    }

    private static HttpRequest request(Random rnd, String base) {
        return generate(rnd).toHttpRequest(base);
    }

    static Generated generate(Random rnd) {
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
        List<String[]> headers = new ArrayList<>();
        String type = TYPES[rnd.nextInt(TYPES.length)];
        if (!type.isEmpty()) {
            headers.add(new String[] {"Content-Type", type});
        }
        if (rnd.nextInt(5) == 0) {
            headers.add(new String[] {"Idempotency-Key", junk(rnd).replaceAll("[\\r\\n]", "")});
        }
        if (rnd.nextInt(8) == 0) {
            headers.add(new String[] {"Authorization", "Bearer " + junk(rnd).replaceAll("[\\r\\n]", "")});
        }
        boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH") || rnd.nextInt(6) == 0;
        if (method.equals("HEAD") || method.equals("OPTIONS")) {
            body = false;
        }
        return new Generated(method, path + query, headers, body ? body(rnd) : null);
    }

    private static String segment(Random rnd) {
        String[] choices = {"abc", "", "..", "%2e%2e", "%00", "x".repeat(300), "%E2%82%AC", "null", "-1", "a%2Fb", "%25",
                "swagger-ui.css", "jobs", "fetch", "a.b.c"};
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
                        "callback_url", "respect_robots", "ids", "all", "queue", "extra", "body", "messages", "receipts",
                        "dedupe_id", "visibility_timeout", "max_receive_count", "retention_seconds", "max_message_bytes"};
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
