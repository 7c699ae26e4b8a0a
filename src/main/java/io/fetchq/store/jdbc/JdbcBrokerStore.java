package io.fetchq.store.jdbc;

import io.fetchq.store.BrokerQueueCounts;
import io.fetchq.store.BrokerQueueRecord;
import io.fetchq.store.BrokerStore;
import io.fetchq.store.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link BrokerStore} for both dialects: the logic once, each dialect's SQL ({@code db/<dialect>/broker.sql}). */
public final class JdbcBrokerStore implements BrokerStore {
    private static final List<JobState> ALL_STATES = List.of(JobState.values());
    private final Dialect db;

    public JdbcBrokerStore(Dialect db) {
        this.db = db;
    }

    @Override
    public Put brokerQueuePut(BrokerQueueRecord q, int maxAttempts) {
        return db.transaction("brokerQueuePut", c -> {
            Put put;
            try (PreparedStatement ps = db.prepare(c, "brokerQueuePut")) {
                db.setNow(ps, 1);
                ps.setString(2, q.name());
                ps.setLong(3, q.visibilityTimeout().toMillis());
                ps.setInt(4, q.maxReceiveCount());
                ps.setLong(5, q.retention().toMillis());
                ps.setInt(6, q.maxMessageBytes());
                ps.setLong(7, q.delay().toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    put = new Put(queue(rs), rs.getBoolean(9));
                }
            }
            if (!put.created()) {
                try (PreparedStatement ps = db.prepare(c, "brokerQueueMaxAttempts")) {
                    ps.setInt(1, maxAttempts);
                    ps.setString(2, q.name());
                    ps.setInt(3, maxAttempts);
                    ps.executeUpdate();
                }
            }
            return put;
        });
    }

    @Override
    public Optional<BrokerQueueRecord> brokerQueueGet(String name) {
        return db.read("brokerQueueGet", c -> {
            try (PreparedStatement ps = db.prepare(c, "brokerQueueGet")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(queue(rs)) : Optional.<BrokerQueueRecord>empty();
                }
            }
        });
    }

    @Override
    public List<BrokerQueueRecord> brokerQueueList() {
        return db.read("brokerQueueList", c -> {
            List<BrokerQueueRecord> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(c, "brokerQueueList"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(queue(rs));
                }
            }
            return out;
        });
    }

    @Override
    public boolean brokerQueueDelete(String name) {
        return db.transaction("brokerQueueDelete", c -> {
            try (PreparedStatement ps = db.prepare(c, "brokerQueueTombstone")) {
                db.setNow(ps, 1);
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            deleteMessages(c, name, ALL_STATES);
            try (PreparedStatement ps = db.prepare(c, "brokerDedupeDelete")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public int brokerMessagesDelete(String queue, Collection<JobState> states) {
        return db.transaction("brokerMessagesDelete", c -> deleteMessages(c, queue, states));
    }

    private int deleteMessages(Connection c, String queue, Collection<JobState> states) throws SQLException {
        List<String> names = states.stream().map(JobState::dbName).toList();
        try (PreparedStatement ps = db.prepare(c, "brokerMessagesDelete")) {
            ps.setString(1, queue);
            db.setTextList(c, ps, 2, names);
            ps.setString(3, queue);
            db.setTextList(c, ps, 4, names);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n += rs.getInt(1);
                }
            }
            return n;
        }
    }

    @Override
    public Map<String, BrokerQueueCounts> brokerQueueCounts(Collection<String> names) {
        Map<String, long[]> counts = new HashMap<>();
        for (String name : names) {
            counts.put(name, new long[4]);
        }
        if (!names.isEmpty()) {
            db.read("brokerQueueCounts", c -> {
                try (PreparedStatement ps = db.prepare(c, "brokerQueueCounts")) {
                    db.setTextList(c, ps, 1, names);
                    db.setTextList(c, ps, 2, names);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long[] n = counts.get(rs.getString(1));
                            int slot = switch (JobState.fromDbName(rs.getString(2))) {
                                case AVAILABLE -> 0;
                                case RUNNING -> 1;
                                case SCHEDULED, RETRYABLE -> 2;
                                case DEAD -> 3;
                                default -> -1;
                            };
                            if (n != null && slot >= 0) {
                                n[slot] += rs.getLong(3);
                            }
                        }
                    }
                }
                return null;
            });
        }
        Map<String, BrokerQueueCounts> out = new HashMap<>();
        counts.forEach((name, n) -> out.put(name, new BrokerQueueCounts(n[0], n[1], n[2], n[3])));
        return out;
    }

    @Override
    public Map<String, String> brokerDedupeLookup(String queue, Collection<String> dedupeIds) {
        if (dedupeIds.isEmpty()) {
            return Map.of();
        }
        return db.read("brokerDedupeLookup", c -> {
            Map<String, String> out = new HashMap<>();
            try (PreparedStatement ps = db.prepare(c, "brokerDedupeLookup")) {
                db.setNow(ps, 1);
                ps.setString(2, queue);
                db.setTextList(c, ps, 3, dedupeIds);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void brokerDedupeRecord(String queue, Map<String, String> messageByDedupeId, Duration window) {
        if (messageByDedupeId.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(messageByDedupeId.keySet());
        List<String> messages = ids.stream().map(messageByDedupeId::get).toList();
        db.transaction("brokerDedupeRecord", c -> {
            try (PreparedStatement ps = db.prepare(c, "brokerDedupeRecord")) {
                db.setNow(ps, 1);
                ps.setString(2, queue);
                ps.setLong(3, window.toMillis());
                db.setTextList(c, ps, 4, ids);
                db.setTextList(c, ps, 5, messages);
                ps.setLong(6, window.toMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int brokerPrune(int limit, Duration tombstoneAge) {
        return db.transaction("brokerPrune", c -> {
            int n = 0;
            for (String statement : List.of("brokerPruneMessages", "brokerPruneDedupe")) {
                try (PreparedStatement ps = db.prepare(c, statement)) {
                    db.setNow(ps, 1);
                    ps.setInt(2, limit);
                    n += ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = db.prepare(c, "brokerPruneTombstones")) {
                db.setNow(ps, 1);
                ps.setLong(2, tombstoneAge.toMillis());
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    private BrokerQueueRecord queue(ResultSet rs) throws SQLException {
        return new BrokerQueueRecord(rs.getString(1), Duration.ofMillis(rs.getLong(2)), rs.getInt(3),
                Duration.ofMillis(rs.getLong(4)), rs.getInt(5), Duration.ofMillis(rs.getLong(6)), db.instant(rs, 7),
                db.instant(rs, 8));
    }
}
