package io.fetchq.cli;

import io.fetchq.config.Settings;
import picocli.CommandLine.Option;

/** Where the database is: the {@code --db} flag of the node commands and of {@code migrate}. */
final class DbOption {
    @Option(names = "--db", paramLabel = "FILE|URL",
            defaultValue = "${env:FETCHQ_DB:-" + Settings.DEFAULT_DB + "}",
            description = "SQLite file, or postgresql://user:pass@host:port/db to share one PostgreSQL between "
                    + "nodes (env FETCHQ_DB; default ${DEFAULT-VALUE}).")
    String db;
}
