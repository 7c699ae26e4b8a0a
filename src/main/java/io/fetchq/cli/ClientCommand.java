package io.fetchq.cli;

import java.io.PrintWriter;
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
}
