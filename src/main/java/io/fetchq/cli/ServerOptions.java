package io.fetchq.cli;

import picocli.CommandLine.Option;

/** Where a client command finds the server, and the key it sends. */
final class ServerOptions {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:FETCHQ_SERVER:-" + DEFAULT_SERVER + "}",
            description = "The fetchq server's URL (env FETCHQ_SERVER; default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:FETCHQ_API_KEY}",
            description = "API key sent as a bearer token, when the server has keys (env FETCHQ_API_KEY).")
    String apiKey;

    ServerClient client() {
        return new ServerClient(server, apiKey);
    }
}
