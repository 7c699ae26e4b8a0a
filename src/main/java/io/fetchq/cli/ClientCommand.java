package io.fetchq.cli;

import io.fetchq.config.Durations;
import io.fetchq.config.InvalidSettingsException;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command talking to a running server has: its spec (for output) and where the server is. */
abstract class ClientCommand {
    @Spec
    CommandSpec spec;
    @Mixin
    ServerOptions server;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A duration option's value (30s, 5m, 1d…); a bad one is a usage error naming the option. */
    static Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(option + ": " + e.getMessage());
        }
    }
}
