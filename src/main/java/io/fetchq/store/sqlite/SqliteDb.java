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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every SQLite entity store shares: one writer connection behind a lock (SQLite allows one writer;
 * queueing writers here means "database is locked" never happens) with its statements prepared once, a
 * small pool of read-only connections that WAL lets run beside the writer, and this process's clock
 * (SQLite runs in this process, so its clock and ours are the same).
 */
final class SqliteDb implements Dialect {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqlStatements sql = SqlStatements.load("sqlite", "job", "queue", "store", "page", "scrape", "host");
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    /** Prepared statements of the writer connection, kept for its lifetime (guarded by {@link #writeLock}). */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    private final HikariDataSource readers;
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
     * On the writer connection, the writer's cached statement (SQLite re-parses on every prepare), behind a
     * view whose {@code close()} only clears it for the next use; on a reader connection, a fresh one.
     */
    @Override
    public PreparedStatement prepare(Connection c, String name) throws SQLException {
        if (c != writer) {
            return c.prepareStatement(sql.get(name));
        }
        PreparedStatement cached = writerStatement(name);
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
    PreparedStatement writerStatement(String name) throws SQLException {
        PreparedStatement ps = writerStatements.get(name);
        if (ps == null) {
            ps = writer.prepareStatement(sql.get(name));
            writerStatements.put(name, ps);
        }
        ps.clearParameters();
        return ps;
    }

    /** One statement on the writer connection (SQLite makes it atomic by itself). */
    <T> T write(String operation, JdbcWork<T> work) {
        writeLock.lock();
        try {
            return work.run(writer);
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Several statements on the writer connection, in one IMMEDIATE transaction. */
    <T> T writeTransaction(String operation, JdbcWork<T> work) {
        writeLock.lock();
        try {
            writerStatement("txBegin").execute();
            try {
                T result = work.run(writer);
                writerStatement("txCommit").execute();
                return result;
            } catch (SQLException | RuntimeException e) {
                writerStatement("txRollback").execute();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
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
