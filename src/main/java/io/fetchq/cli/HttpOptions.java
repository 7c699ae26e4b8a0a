package io.fetchq.cli;

import io.fetchq.http.ApiKeys;
import io.fetchq.http.HttpSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the HTTP API listens and who may use it, as flags (each falls back to its {@code FETCHQ_*} variable). */
final class HttpOptions {
    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:FETCHQ_BIND:-" + HttpSettings.DEFAULT_BIND + "}",
            description = "Address the API listens on (env FETCHQ_BIND; default ${DEFAULT-VALUE}). Anything but loopback "
                    + "without API keys logs a loud warning.")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:FETCHQ_PORT:-" + HttpSettings.DEFAULT_PORT + "}",
            description = "Port the API listens on, 0 for any free one (env FETCHQ_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-request-body", paramLabel = "SIZE",
            defaultValue = "${env:FETCHQ_MAX_REQUEST_BODY:-" + HttpSettings.DEFAULT_MAX_BODY + "}",
            description = "Largest request body accepted, 1KiB-1GiB (env FETCHQ_MAX_REQUEST_BODY; default ${DEFAULT-VALUE}).")
    String maxRequestBody;

    @Option(names = "--api-keys-file", paramLabel = "FILE", defaultValue = "${env:FETCHQ_API_KEYS_FILE}",
            description = "API keys, one owner:key[:scope] per line (scope read, write or admin; default write; # comments). "
                    + "FETCHQ_API_KEYS may hold the same entries, comma-separated. With keys, every route but /health "
                    + "and the docs needs Authorization: Bearer <key>, and a key sees only its own jobs unless it is admin.")
    Path apiKeysFile;

    HttpSettings settings() {
        return HttpSettings.of(bind, port, maxRequestBody, ApiKeys.of(System.getenv("FETCHQ_API_KEYS"), apiKeysFile));
    }
}
