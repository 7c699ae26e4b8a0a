package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.jdbc.SqlStatements;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {

    @Test
    void bothDialectsDefineTheSameJobAndQueueStatements() {
        SqlStatements pg = SqlStatements.load("postgres", "job", "queue");
        SqlStatements lite = SqlStatements.load("sqlite", "job", "queue");
        // SQLite inserts a batch by repeating jobInsertOne (in-process, there is no round trip to save).
        java.util.Set<String> pgOnly = java.util.Set.of("jobInsertMany");

        assertThat(lite.names()).isNotEmpty().doesNotContainAnyElementsOf(pgOnly);
        assertThat(pg.names()).containsAll(lite.names());
        assertThat(pg.names()).hasSize(lite.names().size() + pgOnly.size());
    }

    @Test
    void statementsAreReadWithoutTheirNameLineOrTrailingSemicolon() {
        SqlStatements pg = SqlStatements.load("postgres", "store");

        assertThat(pg.get("storePing")).isEqualTo("SELECT 1");
    }
}
