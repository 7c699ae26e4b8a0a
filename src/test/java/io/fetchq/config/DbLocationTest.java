package io.fetchq.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DbLocationTest {

    @Test
    void aPathOrSqliteUrlNamesAnSqliteFile() {
        assertThat(DbLocation.parse("./data/fetchq.db")).isEqualTo(new DbLocation.Sqlite(Path.of("./data/fetchq.db")));
        assertThat(DbLocation.parse("sqlite:/var/q.db")).isEqualTo(new DbLocation.Sqlite(Path.of("/var/q.db")));
        assertThat(DbLocation.parse("jdbc:sqlite:q.db")).isEqualTo(new DbLocation.Sqlite(Path.of("q.db")));
    }

    @Test
    void postgresUrlsBecomeJdbcUrlsWithTheirCredentialsAsParameters() {
        assertThat(DbLocation.parse("postgresql://fq:p%40ss@db.example:6543/queue?sslmode=require"))
                .isEqualTo(new DbLocation.Postgres("jdbc:postgresql://db.example:6543/queue?sslmode=require&user=fq&password=p%40ss"));
        assertThat(DbLocation.parse("postgres://localhost/q"))
                .isEqualTo(new DbLocation.Postgres("jdbc:postgresql://localhost/q"));
        assertThat(DbLocation.parse("jdbc:postgresql://h:5432/d?user=u"))
                .isEqualTo(new DbLocation.Postgres("jdbc:postgresql://h:5432/d?user=u"));
    }

    @Test
    void anythingElseIsRefusedNamingDbWithoutRevealingThePassword() {
        assertThatThrownBy(() -> DbLocation.parse("mysql://u:secret@h/d"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("--db").hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> DbLocation.parse(":memory:")).hasMessageContaining("must be a file path");
        assertThatThrownBy(() -> DbLocation.parse(" ")).hasMessageContaining("--db must name");
        assertThatThrownBy(() -> DbLocation.parse("postgresql://u:secret@/d"))
                .hasMessageContaining("no host").hasMessageNotContaining("secret");
    }
}
