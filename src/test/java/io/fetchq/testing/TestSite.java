package io.fetchq.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A web server on 127.0.0.1 (random port) for tests: each path answers with a handler the test gives,
 * and every request is recorded (path and headers) so tests can check what the fetcher sent.
 */
public final class TestSite implements AutoCloseable {
    /** Writes one response. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** One request as the server saw it. */
    public record Seen(String path, Map<String, List<String>> headers, long atNanos) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public TestSite() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        seen.add(new Seen(query == null ? path : path + "?" + query, Map.copyOf(ex.getRequestHeaders()), System.nanoTime()));
        Handler h = routes.get(path);
        try {
            if (h == null) {
                send(ex, 404, "text/plain", "no route " + path);
            } else {
                h.handle(ex);
            }
        } finally {
            ex.close();
        }
    }

    public TestSite route(String path, Handler handler) {
        routes.put(path, handler);
        return this;
    }

    /** A route that always answers with this status, content type and body. */
    public TestSite page(String path, int status, String contentType, String body) {
        return route(path, ex -> send(ex, status, contentType, body));
    }

    public TestSite html(String path, String body) {
        return page(path, 200, "text/html; charset=utf-8", body);
    }

    public TestSite redirect(String path, int status, String location) {
        return route(path, ex -> {
            ex.getResponseHeaders().add("Location", location);
            ex.sendResponseHeaders(status, -1);
        });
    }

    public static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().add("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public List<Seen> seen(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
