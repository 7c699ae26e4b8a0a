package io.fetchq.store.jdbc;

import io.fetchq.store.Job;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Store operations both dialects run the same way, through their {@link Dialect}: a job by dedupe key,
 * the workers holding leases, how long until the next due job or lease expiry, and the meta key/value pairs.
 */
public final class JdbcLookups {
    private final Dialect db;
    private final JobRows rows;

    public JdbcLookups(Dialect db, JobRows rows) {
        this.db = db;
        this.rows = rows;
    }

    public Optional<Job> jobLatestByDedupeKey(String queue, String dedupeKey) {
        return db.read("jobLatestByDedupeKey", c -> {
            try (PreparedStatement ps = db.prepare(c, "jobLatestByDedupeKey")) {
                ps.setString(1, queue);
                ps.setString(2, dedupeKey);
                List<Job> found = rows.all(ps);
                return found.isEmpty() ? Optional.<Job>empty() : Optional.of(found.get(0));
            }
        });
    }

    /** The version of the last migration applied, from Flyway's history table; empty before any. */
    public Optional<String> schemaVersion() {
        return db.read("storeSchemaVersion", c -> {
            try (PreparedStatement ps = db.prepare(c, "storeSchemaVersion"); java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
            }
        });
    }

    /**
     * Runs a statement that takes now and returns one nullable number of milliseconds ({@code jobNextDueIn},
     * {@code jobNextLeaseExpiryIn}).
     */
    public Optional<java.time.Duration> millisUntil(String statement) {
        return db.read(statement, c -> {
            try (PreparedStatement ps = db.prepare(c, statement)) {
                db.setNow(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long ms = rs.getLong(1);
                    return rs.wasNull() ? Optional.<java.time.Duration>empty() : Optional.of(java.time.Duration.ofMillis(ms));
                }
            }
        });
    }

    public Map<String, Long> queueActiveWorkers() {
        return db.read("queueActiveWorkers", c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement ps = db.prepare(c, "queueActiveWorkers"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    public String metaGetOrPut(String key, String value) {
        return db.transaction("metaGetOrPut", c -> {
            try (PreparedStatement ps = db.prepare(c, "metaPutIfAbsent")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepare(c, "metaGet")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }
}
