package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.jdbc.SqlStatements;
import io.fetchq.store.sqlite.SqliteStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's planner uses a partial index only when the query repeats the index's predicate, so a harmless
 * looking rewrite can turn a lookup into a scan of every row (S1 once spent half its CPU scanning URL
 * rows). Every named statement is explained against the migrated schema; the ones that read a whole
 * table must be the few listed here, each for a reason.
 */
class SqliteQueryPlanTest {
    private static final Pattern FULL_SCAN = Pattern.compile("^SCAN (fetchq_\\w+)(?: AS \\w+)?$");
    private static final Pattern ALIAS_SCAN = Pattern.compile("^SCAN (\\w+)$");

    /** Statements allowed to read a whole table, and why. */
    private static final Map<String, String> ALLOWED = Map.of(
            "jobList", "admin listing: walks jobs newest first by rowid and stops at the page size",
            "scrapeJobList", "admin listing: walks scrape jobs newest first by rowid and stops at the page size",
            "queueStats", "counts every job by queue and state; kept cheap by counters in a later issue",
            "jobRequeueDead", "admin action over the dead jobs a filter names; rare, and bounded by the table");

    @Test
    void noStatementScansAWholeBigTableUnlessListed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plan.db");
        SqliteStore.open(file, TimeSource.DATABASE).close();
        SqlStatements sql = SqlStatements.load("sqlite", "job", "queue", "store", "page", "scrape", "host");
        Map<String, String> scans = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String name : sql.names()) {
                if (name.startsWith("tx")) {
                    continue;
                }
                try (ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql.get(name))) {
                    while (rs.next()) {
                        String detail = rs.getString("detail");
                        Matcher m = FULL_SCAN.matcher(detail);
                        Matcher alias = ALIAS_SCAN.matcher(detail);
                        if (m.matches() || (alias.matches() && Set.of("u", "j", "p").contains(alias.group(1)))) {
                            scans.merge(name, detail, (a, b) -> a + "; " + b);
                        }
                    }
                }
            }
        }

        assertThat(scans.keySet()).as("statements that scan a whole table: %s", scans).isSubsetOf(ALLOWED.keySet());
    }
}
