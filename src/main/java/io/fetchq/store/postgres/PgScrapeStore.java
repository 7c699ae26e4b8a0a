package io.fetchq.store.postgres;

import io.fetchq.store.ScrapeJobInsert;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeUrlRecord;
import io.fetchq.store.jdbc.JdbcScrapeStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JdbcScrapeStore} whose new jobs and their URL rows are stored by one statement per batch
 * (scrapeJobInsertMany: arrays in, the stored jobs out), not a statement per row plus a re-read: one round
 * trip, planned once, whatever the batch holds.
 */
final class PgScrapeStore extends JdbcScrapeStore {
    private final PgDb db;

    PgScrapeStore(PgDb db) {
        super(db);
        this.db = db;
    }

    @Override
    public List<ScrapeJobRecord> scrapeJobInsertMany(List<ScrapeJobInsert> inserts) {
        return db.autoCommit("scrapeJobInsertMany", c -> {
            Map<String, ScrapeJobRecord> stored = new HashMap<>();
            try (PreparedStatement ps = db.prepare(c, "scrapeJobInsertMany")) {
                db.setNow(ps, 1);
                bindJobs(c, ps, inserts);
                bindUrls(c, ps, inserts);
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

    /** Parameters 2 … 14. */
    private static void bindJobs(Connection c, PreparedStatement ps, List<ScrapeJobInsert> inserts) throws SQLException {
        int n = inserts.size();
        String[] id = new String[n];
        String[] owner = new String[n];
        String[] options = new String[n];
        String[] metadata = new String[n];
        String[] callback = new String[n];
        Integer[][] counts = new Integer[7][n];
        Boolean[] finished = new Boolean[n];
        for (int i = 0; i < n; i++) {
            ScrapeJobRecord j = inserts.get(i).job();
            id[i] = j.id();
            owner[i] = j.owner();
            counts[0][i] = j.total();
            counts[1][i] = j.queued();
            counts[2][i] = j.running();
            counts[3][i] = j.completed();
            counts[4][i] = j.failed();
            counts[5][i] = j.cancelled();
            counts[6][i] = j.cached();
            options[i] = j.optionsJson();
            metadata[i] = j.metadataJson();
            callback[i] = j.callbackUrl();
            finished[i] = j.queued() + j.running() == 0;
        }
        ps.setArray(2, c.createArrayOf("text", id));
        ps.setArray(3, c.createArrayOf("text", owner));
        for (int k = 0; k < counts.length; k++) {
            ps.setArray(4 + k, c.createArrayOf("integer", counts[k]));
        }
        ps.setArray(11, c.createArrayOf("text", options));
        ps.setArray(12, c.createArrayOf("text", metadata));
        ps.setArray(13, c.createArrayOf("text", callback));
        ps.setArray(14, c.createArrayOf("boolean", finished));
    }

    /** Parameters 15 … 24. */
    private static void bindUrls(Connection c, PreparedStatement ps, List<ScrapeJobInsert> inserts) throws SQLException {
        int n = 0;
        for (ScrapeJobInsert in : inserts) {
            n += in.urls().size();
        }
        String[] jobId = new String[n];
        Integer[] idx = new Integer[n];
        String[] url = new String[n];
        String[] canonical = new String[n];
        Integer[] priority = new Integer[n];
        String[] metadata = new String[n];
        String[] status = new String[n];
        String[] pageId = new String[n];
        Boolean[] cached = new Boolean[n];
        Integer[] httpStatus = new Integer[n];
        int i = 0;
        for (ScrapeJobInsert in : inserts) {
            for (ScrapeUrlRecord u : in.urls()) {
                jobId[i] = in.job().id();
                idx[i] = u.idx();
                url[i] = u.url();
                canonical[i] = u.canonicalUrl();
                priority[i] = u.priority();
                metadata[i] = u.metadataJson();
                status[i] = u.status();
                pageId[i] = u.pageId();
                cached[i] = u.cached();
                httpStatus[i] = u.httpStatus();
                i++;
            }
        }
        ps.setArray(15, c.createArrayOf("text", jobId));
        ps.setArray(16, c.createArrayOf("integer", idx));
        ps.setArray(17, c.createArrayOf("text", url));
        ps.setArray(18, c.createArrayOf("text", canonical));
        ps.setArray(19, c.createArrayOf("integer", priority));
        ps.setArray(20, c.createArrayOf("text", metadata));
        ps.setArray(21, c.createArrayOf("text", status));
        ps.setArray(22, c.createArrayOf("text", pageId));
        ps.setArray(23, c.createArrayOf("boolean", cached));
        ps.setArray(24, c.createArrayOf("integer", httpStatus));
    }
}
