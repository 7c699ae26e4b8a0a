package io.fetchq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fetchq bench ...}: the benchmarks the peers were measured on (../shared/bench). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure fetchq on the peers' benchmark workloads; each prints one JSON line on stdout.",
        subcommands = {QueueBenchCommand.class, ScrapeBenchCommand.class, ApiBenchCommand.class, BrokerBenchCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say which benchmark to run, e.g. 'fetchq bench queue'");
    }
}
