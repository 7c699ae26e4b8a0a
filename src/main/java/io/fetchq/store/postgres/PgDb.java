package io.fetchq.store.postgres;

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
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.postgresql.PGStatement;

/**
 * What every PostgreSQL entity store shares: the pool, the dialect's statements, the time source, and
 * running work in autocommit or in one transaction with driver errors turned into {@link StoreException}s.
 */
final class PgDb implements Dialect {
    private final HikariDataSource pool;
    private final SqlStatements sql;
    private final TimeSource time;

    PgDb(HikariDataSource pool, TimeSource time) {
        this.pool = pool;
        this.time = time;
        this.sql = SqlStatements.load("postgres", "job", "queue", "store", "page", "scrape", "host", "broker");
    }

    @Override
    public String sql(String name) {
        return sql.get(name);
    }

    /**
     * pgjdbc keeps parsed and server-side prepared statements per connection by their SQL text; a statement
     * marked {@code -- plan: per execution} is never server-prepared, so the server plans it with the values
     * bound each time.
     */
    @Override
    public PreparedStatement prepare(Connection c, String name) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.get(name));
        if (sql.plannedPerExecution(name)) {
            ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        }
        return ps;
    }

    @Override
    public <T> T read(String operation, JdbcWork<T> work) {
        return autoCommit(operation, work);
    }

    @Override
    public <T> T transaction(String operation, JdbcWork<T> work) {
        return inTransaction(operation, work);
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        bindInstant(ps, index, at);
    }

    @Override
    public Instant instant(ResultSet rs, int column) throws SQLException {
        return readInstant(rs, column);
    }

    @Override
    public void setTextList(Connection c, PreparedStatement ps, int index, java.util.Collection<String> values)
            throws SQLException {
        ps.setArray(index, c.createArrayOf("text", values.toArray(String[]::new)));
    }

    HikariDataSource pool() {
        return pool;
    }

    <T> T autoCommit(String operation, JdbcWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        }
    }

    <T> T inTransaction(String operation, JdbcWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(operation + " failed: " + e.getMessage(), e);
        }
    }

    /** Binds "now": NULL lets the statement use the database's clock; a test clock's time otherwise. */
    @Override
    public void setNow(PreparedStatement ps, int index) throws SQLException {
        Instant now = time.nowOrNull();
        if (now == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        }
    }

    static void bindInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        }
    }

    static Instant readInstant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
