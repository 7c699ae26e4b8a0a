package io.fetchq.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fetchq.store.TimeSource;
import io.fetchq.testing.PgTestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A lookup by a list of keys, run often while its table was empty, still uses the index once the table has
 * grown on the same connection: it is marked {@code -- plan: per execution}, so no plan made for the empty
 * table outlives it (this server may run without autovacuum, and then nothing else would re-plan it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerExecutionPlanTest {
    private PgTestDatabase pg;
    private HikariDataSource pool;
    private PgDb db;

    @BeforeAll
    void open() {
        pg = PgTestDatabase.create(PerExecutionPlanTest.class);
        pg.openStore(TimeSource.DATABASE).close(); // migrates
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.schemaUrl());
        config.setMaximumPoolSize(1);
        pool = new HikariDataSource(config);
        db = new PgDb(pool, TimeSource.DATABASE);
    }

    @AfterAll
    void close() {
        if (pool != null) {
            pool.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aKeyListLookupPlannedOnAnEmptyTableUsesTheIndexOnceTheTableHasGrown() {
        assertThat(db.sql("pageValidators")).contains("-- plan: per execution");
        db.autoCommit("test", c -> {
            for (int i = 0; i < 20; i++) {
                lookUp(c, List.of("http://a.test/" + i, "http://b.test/" + i));
            }
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO fetchq_page (id, url, status, final_url, headers, content_type, body_size, sha256,"
                        + " fetched_at) SELECT 'p' || n, 'http://a.test/' || n, 200, 'http://a.test/' || n, '{}',"
                        + " 'text/html', 0, '', now() FROM generate_series(1, 20000) AS n");
            }
            c.setAutoCommit(false);
            try {
                assertThat(lookUp(c, List.of("http://a.test/7", "http://a.test/70"))).isEqualTo(2);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'fetchq_page'")) {
                    rs.next();
                    assertThat(rs.getLong("seq_scan")).as("sequential scans of fetchq_page").isZero();
                    assertThat(rs.getLong("idx_scan")).as("index scans of fetchq_page").isPositive();
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM fetchq_page WHERE url = ANY%'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("server-side prepared copies of pageValidators").isZero();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    private int lookUp(Connection c, List<String> urls) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "pageValidators")) {
            db.setTextList(c, ps, 1, urls);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }
}
