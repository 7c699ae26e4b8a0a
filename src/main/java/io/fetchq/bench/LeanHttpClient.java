package io.fetchq.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client for the benchmarks' load: one kept-alive connection, one request at a time,
 * bodies framed by Content-Length or chunked (what fetchq's API sends). It costs far less CPU than the JDK's
 * {@code HttpClient}, which matters when the load and the server share two cores, as wrk does for the API
 * benchmark. Not thread-safe: one per client thread.
 */
final class LeanHttpClient implements AutoCloseable {
    /** A response: status and body text. */
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LeanHttpClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Response send(String method, String path, String jsonBody) throws IOException {
        byte[] body = jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(128).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
                // the server closed a kept-alive connection: once more on a new one
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(60_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
    }

    private Response read() throws IOException {
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = 0;
        boolean close = false;
        boolean chunked = false;
        for (String h; !(h = line()).isEmpty(); ) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("Connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                close = true;
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = h.substring(colon + 1).trim().equalsIgnoreCase("chunked");
            }
        }
        byte[] body = chunked ? chunks() : exactly(length);
        if (close) {
            close();
        }
        return new Response(code, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] exactly(int length) throws IOException {
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("the connection closed inside a response body");
        }
        return body;
    }

    private byte[] chunks() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers: none expected
                }
                return body.toByteArray();
            }
            body.write(exactly(n));
            line(); // the CRLF after the chunk
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                int n = s.length();
                return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s.toString();
            }
            s.append((char) b);
        }
        throw new IOException("the connection closed");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
