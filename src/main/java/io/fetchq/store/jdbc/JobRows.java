package io.fetchq.store.jdbc;

import io.fetchq.store.Job;
import io.fetchq.store.JobState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link Job}s from {@code SELECT *} / {@code RETURNING *} rows; each dialect says how it stores time. */
public final class JobRows {
    /** How a dialect reads a (nullable) time column. */
    @FunctionalInterface
    public interface TimeColumn {
        Instant read(ResultSet rs, String column) throws SQLException;
    }

    private final TimeColumn time;

    public JobRows(TimeColumn time) {
        this.time = time;
    }

    public List<Job> all(PreparedStatement ps) throws SQLException {
        List<Job> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(one(rs));
            }
        }
        return out;
    }

    public Job one(ResultSet rs) throws SQLException {
        return new Job(
                rs.getString("id"),
                rs.getString("queue"),
                JobState.fromDbName(rs.getString("state")),
                rs.getInt("priority"),
                rs.getString("payload"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                time.read(rs, "run_at"),
                rs.getString("lease_token"),
                time.read(rs, "lease_expires_at"),
                rs.getString("leased_by"),
                rs.getString("dedupe_key"),
                rs.getString("group_id"),
                rs.getString("last_error"),
                time.read(rs, "created_at"),
                time.read(rs, "attempted_at"),
                time.read(rs, "finished_at"));
    }
}
