package io.fetchq.scrape;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import java.util.concurrent.CountDownLatch;

/**
 * A scrape node in its own JVM, for {@link ScrapeNodesTest} to kill with SIGKILL mid-fetch.
 * Arguments: a JDBC URL (schema included), the lease.
 */
public final class ScrapeWorkerMain {
    private ScrapeWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Node node = Node.start(Settings.builder().db(args[0]).lease(args[1]).allowPrivateNetworks(true).allowPorts("*")
                .perHostConcurrency(16).perHostDelay("0s").fetchConcurrency(4).build(), w -> { });
        System.out.println("node started as " + node.workers().workerId());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
