package io.fetchq.bench;

import io.fetchq.config.DbLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/** A benchmark's scratch database: emptied before each run (not timed), and named for a node's --db. */
final class ScratchStore {
    private ScratchStore() {
    }

    /** Deletes the SQLite file (and its WAL), or drops and re-creates the PostgreSQL schema. */
    static void reset(DbLocation db, String schema) throws Exception {
        switch (db) {
            case DbLocation.Sqlite s -> {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(s.file() + suffix));
                }
            }
            case DbLocation.Postgres p -> {
                try (Connection c = DriverManager.getConnection(p.jdbcUrl()); Statement st = c.createStatement()) {
                    String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
                    st.execute("DROP SCHEMA IF EXISTS " + quoted + " CASCADE");
                    st.execute("CREATE SCHEMA " + quoted);
                }
            }
        }
    }

    /** The --db value a node uses for this scratch store. */
    static String dbSetting(DbLocation db, String schema) {
        return switch (db) {
            case DbLocation.Sqlite s -> s.file().toString();
            case DbLocation.Postgres p -> p.jdbcUrl() + (p.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + schema;
        };
    }

    static String storeName(DbLocation db) {
        return db instanceof DbLocation.Postgres ? "postgresql" : "sqlite";
    }
}
