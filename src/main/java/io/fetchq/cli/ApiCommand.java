package io.fetchq.cli;

import io.fetchq.Node;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fetchq api}: the HTTP API without workers. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API without running any workers: jobs submitted here are fetched by "
                + "`fetchq worker` (or `serve`) processes sharing the same PostgreSQL. Live updates reach its clients "
                + "from every node. The engine's maintenance (scheduler, lease rescuer, pruner) runs here too."})
final class ApiCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options;

    @Mixin
    HttpOptions http;

    @Override
    public Integer call() throws InterruptedException {
        return NodeRunner.run(options.settings(), EnumSet.of(Node.Role.API), http.settings());
    }
}
