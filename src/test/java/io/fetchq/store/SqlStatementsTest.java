package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.jdbc.SqlStatements;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {

    @Test
    void bothDialectsDefineTheSameJobAndQueueStatements() {
        SqlStatements pg = SqlStatements.load("postgres", "job", "queue");
        SqlStatements lite = SqlStatements.load("sqlite", "job", "queue");

        assertThat(pg.names()).isNotEmpty().isEqualTo(lite.names());
    }

    @Test
    void statementsAreReadWithoutTheirNameLineOrTrailingSemicolon() {
        SqlStatements pg = SqlStatements.load("postgres", "store");

        assertThat(pg.get("storePing")).isEqualTo("SELECT 1");
    }
}
