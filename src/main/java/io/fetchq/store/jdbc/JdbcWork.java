package io.fetchq.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one borrowed connection; the store decides about transactions and locking. */
@FunctionalInterface
public interface JdbcWork<T> {
    T run(Connection connection) throws SQLException;
}
