package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.jdbc.SqlStatements;
import org.junit.jupiter.api.Test;

class SqlStatementsTest {

    @Test
    void bothDialectsDefineTheSameJobAndQueueStatements() {
        SqlStatements pg = SqlStatements.load("postgres", "job", "queue", "store", "page", "scrape", "host", "broker");
        SqlStatements lite = SqlStatements.load("sqlite", "job", "queue", "store", "page", "scrape", "host", "broker");
        // SQLite inserts a batch by repeating jobInsertOne (in-process, there is no round trip to save);
        // only PostgreSQL has other nodes to notify and a clock of its own to ask. PostgreSQL stores new scrape
        // jobs and their URL rows in one statement; SQLite a statement per row and a read back.
        // SQLite keeps host slots in memory (SqliteHostStore): only PostgreSQL acquires and releases them.
        java.util.Set<String> pgOnly = java.util.Set.of("jobInsertMany", "storeNotifyQueues", "storeNotifyMany", "storeNow",
                "scrapeJobInsertMany", "hostFreeSlot", "hostReserve", "hostRelease");
        java.util.Set<String> sqliteOnly = java.util.Set.of("txBegin", "txCommit", "txRollback", "txSavepoint", "txRelease",
                "txRollbackTo", "scrapeJobInsert", "scrapeUrlInsert", "scrapeJobGetMany");

        java.util.Set<String> shared = new java.util.TreeSet<>(lite.names());
        shared.removeAll(sqliteOnly);
        java.util.Set<String> pgShared = new java.util.TreeSet<>(pg.names());
        pgShared.removeAll(pgOnly);

        assertThat(pgShared).isNotEmpty().isEqualTo(shared);
        assertThat(lite.names()).containsAll(sqliteOnly).doesNotContainAnyElementsOf(pgOnly);
    }

    @Test
    void statementsAreReadWithoutTheirNameLineOrTrailingSemicolon() {
        SqlStatements pg = SqlStatements.load("postgres", "store");

        assertThat(pg.get("storePing")).isEqualTo("SELECT 1");
    }
}
