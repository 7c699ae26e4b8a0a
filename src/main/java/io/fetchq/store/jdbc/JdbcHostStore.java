package io.fetchq.store.jdbc;

import io.fetchq.store.HostPermit;
import io.fetchq.store.HostStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link HostStore} on PostgreSQL, shared by all nodes. An acquire is one transaction that locks the host's
 * row, picks the lowest slot without a live lease, and reserves the next start time: {@code max(now,
 * next_start_at, paused_until)}, pushing next_start_at one minimum delay further. The caller waits until
 * its start time, so requests to a host start at least the delay apart whichever node sends them. On
 * SQLite, slots and reservations live in the one process's memory ({@code SqliteHostStore}), which uses
 * this class only for what must outlive a restart: pauses and late starts.
 */
public final class JdbcHostStore implements HostStore {
    private final Dialect db;

    public JdbcHostStore(Dialect db) {
        this.db = db;
    }

    @Override
    public Optional<HostPermit> hostAcquire(String host, int maxConcurrency, Duration minDelay, String holder,
                                            Duration lease) {
        return db.transaction("hostAcquire", c -> {
            ensure(c, host);
            Instant next;
            Instant paused;
            try (PreparedStatement ps = db.prepare(c, "hostLock")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    next = db.instant(rs, 1);
                    paused = db.instant(rs, 2);
                }
            }
            Instant now;
            int slot;
            try (PreparedStatement ps = db.prepare(c, "hostFreeSlot")) {
                ps.setInt(1, maxConcurrency);
                ps.setString(2, host);
                db.setNow(ps, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    now = db.instant(rs, 1);
                    slot = rs.getInt(2);
                    if (rs.wasNull()) {
                        return Optional.<HostPermit>empty();
                    }
                }
            }
            Instant start = latest(now, next, paused);
            Instant clock;
            try (PreparedStatement ps = db.prepare(c, "hostReserve")) {
                db.setInstant(ps, 1, start.plus(minDelay));
                ps.setString(2, host);
                ps.setInt(3, slot);
                ps.setString(4, holder);
                db.setInstant(ps, 5, start.plus(lease));
                db.setNow(ps, 6);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    clock = db.instant(rs, 1);
                }
            }
            // The clock read as late as possible, so the caller's wait ends on the reserved start and not after
            // it by however long this transaction took.
            return Optional.of(new HostPermit(host, slot, Duration.between(clock, start), start));
        });
    }

    private static Instant latest(Instant now, Instant next, Instant paused) {
        Instant t = now;
        if (next != null && next.isAfter(t)) {
            t = next;
        }
        if (paused != null && paused.isAfter(t)) {
            t = paused;
        }
        return t;
    }

    @Override
    public void hostSentLate(String host, Instant earliestNext) {
        db.transaction("hostSentLate", c -> {
            ensure(c, host);
            try (PreparedStatement ps = db.prepare(c, "hostSentLate")) {
                db.setInstant(ps, 1, earliestNext);
                ps.setString(2, host);
                return ps.executeUpdate();
            }
        });
    }

    /** Makes the host's row exist: the first acquire, a pause or a late send may be the first word of it. */
    private void ensure(Connection c, String host) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "hostEnsure")) {
            ps.setString(1, host);
            db.setNow(ps, 2);
            ps.executeUpdate();
        }
    }

    @Override
    public void hostRelease(HostPermit permit, String holder) {
        db.transaction("hostRelease", c -> {
            try (PreparedStatement ps = db.prepare(c, "hostRelease")) {
                ps.setString(1, permit.host());
                ps.setInt(2, permit.slot());
                ps.setString(3, holder);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void hostPause(String host, Duration pause) {
        db.transaction("hostPause", c -> {
            ensure(c, host);
            try (PreparedStatement ps = db.prepare(c, "hostPause")) {
                db.setNow(ps, 1);
                ps.setLong(2, pause.toMillis());
                ps.setString(3, host);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Duration> hostPausedFor(String host) {
        return db.read("hostPausedFor", c -> {
            try (PreparedStatement ps = db.prepare(c, "hostPausedFor")) {
                db.setNow(ps, 1);
                ps.setString(2, host);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Duration.ofMillis(rs.getLong(1))) : Optional.<Duration>empty();
                }
            }
        });
    }
}
