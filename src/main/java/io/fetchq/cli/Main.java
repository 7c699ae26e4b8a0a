package io.fetchq.cli;

import io.fetchq.Version;
import io.fetchq.config.InvalidSettingsException;
import io.fetchq.queue.InvalidJobException;
import io.fetchq.store.StoreOpenException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code fetchq} command. */
@Command(name = "fetchq",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {
                "A durable job queue whose built-in job fetches URLs, and an SQS-like message queue.",
                "Runs on an embedded SQLite file by default; point --db at PostgreSQL to run many nodes."},
        subcommands = {ServeCommand.class, ApiCommand.class, WorkerCommand.class, MigrateCommand.class,
                JobCommands.Submit.class, JobCommands.Status.class, JobCommands.Results.class, JobCommands.Content.class, JobCommands.Cancel.class,
                JobCommands.Retry.class, JobCommands.Dlq.class, JobCommands.Stats.class, QueuesCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success (for submit --wait: every URL completed), 1 failure (some URLs failed, the "
                + "server refused, the database cannot be opened), 2 invalid usage or settings, 3 the server cannot be reached."})
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler(Main::handleFailure);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "say which command to run, e.g. 'fetchq serve'");
    }

    /** Known failures become one line on stderr; only a bug prints a stack trace. */
    private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof InvalidSettingsException || e instanceof InvalidJobException) {
            err.println("fetchq: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (e instanceof ServerClient.ServerException se) {
            err.println("fetchq: " + e.getMessage());
            return se.status() == 0 ? EXIT_UNREACHABLE : EXIT_FAILURE;
        }
        if (e instanceof StoreOpenException) {
            err.println("fetchq: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (e instanceof io.javalin.util.JavalinBindException) {
            err.println("fetchq: cannot listen: " + e.getMessage() + " (is another server on that port? use --port)");
            return EXIT_FAILURE;
        }
        err.println("fetchq: unexpected error (please report it): " + e);
        e.printStackTrace(err);
        return EXIT_FAILURE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"fetchq " + Version.get(),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
