package io.fetchq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test client of the API: plain {@link HttpClient} calls, and every response checked against the
 * OpenAPI spec (unless made {@link #unchecked()}).
 */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;
    private final boolean check;

    ApiClient(int port) {
        this("http://127.0.0.1:" + port, null, true);
    }

    private ApiClient(String base, String key, boolean check) {
        this.base = base;
        this.key = key;
        this.check = check;
    }

    ApiClient withKey(String k) {
        return new ApiClient(base, k, check);
    }

    ApiClient unchecked() {
        return new ApiClient(base, key, false);
    }

    String base() {
        return base;
    }

    /** A response, with its body as text and (when it is JSON) parsed. */
    record Response(int status, HttpResponse<String> raw) {
        String body() {
            return raw.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    Response put(String path, String json, String... headers) {
        return send("PUT", path, json, json == null ? null : "application/json", headers);
    }

    Response post(String path, String json, String... headers) {
        return send("POST", path, json, "application/json", headers);
    }

    Response send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        List<String> h = new ArrayList<>(List.of(headers));
        for (int i = 0; i + 1 < h.size(); i += 2) {
            b.header(h.get(i), h.get(i + 1));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (check) {
                OpenApiSpec.INSTANCE.check(method, path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(null),
                        r.body());
            }
            return new Response(r.statusCode(), r);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
