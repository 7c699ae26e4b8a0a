package io.fetchq.cli;

import io.fetchq.Node;
import io.fetchq.Version;
import io.fetchq.config.Durations;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a node with the given roles until SIGTERM or Ctrl-C (serve, api, worker). */
final class NodeRunner {
    private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);

    private NodeRunner() {
    }

    static int run(Settings settings, Set<Node.Role> roles, HttpSettings http) throws InterruptedException {
        Node node = Node.start(settings, roles, http, workers -> { });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: letting running jobs finish (up to {})", Durations.format(settings.shutdownGrace()));
            node.close();
            log.info("stopped");
            stopped.countDown();
        }, "fetchq-shutdown"));
        log.info("fetchq {} running on {}{}{}; Ctrl-C stops it", Version.get(), node.store().describe(),
                node.workers() == null ? ", no workers" : " as worker " + node.workers().workerId() + " (queues: "
                        + node.workers().queues() + ")",
                node.api() == null ? ", no HTTP API" : ", API on port " + node.api().port());
        stopped.await();
        return 0;
    }
}
