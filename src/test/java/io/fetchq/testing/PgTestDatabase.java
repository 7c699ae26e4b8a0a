package io.fetchq.testing;

import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.TimeSource;
import io.fetchq.store.postgres.PostgresStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private schema on the test PostgreSQL server for one test class, so classes can run in parallel and
 * never see each other's rows. The server comes from {@code FETCHQ_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); if it cannot be reached the test fails
 * with a message saying so; it is never skipped.
 */
public final class PgTestDatabase implements AutoCloseable {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String url;
    private final String schema;

    private PgTestDatabase(String url, String schema) {
        this.url = url;
        this.schema = schema;
    }

    public static String serverUrl() {
        String env = System.getenv("FETCHQ_TEST_PG_URL");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    /** Creates a fresh schema named after the test class. */
    public static PgTestDatabase create(Class<?> testClass) {
        String url = serverUrl();
        String schema = ("t_" + testClass.getSimpleName() + "_" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36))
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is required for " + testClass.getSimpleName()
                    + " but cannot be used at " + url + " (set FETCHQ_TEST_PG_URL to a reachable server): "
                    + e.getMessage(), e);
        }
        return new PgTestDatabase(url, schema);
    }

    public String url() {
        return url;
    }

    public String schema() {
        return schema;
    }

    /** A JDBC URL whose connections use this schema. */
    public String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public PostgresStore openStore(TimeSource time) {
        return openStore(time, 10);
    }

    public PostgresStore openStore(TimeSource time, int poolSize) {
        return PostgresStore.open(new PostgresStore.Options(url, schema, poolSize, SchemaPolicy.MIGRATE), time);
    }

    /** Runs SQL in this schema. */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(schemaUrl()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
