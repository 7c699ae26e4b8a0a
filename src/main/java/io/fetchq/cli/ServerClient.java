package io.fetchq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The command line's client of a running fetchq server's HTTP API: JSON in and out, an API key when given,
 * and failures as {@link ServerException}s whose message is the server's problem detail, one line.
 */
final class ServerClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    /** A refusal by the server, or a server that cannot be reached; {@link #status()} is 0 for the latter. */
    static final class ServerException extends RuntimeException {
        private final int status;

        ServerException(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    ServerClient(String base, String key) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = key == null || key.isBlank() ? null : key.strip();
    }

    String base() {
        return base;
    }

    JsonNode get(String path, Duration timeout) {
        return call("GET", path, null, timeout);
    }

    JsonNode call(String method, String path, Object body) {
        return call(method, path, body, Duration.ofSeconds(30));
    }

    /** @return the JSON answer (null for 204) @throws ServerException for any status but 2xx */
    JsonNode call(String method, String path, Object body, Duration timeout) {
        HttpResponse<byte[]> r = send(method, path, body, timeout);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() == 204 || text.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new ServerException(r.statusCode(), "the server answered something that is not JSON: " + text);
        }
    }

    /** @return the answer's body as it came (a page's stored content) @throws ServerException for any status but 2xx */
    byte[] bytes(String path) {
        return send("GET", path, null, Duration.ofMinutes(2)).body();
    }

    private HttpResponse<byte[]> send(String method, String path, Object body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        try {
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new ServerException(0, "cannot reach the fetchq server at " + base
                    + " (is 'fetchq serve' running there? set --server or FETCHQ_SERVER)");
        } catch (IOException e) {
            throw new ServerException(0, "talking to " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException(0, "interrupted");
        }
        if (r.statusCode() / 100 != 2) {
            String detail = new String(r.body(), StandardCharsets.UTF_8);
            try {
                JsonNode problem = JSON.readTree(detail);
                if (problem != null && problem.hasNonNull("detail")) {
                    detail = problem.get("detail").asText();
                }
            } catch (IOException ignored) {
                // not JSON: show the body as it is
            }
            throw new ServerException(r.statusCode(), detail + " (HTTP " + r.statusCode() + ")");
        }
        return r;
    }
}
