package io.fetchq.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test clients of the live update routes: an SSE reader and a WebSocket listener, each collecting events. */
final class LiveEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> sseNames = new CopyOnWriteArrayList<>();
    final CountDownLatch ended = new CountDownLatch(1);
    final CountDownLatch opened = new CountDownLatch(1);
    volatile int closeCode = -1;
    private volatile Thread reader;
    private volatile WebSocket socket;
    private volatile InputStream stream;

    /** Reads {@code GET url} as an event stream on a thread of its own until it ends. */
    static LiveEvents sse(String url) {
        LiveEvents e = new LiveEvents();
        e.reader = Thread.ofVirtual().start(() -> {
            try {
                HttpResponse<InputStream> r = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                e.stream = r.body();
                e.opened.countDown();
                BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("event: ")) {
                        e.sseNames.add(line.substring(7));
                    } else if (line.startsWith("data: ")) {
                        e.events.add(JSON.readTree(line.substring(6)));
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // closed
            } finally {
                e.opened.countDown();
                e.ended.countDown();
            }
        });
        return e;
    }

    /** Opens a WebSocket to {@code url} and collects its messages until it closes. */
    static LiveEvents ws(String url) throws Exception {
        LiveEvents e = new LiveEvents();
        e.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public void onOpen(WebSocket ws) {
                e.opened.countDown();
                ws.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        e.events.add(JSON.readTree(partial.toString()));
                    } catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                e.closeCode = statusCode;
                e.ended.countDown();
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                e.ended.countDown();
            }
        }).get(10, TimeUnit.SECONDS);
        return e;
    }

    List<String> kinds() {
        return events.stream().map(j -> j.get("kind").asText()).toList();
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        if (reader != null) {
            reader.interrupt();
        }
    }
}
