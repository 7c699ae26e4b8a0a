package io.fetchq.cli;

import io.fetchq.Node;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fetchq worker}: workers without the HTTP API. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run this node's workers (fetches and webhooks) and the engine's maintenance without serving "
                + "HTTP; submit work through a `fetchq api` or `serve` process on the same database.",
                "Stops cleanly on SIGTERM or Ctrl-C, handing unfinished jobs back to the queue."})
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    NodeOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return NodeRunner.run(options.settings(), EnumSet.of(Node.Role.WORKERS), null);
    }
}
