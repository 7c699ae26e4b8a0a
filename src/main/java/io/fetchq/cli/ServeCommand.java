package io.fetchq.cli;

import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.Durations;
import io.fetchq.config.Settings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fetchq serve}: this node's engine and workers, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {
                "Run a fetchq node: the queue engine (scheduler, lease rescuer, retention pruner), this node's "
                        + "worker pool, and the fetch and webhook workers of scrape jobs (fetched politely, through "
                        + "the SSRF guard), on an embedded SQLite file by default or on a shared PostgreSQL.",
                "Stops cleanly on SIGTERM or Ctrl-C: running jobs get --shutdown-grace to finish, then go back "
                        + "to the queue for another node."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    NodeOptions options;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = options.settings();
        Node node = Node.start(settings, workers -> { });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: letting running jobs finish (up to {})", Durations.format(settings.shutdownGrace()));
            node.close();
            log.info("stopped");
            stopped.countDown();
        }, "fetchq-shutdown"));
        log.info("fetchq {} running on {} as worker {} (queues: {}); Ctrl-C stops it",
                Version.get(), node.store().describe(), node.workers().workerId(),
                node.workers().queues());
        stopped.await();
        return 0;
    }
}
