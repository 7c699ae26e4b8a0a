package io.fetchq.http;

import io.fetchq.config.ByteSizes;
import io.fetchq.config.InvalidSettingsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how the HTTP API listens.
 *
 * @param bind         the address to bind; 127.0.0.1 unless told otherwise
 * @param port         0 picks a free port (tests)
 * @param maxBodyBytes largest request body accepted
 */
public record HttpSettings(String bind, int port, long maxBodyBytes, ApiKeys keys) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_MAX_BODY = "5MiB";

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_BIND, DEFAULT_PORT, 5L << 20, ApiKeys.none());
    }

    public HttpSettings withPort(int p) {
        return new HttpSettings(bind, p, maxBodyBytes, keys);
    }

    public HttpSettings withKeys(ApiKeys k) {
        return new HttpSettings(bind, port, maxBodyBytes, k);
    }

    public HttpSettings withMaxBodyBytes(long n) {
        return new HttpSettings(bind, port, n, keys);
    }

    /** @throws InvalidSettingsException naming every bad flag */
    public static HttpSettings of(String bind, int port, String maxBody, ApiKeys keys) {
        List<String> problems = new ArrayList<>();
        if (bind == null || bind.isBlank()) {
            problems.add("--bind must be an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            problems.add("--port must be between 0 and 65535, got " + port);
        }
        long body = 0;
        try {
            body = ByteSizes.parse(maxBody);
            if (body < 1024 || body > (1L << 30)) {
                problems.add("--max-request-body must be between 1KiB and 1GiB, got " + maxBody);
            }
        } catch (IllegalArgumentException e) {
            problems.add("--max-request-body must be a size such as 5MiB, got " + maxBody);
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(String.join("; ", problems));
        }
        return new HttpSettings(bind.strip(), port, body, keys);
    }
}
