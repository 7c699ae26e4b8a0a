package io.fetchq.cli;

import io.fetchq.bench.QueueBenchmark;
import io.fetchq.config.DbLocation;
import io.fetchq.config.InvalidSettingsException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fetchq bench queue}: workloads Q1 (drain throughput) and Q2 (pickup latency) of ../shared/bench. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = {
                "Run the queue-engine workloads the peers were measured on (../shared/bench/WORKLOADS.md):",
                "Q1 enqueues N jobs in bulk chunks, then drains them with C concurrent workers;",
                "Q2 enqueues one job at a time into idle workers and measures enqueue-to-handler latency.",
                "Prints one JSON line in the peers' shape on stdout; progress goes to stderr.",
                "The database is scratch: an SQLite file is deleted first; on PostgreSQL the --schema is dropped first."})
final class QueueBenchCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE|URL", defaultValue = "./data/bench-queue.db",
            description = "Scratch SQLite file (deleted first) or postgresql:// URL (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--schema", defaultValue = "fetchq_bench",
            description = "PostgreSQL schema to use, dropped and re-created for each phase (default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--n", defaultValue = "20000", description = "Q1 jobs (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--concurrency", defaultValue = "32", description = "Concurrent workers (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--chunk", defaultValue = "1000", description = "Jobs per bulk enqueue call in Q1 (default ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--pickup-n", defaultValue = "200", description = "Measured Q2 pickups (default ${DEFAULT-VALUE}).")
    int pickupN;

    @Option(names = "--pickup-warmup", defaultValue = "10", description = "Unmeasured Q2 warm-up pickups (default ${DEFAULT-VALUE}).")
    int pickupWarmup;

    @Option(names = "--pickup-gap-ms", defaultValue = "50", description = "Idle gap before each Q2 enqueue (default ${DEFAULT-VALUE}).")
    int pickupGapMs;

    @Option(names = "--prefetch-per-slot", defaultValue = "16",
            description = "Most claimed-but-not-started jobs a worker keeps per slot (default ${DEFAULT-VALUE}).")
    int prefetchPerSlot;

    @Option(names = "--phases", defaultValue = "q1,q2", split = ",",
            description = "Which workloads to run: q1, q2 or both (default ${DEFAULT-VALUE}).")
    QueueBenchmark.Phase[] phases;

    @Override
    public Integer call() throws Exception {
        if (n < 1 || concurrency < 1 || concurrency > 1000 || chunk < 1 || chunk > 10_000 || pickupN < 1
                || pickupWarmup < 0 || pickupGapMs < 0 || prefetchPerSlot < 0) {
            throw new InvalidSettingsException("need --n >= 1, --concurrency 1-1000, --chunk 1-10000, --pickup-n >= 1, "
                    + "--pickup-warmup >= 0, --pickup-gap-ms >= 0");
        }
        var config = new QueueBenchmark.Config(DbLocation.parse(db), schema, n, concurrency, chunk, pickupN,
                pickupWarmup, pickupGapMs, prefetchPerSlot, java.util.EnumSet.copyOf(java.util.List.of(phases)));
        System.out.println(new QueueBenchmark(config).run());
        return 0;
    }
}
