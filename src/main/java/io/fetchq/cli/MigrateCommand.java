package io.fetchq.cli;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.Store;
import io.fetchq.store.TimeSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code fetchq migrate}: applies the schema migrations and exits, for nodes started with --no-migrate. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Bring the database schema up to date and exit. Nodes do this themselves when they start, "
                + "unless started with --no-migrate: then run this once before them (and after each upgrade)."},
        footer = {"", "Exit codes: 0 the schema is current, 1 the database cannot be used or migrated, 2 invalid usage."})
final class MigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DbOption database;

    @Override
    public Integer call() {
        Settings settings = Settings.builder().db(database.db).build();
        try (Store store = Node.openStore(settings.db(), 2, SchemaPolicy.MIGRATE, TimeSource.DATABASE)) {
            spec.commandLine().getOut().println(store.describe() + ": schema is at version " + store.schemaVersion());
        }
        return 0;
    }
}
