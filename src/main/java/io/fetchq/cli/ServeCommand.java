package io.fetchq.cli;

import io.fetchq.Node;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fetchq serve}: the HTTP API and this node's workers, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Run a fetchq node: the HTTP API (http://127.0.0.1:8080, docs at /docs), the queue engine (scheduler, "
                        + "lease rescuer, retention pruner), this node's worker pool, and the fetch and webhook workers of "
                        + "scrape jobs (fetched politely, through the SSRF guard), on an embedded SQLite file by default or "
                        + "on a shared PostgreSQL.",
                "Stops cleanly on SIGTERM or Ctrl-C: running jobs get --shutdown-grace to finish, then go back "
                        + "to the queue for another node. See also: fetchq api (no workers), fetchq worker (no API)."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options;

    @Mixin
    HttpOptions http;

    @Override
    public Integer call() throws InterruptedException {
        return NodeRunner.run(options.settings(), EnumSet.of(Node.Role.API, Node.Role.WORKERS), http.settings());
    }
}
