package io.fetchq.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.fetchq.store.StoreException;
import io.fetchq.store.TimeSource;
import io.fetchq.store.jdbc.Dialect;
import io.fetchq.store.jdbc.JdbcWork;
import io.fetchq.store.jdbc.SqlStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every SQLite entity store shares: one writer connection behind a lock (SQLite allows one writer;
 * queueing writers here means "database is locked" never happens) with its statements prepared once, a
 * small pool of read-only connections that WAL lets run beside the writer, and this process's clock
 * (SQLite runs in this process, so its clock and ours are the same).
 */
final class SqliteDb implements Dialect {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SqliteDb.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlStatements sql = SqlStatements.load("sqlite", "job", "queue", "store", "page", "scrape", "host", "broker");
    /** Most pieces of work one group commit takes, so no caller waits behind an unbounded batch. */
    private static final int MAX_GROUP = 256;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedQueue<PendingWrite<?>> pending = new ConcurrentLinkedQueue<>();
    /** Group commits so far (each may hold many writes). */
    private final LongAdder commits = new LongAdder();
    /** Pieces of work committed, time the write lock was held for them, and of that the COMMITs (for a log line). */
    private final LongAdder writes = new LongAdder();
    private final LongAdder busyNanos = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final long openedAt = System.nanoTime();
    private final Connection writer;
    /** Prepared statements of the writer connection, kept for its lifetime (guarded by {@link #writeLock}). */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final HikariDataSource readers;
    /** Statements cached per physical reader connection; weak keys, so a retired connection takes its own along. */
    private final Map<Connection, Map<String, PreparedStatement>> readerStatements = new java.util.WeakHashMap<>();
    private final TimeSource time;

    SqliteDb(Connection writer, HikariDataSource readers, TimeSource time) {
        this.writer = writer;
        this.readers = readers;
        this.time = time;
    }

    @Override
    public String sql(String name) {
        return sql.get(name);
    }

    /**
     * A cached statement (SQLite re-parses on every prepare, and sqlite-jdbc reads every column name again),
     * behind a view whose {@code close()} only clears it for the next use: the writer's own, or on a reader
     * connection one cached per physical connection (a pooled connection serves one thread at a time).
     */
    @Override
    public PreparedStatement prepare(Connection c, String name) throws SQLException {
        PreparedStatement cached = c == writer ? writerStatement(name) : readerStatement(c, name);
        return (PreparedStatement) java.lang.reflect.Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        cached.clearBatch();
                        return null;
                    }
                    try {
                        return method.invoke(cached, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public <T> T transaction(String operation, JdbcWork<T> work) {
        return writeTransaction(operation, work);
    }

    @Override
    public void setNow(PreparedStatement ps, int index) throws SQLException {
        ps.setLong(index, nowMillis());
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, java.sql.Types.INTEGER);
        } else {
            ps.setLong(index, at.toEpochMilli());
        }
    }

    @Override
    public Instant instant(ResultSet rs, int column) throws SQLException {
        return readInstant(rs, column);
    }

    @Override
    public void setTextList(Connection c, PreparedStatement ps, int index, java.util.Collection<String> values)
            throws SQLException {
        ps.setString(index, json(values));
    }

    long nowMillis() {
        Instant now = time.nowOrNull();
        return now != null ? now.toEpochMilli() : System.currentTimeMillis();
    }

