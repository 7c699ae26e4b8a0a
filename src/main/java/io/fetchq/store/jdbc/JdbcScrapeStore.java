package io.fetchq.store.jdbc;

import io.fetchq.store.IdempotencyClaim;
import io.fetchq.store.Lease;
import io.fetchq.store.Page;
import io.fetchq.store.ScrapeCancel;
import io.fetchq.store.ScrapeJobInsert;
import io.fetchq.store.ScrapeJobRead;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeSettled;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeStore;
import io.fetchq.store.ScrapeStart;
import io.fetchq.store.ScrapeUrlOutcome;
import io.fetchq.store.ScrapeUrlRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ScrapeStore} for both dialects. Every change of URL rows adjusts the counters of the jobs they
 * belong to in the same transaction, jobs in id order (so two transactions touching the same jobs lock
 * them in the same order and never deadlock), and finishes a job the moment nothing is left to do. A
 * dialect may store new jobs its own way (PostgreSQL: one statement for a whole batch).
 */
public class JdbcScrapeStore implements ScrapeStore {
    private final Dialect db;

    public JdbcScrapeStore(Dialect db) {
        this.db = db;
    }

    @Override
    public List<ScrapeJobRecord> scrapeJobInsertMany(List<ScrapeJobInsert> inserts) {
        return db.transaction("scrapeJobInsertMany", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeJobInsert")) {
                for (ScrapeJobInsert in : inserts) {
                    ScrapeJobRecord job = in.job();
                    ps.setString(1, job.id());
                    ps.setString(2, job.owner());
                    ps.setInt(3, job.total());
                    ps.setInt(4, job.queued());
                    ps.setInt(5, job.running());
                    ps.setInt(6, job.completed());
                    ps.setInt(7, job.failed());
                    ps.setInt(8, job.cancelled());
                    ps.setInt(9, job.cached());
                    ps.setString(10, job.optionsJson());
                    ps.setString(11, job.metadataJson());
                    ps.setString(12, job.callbackUrl());
                    ps.setBoolean(13, job.queued() + job.running() == 0);
                    db.setNow(ps, 14);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = db.prepare(c, "scrapeUrlInsert")) {
                for (ScrapeJobInsert in : inserts) {
                    for (ScrapeUrlRecord u : in.urls()) {
                        ps.setString(1, in.job().id());
                        ps.setInt(2, u.idx());
                        ps.setString(3, u.url());
                        ps.setString(4, u.canonicalUrl());
                        ps.setInt(5, u.priority());
                        ps.setString(6, u.metadataJson());
                        ps.setString(7, u.status());
                        ps.setString(8, u.pageId());
                        ps.setBoolean(9, u.cached());
                        setNullableInt(ps, 10, u.httpStatus());
                        ps.setBoolean(11, !u.status().equals("queued") && !u.status().equals("running"));
                        db.setNow(ps, 12);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            Map<String, ScrapeJobRecord> stored = new HashMap<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeJobGetMany")) {
                db.setTextList(c, ps, 1, inserts.stream().map(in -> in.job().id()).toList());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ScrapeJobRecord j = job(rs);
                        stored.put(j.id(), j);
                    }
                }
            }
            return inInsertOrder(inserts, stored);
        });
    }

    /** The jobs read back after an insert, in the order they were given. */
    protected static List<ScrapeJobRecord> inInsertOrder(List<ScrapeJobInsert> inserts, Map<String, ScrapeJobRecord> stored) {
        List<ScrapeJobRecord> out = new ArrayList<>(inserts.size());
        for (ScrapeJobInsert in : inserts) {
            out.add(stored.get(in.job().id()));
        }
        return out;
    }

    @Override
    public Optional<ScrapeJobRead> scrapeJobRead(String id) {
        return db.read("scrapeJobRead", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeJobRead")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<ScrapeJobRead>empty();
                    }
                    ScrapeJobRecord job = job(rs);
                    ScrapeResult only = rs.getString(17) == null ? null
                            : new ScrapeResult(url(rs, 16), JdbcPageStore.page(db, rs, 33));
                    return Optional.of(new ScrapeJobRead(job, only));
                }
            }
        });
    }

    @Override
    public Optional<ScrapeJobRecord> scrapeJobGet(String id) {
        return db.read("scrapeJobGet", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeJobGet")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(job(rs)) : Optional.<ScrapeJobRecord>empty();
                }
            }
        });
    }

    @Override
    public List<ScrapeJobRecord> scrapeJobList(String owner, String status, String beforeId, int limit) {
        return db.read("scrapeJobList", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeJobList")) {
                ps.setString(1, owner);
                ps.setString(2, owner);
                ps.setString(3, status);
                ps.setString(4, status);
                ps.setString(5, beforeId);
                ps.setString(6, beforeId);
                ps.setInt(7, limit);
                return jobs(ps);
            }
        });
    }

    @Override
    public ScrapeStart scrapeUrlsStart(String canonicalUrl) {
        return db.transaction("scrapeUrlsStart", c -> {
            Map<String, int[]> deltas = new TreeMap<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeUrlsStart")) {
                ps.setString(1, canonicalUrl);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int[] d = deltas.computeIfAbsent(rs.getString(1), k -> new int[5]);
                        d[0]--;
                        d[1]++;
                    }
                }
            }
            int n = 0;
            for (Map.Entry<String, int[]> e : deltas.entrySet()) {
                adjust(c, e.getKey(), e.getValue());
                n += e.getValue()[1];
            }
            return new ScrapeStart(n, JdbcPageStore.validators(db, c, canonicalUrl));
        });
    }

    @Override
    public ScrapeSettled scrapeUrlsFinish(ScrapeUrlOutcome o, Page page, Lease fetch) {
        return db.transaction("scrapeUrlsFinish", c -> {
            // The key goes first: from here the fetch job's row is locked, so a submit that enqueues the same
            // URL now waits for this commit and then inserts a fresh fetch; a row committed before that
            // enqueue is seen by the lookup below and settled here. (Releasing last left a gap on PostgreSQL:
            // a row committed after the lookup, deduplicated against a key about to go, waited for nothing.)
            if (fetch != null) {
                try (PreparedStatement ps = db.prepare(c, "scrapeFetchReleaseKey")) {
                    ps.setString(1, fetch.jobId());
                    ps.setString(2, fetch.token());
                    ps.executeUpdate();
                }
            }
            ScrapeUrlOutcome outcome = o;
            if (page != null) {
                String pageId = JdbcPageStore.upsert(db, c, page);
                outcome = new ScrapeUrlOutcome(o.canonicalUrl(), o.status(), pageId, o.httpStatus(), o.error(),
                        o.errorReason(), o.attempts());
            }
            return finish(c, outcome);
        });
    }

    private ScrapeSettled finish(Connection c, ScrapeUrlOutcome o) throws SQLException {
        boolean completed = o.status().equals("completed");
        // counters per job: queued, running, completed, failed, cancelled (deltas), jobs in id order
        Map<String, int[]> deltas = new TreeMap<>();
        List<ScrapeSettled.Row> rows = new ArrayList<>();
        try (PreparedStatement ps = db.prepare(c, "scrapeUrlsWaiting")) {
            ps.setString(1, o.canonicalUrl());
            ps.setBoolean(2, completed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int[] d = deltas.computeIfAbsent(rs.getString(1), k -> new int[5]);
                    switch (rs.getString(2)) {
                        case "queued" -> d[0]--;
                        case "running" -> d[1]--;
                        default -> d[3]--; // a failed row a late success settles
                    }
                    d[completed ? 2 : 3]++;
                    rows.add(new ScrapeSettled.Row(rs.getString(1), rs.getInt(3), rs.getString(4), o.status(), o.errorReason()));
                }
            }
        }
        if (deltas.isEmpty()) {
            return ScrapeSettled.NONE;
        }
        try (PreparedStatement ps = db.prepare(c, "scrapeUrlsSettle")) {
            ps.setString(1, o.status());
            ps.setString(2, o.pageId());
            setNullableInt(ps, 3, o.httpStatus());
            ps.setString(4, o.error());
            ps.setString(5, o.errorReason());
            ps.setInt(6, o.attempts());
            db.setNow(ps, 7);
            ps.setString(8, o.canonicalUrl());
            ps.setBoolean(9, completed);
            ps.executeUpdate();
        }
        List<ScrapeJobRecord> finished = new ArrayList<>();
        for (Map.Entry<String, int[]> e : deltas.entrySet()) {
            adjust(c, e.getKey(), e.getValue());
            finishIfDone(c, e.getKey()).ifPresent(finished::add);
        }
        return new ScrapeSettled(rows, finished);
    }

    private void adjust(Connection c, String jobId, int[] d) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "scrapeJobAdjust")) {
            for (int i = 0; i < 5; i++) {
                ps.setInt(i + 1, d[i]);
            }
            ps.setString(6, jobId);
            ps.executeUpdate();
        }
    }

    private Optional<ScrapeJobRecord> finishIfDone(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "scrapeJobFinishIfDone")) {
            db.setNow(ps, 1);
            ps.setString(2, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<ScrapeResult> scrapeResults(String jobId, int afterIdx, int limit) {
        return db.read("scrapeResults", c -> results(c, jobId, afterIdx, limit));
    }

    private List<ScrapeResult> results(Connection c, String jobId, int afterIdx, int limit) throws SQLException {
        List<ScrapeResult> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepare(c, "scrapeResults")) {
            ps.setString(1, jobId);
            ps.setInt(2, afterIdx);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScrapeResult(url(rs), JdbcPageStore.page(db, rs, 17)));
                }
            }
        }
        return out;
    }

    @Override
    public Optional<ScrapeCancel> scrapeJobCancel(String id) {
        return db.transaction("scrapeJobCancel", c -> {
            if (!lock(c, id)) {
                return Optional.<ScrapeCancel>empty();
            }
            List<String> cancelled = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeJobCancelUrls")) {
                db.setNow(ps, 1);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cancelled.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = db.prepare(c, "scrapeJobMarkCancelled")) {
                ps.setInt(1, cancelled.size());
                db.setNow(ps, 2);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            return Optional.of(new ScrapeCancel(get(c, id), cancelled));
        });
    }

    @Override
    public Set<String> scrapeUrlsWanted(Collection<String> canonicalUrls) {
        if (canonicalUrls.isEmpty()) {
            return Set.of();
        }
        return db.read("scrapeUrlsWanted", c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeUrlsWanted")) {
                db.setTextList(c, ps, 1, canonicalUrls);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ScrapeUrlRecord> scrapeJobRetryFailed(String id) {
        return db.transaction("scrapeJobRetryFailed", c -> {
            if (!lock(c, id)) {
                return List.<ScrapeUrlRecord>of();
            }
            List<ScrapeUrlRecord> rows = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeJobRetryUrls")) {
                db.setNow(ps, 1);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(url(rs));
                    }
                }
            }
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = db.prepare(c, "scrapeJobReopen")) {
                    ps.setInt(1, rows.size());
                    ps.setInt(2, rows.size());
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
            }
            return rows;
        });
    }

    @Override
    public List<ScrapeUrlRecord> scrapeUrlsWithoutFetch(String queue, Duration minAge, int limit) {
        return db.read("scrapeUrlsWithoutFetch", c -> {
            List<ScrapeUrlRecord> out = new ArrayList<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeUrlsWithoutFetch")) {
                db.setNow(ps, 1);
                ps.setLong(2, minAge.toMillis());
                ps.setString(3, queue);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(url(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ScrapeJobRecord> scrapeCallbacksDue(Duration minAge, int limit) {
        return db.read("scrapeCallbacksDue", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeCallbacksDue")) {
                db.setNow(ps, 1);
                ps.setLong(2, minAge.toMillis());
                ps.setInt(3, limit);
                return jobs(ps);
            }
        });
    }

    @Override
    public boolean scrapeCallbackEnqueued(String jobId) {
        return db.transaction("scrapeCallbackEnqueued", c -> {
            try (PreparedStatement ps = db.prepare(c, "scrapeCallbackEnqueued")) {
                ps.setString(1, jobId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    // ---- idempotency keys -------------------------------------------------------------------------

    @Override
    public Optional<IdempotencyClaim> idempotencyClaim(String owner, String key, String requestSha256, String jobId) {
        return db.transaction("idempotencyClaim", c -> {
            try (PreparedStatement ps = db.prepare(c, "idempotencyClaim")) {
                ps.setString(1, owner);
                ps.setString(2, key);
                ps.setString(3, requestSha256);
                ps.setString(4, jobId);
                db.setNow(ps, 5);
                if (ps.executeUpdate() > 0) {
                    return Optional.<IdempotencyClaim>empty();
                }
            }
            try (PreparedStatement ps = db.prepare(c, "idempotencyGet")) {
                ps.setString(1, owner);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("idempotency key vanished between insert and read: " + key);
                    }
                    return Optional.of(new IdempotencyClaim(rs.getString(1), rs.getString(2), db.instant(rs, 3)));
                }
            }
        });
    }

    @Override
    public void idempotencyRelease(String owner, String key, String jobId) {
        db.transaction("idempotencyRelease", c -> {
            try (PreparedStatement ps = db.prepare(c, "idempotencyRelease")) {
                ps.setString(1, owner);
                ps.setString(2, key);
                ps.setString(3, jobId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int idempotencyPrune(Duration maxAge, int limit) {
        return db.transaction("idempotencyPrune", c -> {
            try (PreparedStatement ps = db.prepare(c, "idempotencyPrune")) {
                db.setNow(ps, 1);
                ps.setLong(2, maxAge.toMillis());
                ps.setInt(3, limit);
                return ps.executeUpdate();
            }
        });
    }

    // ---- rows --------------------------------------------------------------------------------------

    private boolean lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "scrapeJobLock")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private ScrapeJobRecord get(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "scrapeJobGet")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return job(rs);
            }
        }
    }

    private List<ScrapeJobRecord> jobs(PreparedStatement ps) throws SQLException {
        List<ScrapeJobRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(job(rs));
            }
        }
        return out;
    }

    /** A job row in scrapeJobGet's 16 columns. */
    protected final ScrapeJobRecord job(ResultSet rs) throws SQLException {
        return new ScrapeJobRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getBoolean(14), db.instant(rs, 15), db.instant(rs, 16));
    }

    private ScrapeUrlRecord url(ResultSet rs) throws SQLException {
        return url(rs, 0);
    }

    /** A URL row whose 16 columns follow column {@code skip}. */
    private ScrapeUrlRecord url(ResultSet rs, int skip) throws SQLException {
        int k = skip;
        int http = rs.getInt(k + 10);
        Integer httpStatus = rs.wasNull() ? null : http;
        return new ScrapeUrlRecord(rs.getString(k + 1), rs.getInt(k + 2), rs.getString(k + 3), rs.getString(k + 4),
                rs.getInt(k + 5), rs.getString(k + 6), rs.getString(k + 7), rs.getString(k + 8), rs.getBoolean(k + 9),
                httpStatus, rs.getString(k + 11), rs.getString(k + 12), rs.getInt(k + 13), db.instant(rs, k + 14),
                db.instant(rs, k + 15), db.instant(rs, k + 16));
    }

    private static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }
}
