package io.fetchq.store.jdbc;

import io.fetchq.store.Page;
import io.fetchq.store.PageStore;
import io.fetchq.store.PageValidators;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link PageStore} for both dialects: the logic once, each dialect's SQL. */
public final class JdbcPageStore implements PageStore {
    private final Dialect db;

    public JdbcPageStore(Dialect db) {
        this.db = db;
    }

    @Override
    public String pageUpsert(Page p) {
        return db.transaction("pageUpsert", c -> upsert(db, c, p));
    }

    /** Inserts or replaces the page of {@code p.url()} on {@code c}. @return the stored page's id */
    static String upsert(Dialect db, java.sql.Connection c, Page p) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "pageUpsert")) {
            ps.setString(1, p.id());
            ps.setString(2, p.url());
            ps.setInt(3, p.status());
            ps.setString(4, p.finalUrl());
            ps.setString(5, p.headersJson());
            ps.setString(6, p.contentType());
            ps.setString(7, p.charset());
            ps.setBytes(8, p.bodyCompressed());
            ps.setLong(9, p.bodySize());
            ps.setString(10, p.sha256());
            ps.setString(11, p.title());
            ps.setString(12, p.text());
            ps.setString(13, p.etag());
            ps.setString(14, p.lastModified());
            db.setNow(ps, 15);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The validators of the page stored for {@code url} on {@code c}, or null. */
    static PageValidators validators(Dialect db, java.sql.Connection c, String url) throws SQLException {
        try (PreparedStatement ps = db.prepare(c, "pageValidatorsOf")) {
            ps.setString(1, url);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new PageValidators(rs.getString(1), rs.getString(2), db.instant(rs, 3),
                        rs.getString(4), rs.getString(5)) : null;
            }
        }
    }

    @Override
    public boolean pageTouch(String url) {
        return db.transaction("pageTouch", c -> {
            try (PreparedStatement ps = db.prepare(c, "pageTouch")) {
                db.setNow(ps, 1);
                ps.setString(2, url);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<Page> pageGet(String id) {
        return db.read("pageGet", c -> {
            try (PreparedStatement ps = db.prepare(c, "pageGet")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(page(db, rs, 1)) : Optional.<Page>empty();
                }
            }
        });
    }

    @Override
    public Map<String, PageValidators> pageValidators(Collection<String> urls) {
        if (urls.isEmpty()) {
            return Map.of();
        }
        return db.read("pageValidators", c -> {
            Map<String, PageValidators> out = new HashMap<>();
            try (PreparedStatement ps = db.prepare(c, "pageValidators")) {
                db.setTextList(c, ps, 1, urls);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(2), new PageValidators(rs.getString(1), rs.getString(2),
                                db.instant(rs, 3), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    /** Reads the page whose 15 columns start at {@code from}; null when its id is null (an outer join's miss). */
    static Page page(Dialect db, ResultSet rs, int from) throws SQLException {
        String id = rs.getString(from);
        if (id == null) {
            return null;
        }
        return new Page(id, rs.getString(from + 1), rs.getInt(from + 2), rs.getString(from + 3), rs.getString(from + 4),
                rs.getString(from + 5), rs.getString(from + 6), rs.getBytes(from + 7), rs.getLong(from + 8),
                rs.getString(from + 9), rs.getString(from + 10), rs.getString(from + 11), rs.getString(from + 12),
                rs.getString(from + 13), db.instant(rs, from + 14));
    }
}