    /**
     * The writer's prepared statement for {@code name}, parsed once: SQLite re-parses a statement on every
     * prepare, which costs more than the work of a one-row insert. Call only under the write lock.
     */
    private PreparedStatement readerStatement(Connection pooled, String name) throws SQLException {
        Connection physical = pooled.unwrap(org.sqlite.SQLiteConnection.class);
        Map<String, PreparedStatement> statements;
        synchronized (readerStatements) {
            statements = readerStatements.computeIfAbsent(physical, k -> new HashMap<>());
        }
        PreparedStatement ps = statements.get(name);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql.get(name));
            statements.put(name, ps);
        }
        ps.clearParameters();
        return ps;
    }

    PreparedStatement writerStatement(String name) throws SQLException {
        PreparedStatement ps = writerStatements.get(name);
        if (ps == null) {
            ps = writer.prepareStatement(sql.get(name));
            writerStatements.put(name, ps);
        }
        ps.clearParameters();
        return ps;
    }

    /** One statement on the writer connection; committed with whatever other writes are waiting. */
    <T> T write(String operation, JdbcWork<T> work) {
        return writeTransaction(operation, work);
    }

    /**
     * Several statements on the writer connection, atomically, in a group commit: writes that arrive while
     * another batch commits wait and then go out together in one IMMEDIATE transaction, each inside its own
     * savepoint, so a batch costs one commit (one WAL append of the pages it touched) however many pieces
     * of work it holds, and a piece that fails is undone alone. The caller returns once its work is
     * committed. Whoever takes the write lock runs everything queued (no writer thread to hand off to).
     */
    <T> T writeTransaction(String operation, JdbcWork<T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException(operation + ": a write inside another write's transaction");
        }
        PendingWrite<T> mine = new PendingWrite<>(operation, work);
        pending.add(mine);
        while (!mine.done) {
            writeLock.lock();
            try {
                if (!mine.done) {
                    commitPending();
                }
            } finally {
                writeLock.unlock();
            }
        }
        return mine.outcome();
    }

    long commits() {
        return commits.sum();
    }

    /** Runs and commits the writes queued so far, up to {@link #MAX_GROUP}. Under the write lock. */
    private void commitPending() {
        List<PendingWrite<?>> batch = new ArrayList<>();
        PendingWrite<?> next;
        while (batch.size() < MAX_GROUP && (next = pending.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        boolean alone = batch.size() == 1;
        long b0 = System.nanoTime();
        try {
            writerStatement("txBegin").execute();
        } catch (SQLException e) {
            batch.forEach(w -> w.finish(null, new StoreException(w.operation + " failed: " + e.getMessage(), e)));
            return;
        }
        try {
            for (PendingWrite<?> w : batch) {
                w.runIn(this, alone);
            }
            long c0 = System.nanoTime();
            writerStatement("txCommit").execute();
            commitNanos.add(System.nanoTime() - c0);
            busyNanos.add(System.nanoTime() - b0);
            commits.increment();
            writes.add(batch.size());
            batch.forEach(PendingWrite::publish);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                writerStatement("txRollback").execute();
            } catch (SQLException ignored) {
                // SQLite rolls back by itself when a commit fails; nothing else to undo
            }
            for (PendingWrite<?> w : batch) {
                w.finish(null, w.failure != null ? w.failure : e instanceof SQLException sql
                        ? new StoreException(w.operation + " failed: " + sql.getMessage(), sql) : e);
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    /** One caller's work in a group commit, and then its result or failure. */
    private static final class PendingWrite<T> {
        final String operation;
        final JdbcWork<T> work;
        volatile boolean done;
        T result;
        Throwable failure;

        PendingWrite(String operation, JdbcWork<T> work) {
            this.operation = operation;
            this.work = work;
        }

        /** Runs the work, in its own savepoint unless it is alone in the transaction. */
        void runIn(SqliteDb db, boolean alone) throws SQLException {
            if (alone) {
                try {
                    result = work.run(db.writer);
                } catch (SQLException e) {
                    failure = new StoreException(operation + " failed: " + e.getMessage(), e);
                    throw e;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
                return;
            }
            db.writerStatement("txSavepoint").execute();
            try {
                result = work.run(db.writer);
                db.writerStatement("txRelease").execute();
            } catch (SQLException | RuntimeException e) {
                db.writerStatement("txRollbackTo").execute();
                db.writerStatement("txRelease").execute();
                failure = e instanceof SQLException sql ? new StoreException(operation + " failed: " + sql.getMessage(), sql) : e;
                result = null;
            }
        }

        /** After the commit: the result (or the failure of this work alone) is now the caller's. */
        void publish() {
            finish(result, failure);
        }

        void finish(T value, Throwable error) {
            result = value;
            failure = error;
            done = true;
        }

        T outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new StoreException(operation + " failed: " + failure.getMessage(), failure);
            }
            return result;
        }
    }

    @Override
    public <T> T read(String operation, JdbcWork<T> work) {
        try (Connection c = readers.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant readInstant(ResultSet rs, int column) throws SQLException {
        long ms = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
    }

    static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    void close() {
        log.debug("writer: {} writes in {} group commits, busy {} ms (committing {} ms) of {} ms open", writes.sum(),
                commits.sum(), busyNanos.sum() / 1_000_000, commitNanos.sum() / 1_000_000,
                (System.nanoTime() - openedAt) / 1_000_000);
        writeLock.lock();
        try {
            for (PreparedStatement ps : writerStatements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            writerStatements.clear();
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA optimize");
            } catch (SQLException ignored) {
                // an optimisation hint only
            }
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        } finally {
            writeLock.unlock();
        }
        readers.close();
    }
}
