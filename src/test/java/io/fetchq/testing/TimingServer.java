package io.fetchq.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1 for timing tests: each connection has its own thread blocked on
 * the socket, which stamps a request the moment its request line arrives (no hand-off to another thread
 * to blur the time), takes {@code workMillis}, and answers a small HTML page with keep-alive.
 */
public final class TimingServer implements AutoCloseable {
    /** One request: its path, when its request line arrived and when its answer was written (nanoTime). */
    public record Visit(String path, long arrivedNanos, long answeredNanos) {
    }

    private final ServerSocket server;
    private final long workMillis;
    private final List<Visit> visits = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Connections are served by threads started beforehand: starting one per connection blurs the first stamp. */
    private final java.util.concurrent.ThreadPoolExecutor connections = new java.util.concurrent.ThreadPoolExecutor(
            16, 16, 1, java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>(),
            r -> Thread.ofPlatform().daemon().name("timing-conn").unstarted(r));
    private volatile boolean open = true;

    public TimingServer(long workMillis) throws IOException {
        this.workMillis = workMillis;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.prestartAllCoreThreads();
        Thread.ofPlatform().daemon().name("timing-accept").start(this::accept);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public List<Visit> visits() {
        return List.copyOf(visits);
    }

    private void accept() {
        while (open) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
             OutputStream out = s.getOutputStream()) {
            String requestLine;
            while ((requestLine = in.readLine()) != null) {
                long arrived = System.nanoTime();
                String line;
                while ((line = in.readLine()) != null && !line.isEmpty()) {
                    // headers are not needed
                }
                String path = requestLine.split(" ")[1];
                Thread.sleep(workMillis);
                byte[] body = (path.equals("/robots.txt") ? "" : "<title>" + path + "</title>").getBytes(StandardCharsets.UTF_8);
                int status = path.equals("/robots.txt") ? 404 : 200;
                out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: text/html\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                if (!path.equals("/robots.txt")) {
                    visits.add(new Visit(path, arrived, System.nanoTime()));
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        connections.shutdownNow();
    }
}
