package io.fetchq.store.jdbc;

import io.fetchq.store.TransitionResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Result-set helpers both stores share. */
public final class Rows {
    private Rows() {
    }

    /**
     * Reads the {@code id, queue} rows a transition statement returns.
     *
     * @param toAvailable whether the transition leaves jobs available (then their queues are reported)
     */
    public static TransitionResult transition(PreparedStatement ps, Availability toAvailable) throws SQLException {
        List<String> ids = new ArrayList<>();
        Set<String> queues = new LinkedHashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
                if (toAvailable == Availability.MAKES_AVAILABLE) {
                    queues.add(rs.getString(2));
                }
            }
        }
        return new TransitionResult(ids, queues);
    }

    /** Whether a transition leaves the jobs it moves in the available state. */
    public enum Availability { MAKES_AVAILABLE, NOT_AVAILABLE }

    public static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public static TransitionResult merge(TransitionResult a, TransitionResult b) {
        List<String> ids = new ArrayList<>(a.ids());
        ids.addAll(b.ids());
        Set<String> queues = new LinkedHashSet<>(a.queuesMadeAvailable());
        queues.addAll(b.queuesMadeAvailable());
        return new TransitionResult(ids, queues);
    }
}
