package io.fetchq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in-process: exit codes and the one-line messages a person reads. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void versionAndHelpWork() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("fetchq ");

        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve", "bench", "Exit codes");
    }

    @Test
    void serveHelpListsEverySettingWithItsEnvironmentVariable() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--db", "FETCHQ_DB", "--lease", "FETCHQ_LEASE", "--shutdown-grace",
                "--backoff-base", "--backoff-cap", "--max-attempts", "--retention", "--max-payload");
    }

    @Test
    void anUnreachableDatabaseStopsServeWithOneLineNamingIt() {
        int code = run("serve", "--db", "postgresql://fetchq:secret@127.0.0.1:1/nowhere?connectTimeout=2");

        assertThat(code).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString().strip())
                .startsWith("fetchq: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/nowhere")
                .doesNotContain("secret")
                .doesNotContain("\n")
                .doesNotContain("Exception");
    }

    @Test
    void anUnusableSqliteFileStopsServeWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "not a database ".repeat(100));

        assertThat(run("serve", "--db", junk.toString())).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err.toString().strip()).startsWith("fetchq: cannot open SQLite database " + junk).doesNotContain("\n");
    }

    @Test
    void invalidSettingsStopServeWithTheRangeAndExitCodeTwo() {
        assertThat(run("serve", "--lease", "0s", "--max-attempts", "-1")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--lease must be between 1s and 12h, got 0s")
                .contains("--max-attempts must be between 1 and 1000, got -1");
    }

    @Test
    void unknownOptionsAndMissingCommandsAreUsageErrors() {
        assertThat(run("serve", "--no-such-flag")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run()).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("fetchq serve");
    }

    @Test
    void aTakenPortStopsServeWithOneLineSayingSo(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("serve", "--db", dir.resolve("p.db").toString(), "--port", String.valueOf(taken.getLocalPort())))
                    .isEqualTo(Main.EXIT_FAILURE);
        }
        assertThat(err.toString().strip()).startsWith("fetchq: cannot listen").contains("--port").doesNotContain("\n");
    }

    @Test
    void badApiSettingsAreUsageErrors(@TempDir Path dir) {
        assertThat(run("serve", "--db", dir.resolve("q.db").toString(), "--port", "70000", "--max-request-body", "1"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--port must be between 0 and 65535, got 70000")
                .contains("--max-request-body must be between 1KiB and 1GiB");
    }
}
