package io.fetchq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.http.HttpSettings;
import io.fetchq.store.StoreOpenException;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetchq migrate}, and nodes started with --no-migrate (the PostgreSQL case: MultiProcessTest). */
class MigrateCommandTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatMayNotMigrateRefusesAFreshDatabaseUntilMigrateHasRun() {
        String db = dir.resolve("ops.db").toString();
        Settings noMigrate = Settings.builder().db(db).migrate(false).build();

        assertThatThrownBy(() -> Node.start(noMigrate, EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0), w -> { }))
                .isInstanceOf(StoreOpenException.class).hasMessageContaining("apply the migrations first: fetchq migrate");

        CliRun migrate = new CliRun("migrate", "--db", db);
        assertThat(migrate.exitCode).as(migrate.err.toString()).isZero();
        String out = migrate.out.toString();
        assertThat(out).contains("ops.db").containsPattern("schema is at version \\d+");
        assertThat(new CliRun("migrate", "--db", db).exitCode).as("a second run finds nothing to do").isZero();

        try (Node node = Node.start(noMigrate, EnumSet.of(Node.Role.API), HttpSettings.defaults().withPort(0), w -> { })) {
            assertThat(node.store().schemaVersion()).isEqualTo(out.replaceAll("(?s).*version (\\d+).*", "$1"));
        }
    }

    @Test
    void theNodeCommandsSayTheyCanBeToldNotToMigrate() {
        CliRun help = new CliRun("worker", "--help");
        assertThat(help.out.toString()).contains("--[no-]migrate").contains("fetchq migrate");
    }
}
