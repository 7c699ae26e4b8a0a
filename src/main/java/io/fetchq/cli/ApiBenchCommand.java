package io.fetchq.cli;

import io.fetchq.bench.ApiBenchmark;
import io.fetchq.config.DbLocation;
import io.fetchq.config.Durations;
import io.fetchq.config.InvalidSettingsException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fetchq bench api}: POST /jobs and GET /jobs/{id} throughput and latency, workers idle. */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = {
                "Measure the HTTP API with its workers idle (the node runs none): --connections clients in a closed loop "
                        + "submit one URL each with POST /jobs, then read random jobs with GET /jobs/{id}; each phase warms "
                        + "up first. Client and server share this process and loopback.",
                "Prints one JSON line (per phase: requests/s, p50/p90/p99/max ms, errors) on stdout.",
                "The database is scratch: an SQLite file is deleted first; on PostgreSQL the --schema is dropped first."})
final class ApiBenchCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE|URL", defaultValue = "./data/bench-api.db",
            description = "Scratch SQLite file (deleted first) or postgresql:// URL (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--schema", defaultValue = "fetchq_bench_api",
            description = "PostgreSQL schema to use, dropped and re-created first (default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--connections", defaultValue = "32", description = "Concurrent clients, 1-512 (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--duration", defaultValue = "10s", description = "Measured time per phase (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured time before each phase (default ${DEFAULT-VALUE}).")
    String warmup;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || connections > 512) {
            throw new InvalidSettingsException("--connections must be between 1 and 512, got " + connections);
        }
        Duration d = Durations.parse(duration);
        Duration w = Durations.parse(warmup);
        if (d.isZero() || d.isNegative() || w.isNegative()) {
            throw new InvalidSettingsException("--duration must be positive and --warmup not negative");
        }
        System.out.println(new ApiBenchmark(new ApiBenchmark.Config(DbLocation.parse(db), schema, connections, d, w)).run());
        return 0;
    }
}
