package io.fetchq.cli;

import io.fetchq.bench.BrokerBenchmark;
import io.fetchq.config.DbLocation;
import io.fetchq.config.InvalidSettingsException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fetchq bench broker}: message queue throughput end to end, and send-to-receive latency under long polling. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
                "Measure the message queue over HTTP (client and server in this process, loopback): producers send "
                        + "--messages in batches while --consumers long-poll, receive batches and delete them (throughput, "
                        + "after a warm-up); then one message at a time to waiting consumers (send-to-receive latency).",
                "Prints one JSON line on stdout.",
                "The database is scratch: an SQLite file is deleted first; on PostgreSQL the --schema is dropped first."})
final class BrokerBenchCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE|URL", defaultValue = "./data/bench-broker.db",
            description = "Scratch SQLite file (deleted first) or postgresql:// URL (default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--schema", defaultValue = "fetchq_bench_broker",
            description = "PostgreSQL schema to use, dropped and re-created first (default ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--messages", defaultValue = "50000", description = "Messages in the throughput run (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--consumers", defaultValue = "8", description = "Long-polling consumers (default ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--producers", defaultValue = "2", description = "Sending clients (default ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--batch", defaultValue = "10", description = "Messages per send, per receive and per delete, 1-100 (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--latency-messages", defaultValue = "2000",
            description = "Messages sent one at a time for the latency run (default ${DEFAULT-VALUE}).")
    int latencyMessages;

    @Override
    public Integer call() throws Exception {
        if (messages < 100 || consumers < 1 || consumers > 256 || producers < 1 || producers > 64 || batch < 1 || batch > 100
                || latencyMessages < 10) {
            throw new InvalidSettingsException("need --messages >= 100, --consumers 1-256, --producers 1-64, --batch 1-100, "
                    + "--latency-messages >= 10");
        }
        System.out.println(new BrokerBenchmark(new BrokerBenchmark.Config(DbLocation.parse(db), schema, messages, consumers,
                producers, batch, latencyMessages)).run());
        return 0;
    }
}
