package io.fetchq.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;

/**
 * What differs between the databases for the entity stores whose logic is written once ({@link
 * JdbcPageStore}, {@link JdbcScrapeStore}, {@link JdbcHostStore}): the SQL text (each dialect's own files,
 * same statement names and parameter order), how work runs (one pooled connection, or SQLite's single
 * writer), and how time and lists are bound.
 */
public interface Dialect {
    String sql(String name);

    /**
     * The named statement on {@code c}, to use in try-with-resources: closing it releases it (a statement
     * the dialect keeps for reuse stays prepared).
     */
    PreparedStatement prepare(java.sql.Connection c, String name) throws SQLException;

    /** Reads on any connection. */
    <T> T read(String operation, JdbcWork<T> work);

    /** Several statements in one transaction. */
    <T> T transaction(String operation, JdbcWork<T> work);

    /** Binds "now" (the database's clock, or a test's). */
    void setNow(PreparedStatement ps, int index) throws SQLException;

    void setInstant(PreparedStatement ps, int index, Instant at) throws SQLException;

    Instant instant(ResultSet rs, int column) throws SQLException;

    /** Binds a list of texts for {@code IN}-style matching (an array, or a JSON array for json_each). */
    void setTextList(java.sql.Connection c, PreparedStatement ps, int index, Collection<String> values) throws SQLException;
}
