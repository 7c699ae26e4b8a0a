package io.fetchq.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database file from a thread of its own, so the single writer never does it.
 * SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, holding the write lock
 * while it copies the pages and syncs the file (S1 measured 40 % of all commit time in it). A PASSIVE
 * checkpoint on another connection runs beside the writer instead. The writer keeps a high automatic
 * threshold as a safety net ({@link #WRITER_AUTOCHECKPOINT_PAGES}), should this thread ever fall behind.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqliteCheckpointer.class);
    /** The writer checkpoints by itself only when the WAL holds this many pages (40 MiB of 4 KiB pages). */
    static final int WRITER_AUTOCHECKPOINT_PAGES = 10_000;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Connection connection;
    private final SqliteDb db;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    SqliteCheckpointer(Connection connection, SqliteDb db) {
        this.connection = connection;
        this.db = db;
        this.thread = Thread.ofPlatform().daemon().name("fetchq-sqlite-checkpoint").start(this::loop);
    }

    private void loop() {
        long seen = db.commits();
        boolean warned = false;
        while (running.get()) {
            LockSupport.parkNanos(INTERVAL_NANOS);
            long commits = db.commits();
            if (commits == seen || !running.get()) {
                continue;
            }
            seen = commits;
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
                warned = false;
            } catch (SQLException e) {
                if (!warned) {
                    log.warn("background checkpoint failed (the writer checkpoints by itself instead): {}", e.getMessage());
                    warned = true;
                }
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
