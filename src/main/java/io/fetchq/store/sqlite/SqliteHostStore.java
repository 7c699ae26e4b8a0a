package io.fetchq.store.sqlite;

import io.fetchq.store.HostPermit;
import io.fetchq.store.HostStore;
import io.fetchq.store.jdbc.JdbcHostStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-host politeness on SQLite, kept in this process: an SQLite file has one fetchq process
 * ({@link SqliteStore} holds a lock on it), so slots and reserved starts need not make two write
 * transactions per request as they must on PostgreSQL ({@link JdbcHostStore}); the rules are the same.
 * What must outlive a restart is written through to {@code fetchq_host}: pauses (Retry-After) and, for
 * hosts whose delay is a second or more (a Crawl-delay), the next reserved start; both are read back the
 * first time this process touches the host. Held slots need not survive: their holder was this process.
 */
final class SqliteHostStore implements HostStore {
    /** Delays from which the next reserved start is written through (at most one write a second per host). */
    private static final long PERSIST_DELAY_MS = 1000;

    private final SqliteDb db;
    private final JdbcHostStore durable;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Host> hosts = new HashMap<>();

    /** One host's state (guarded by {@link #lock}). Times in epoch ms. */
    private static final class Host {
        long nextStartAt;
        long pausedUntil;
        String[] holders = new String[0];
        long[] leaseUntil = new long[0];

        void ensureSlots(int n) {
            if (holders.length < n) {
                holders = Arrays.copyOf(holders, n);
                leaseUntil = Arrays.copyOf(leaseUntil, n);
            }
        }
    }

    SqliteHostStore(SqliteDb db) {
        this.db = db;
        this.durable = new JdbcHostStore(db);
    }

    @Override
    public Optional<HostPermit> hostAcquire(String host, int maxConcurrency, Duration minDelay, String holder,
                                            Duration lease) {
        Host h = host(host);
        HostPermit permit;
        long next;
        lock.lock();
        try {
            long now = db.nowMillis();
            h.ensureSlots(maxConcurrency);
            int slot = -1;
            for (int i = 0; i < maxConcurrency && slot < 0; i++) {
                if (h.holders[i] == null || h.leaseUntil[i] < now) {
                    slot = i;
                }
            }
            if (slot < 0) {
                return Optional.empty();
            }
            long start = Math.max(now, Math.max(h.nextStartAt, h.pausedUntil));
            next = start + minDelay.toMillis();
            h.nextStartAt = next;
            h.holders[slot] = holder;
            h.leaseUntil[slot] = start + lease.toMillis();
            permit = new HostPermit(host, slot, Duration.ofMillis(start - now), Instant.ofEpochMilli(start));
        } finally {
            lock.unlock();
        }
        if (minDelay.toMillis() >= PERSIST_DELAY_MS) {
            durable.hostSentLate(host, Instant.ofEpochMilli(next));
        }
        return Optional.of(permit);
    }

    @Override
    public void hostSentLate(String host, Instant earliestNext) {
        Host h = host(host);
        long next;
        lock.lock();
        try {
            h.nextStartAt = Math.max(h.nextStartAt, earliestNext.toEpochMilli());
            next = h.nextStartAt;
        } finally {
            lock.unlock();
        }
        if (next - db.nowMillis() >= PERSIST_DELAY_MS) {
            durable.hostSentLate(host, Instant.ofEpochMilli(next));
        }
    }

    @Override
    public void hostRelease(HostPermit permit, String holder) {
        Host h = host(permit.host());
        lock.lock();
        try {
            int slot = permit.slot();
            if (slot < h.holders.length && holder.equals(h.holders[slot])) {
                h.holders[slot] = null;
                h.leaseUntil[slot] = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void hostPause(String host, Duration pause) {
        Host h = host(host);
        durable.hostPause(host, pause);
        lock.lock();
        try {
            long now = db.nowMillis();
            h.pausedUntil = Math.max(Math.max(h.pausedUntil, now), now + pause.toMillis());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Duration> hostPausedFor(String host) {
        Host h = host(host);
        lock.lock();
        try {
            long left = h.pausedUntil - db.nowMillis();
            return left > 0 ? Optional.of(Duration.ofMillis(left)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The host's state, read from {@code fetchq_host} the first time this process touches it. */
    private Host host(String host) {
        lock.lock();
        try {
            Host h = hosts.get(host);
            if (h != null) {
                return h;
            }
        } finally {
            lock.unlock();
        }
        Host loaded = load(host);
        lock.lock();
        try {
            return hosts.computeIfAbsent(host, k -> loaded);
        } finally {
            lock.unlock();
        }
    }

    private Host load(String host) {
        Host h = new Host();
        db.read("hostLoad", c -> {
            try (var ps = db.prepare(c, "hostLock")) {
                ps.setString(1, host);
                try (var rs = ps.executeQuery()) {
                    if (rs.next()) {
                        h.nextStartAt = rs.getLong(1);
                        h.pausedUntil = rs.getLong(2);
                    }
                }
            }
            return null;
        });
        return h;
    }
}
