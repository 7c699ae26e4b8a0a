package io.fetchq.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchq.store.StoreException;
import io.fetchq.store.TimeSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that queue behind a commit go out together, each atomic on its own. */
class SqliteGroupCommitTest {
    @TempDir
    Path dir;

    private SqliteStore store;
    private SqliteDb db;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("group.db"), TimeSource.DATABASE);
        db = store.db();
        db.write("create", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void writesQueuedBehindACommitShareTheNextOneAndAFailureUndoesOnlyItsOwnWork() throws Exception {
        CountDownLatch leaderInside = new CountDownLatch(1);
        CountDownLatch releaseLeader = new CountDownLatch(1);
        Thread leader = Thread.ofVirtual().start(() -> db.writeTransaction("leader", c -> {
            insert(c, "leader", 0);
            leaderInside.countDown();
            try {
                releaseLeader.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertThat(leaderInside.await(10, TimeUnit.SECONDS)).isTrue();
        long commitsBefore = db.commits();

        Map<String, Throwable> failures = new ConcurrentHashMap<>();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String key = "k" + i;
            int n = i;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    db.writeTransaction("w" + n, c -> {
                        insert(c, key, n);
                        insert(c, key + "-second", n);
                        if (n == 7) {
                            throw new IllegalStateException("work 7 gives up after two inserts");
                        }
                        if (n == 8) {
                            insert(c, "k8", 8); // primary key clash: SQLite refuses it
                        }
                        return null;
                    });
                } catch (RuntimeException e) {
                    failures.put(key, e);
                }
            }));
        }
        // every writer is queued behind the leader's open transaction before it commits
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS)
                .until(() -> writers.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        releaseLeader.countDown();
        leader.join();
        for (Thread t : writers) {
            t.join();
        }

        assertThat(failures).containsOnlyKeys("k7", "k8");
        assertThat(failures.get("k7")).isInstanceOf(IllegalStateException.class).hasMessageContaining("work 7");
        assertThat(failures.get("k8")).isInstanceOf(StoreException.class).hasMessageStartingWith("w8 failed:");
        List<String> keys = keys();
        assertThat(keys).contains("leader", "k0", "k0-second", "k49", "k49-second")
                .doesNotContain("k7", "k7-second", "k8", "k8-second").hasSize(1 + 48 * 2);
        // the 50 writes went out in far fewer commits than 50
        assertThat(db.commits() - commitsBefore).isLessThan(10);
    }

    @Test
    void aWriteReturnsItsResultOnlyOnceCommittedAndSeesItsOwnChanges() {
        int seen = db.writeTransaction("insert and count", c -> {
            insert(c, "a", 1);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getInt(1);
            }
        });

        assertThat(seen).isEqualTo(1);
        assertThat(keys()).containsExactly("a");
    }

    @Test
    void aWriteInsideAnotherWriteIsRefusedRatherThanDeadlocking() {
        assertThatThrownBy(() -> db.writeTransaction("outer", c -> db.write("inner", c2 -> null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inner");
    }

    private List<String> keys() {
        return db.read("keys", c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT k FROM t ORDER BY k")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static void insert(java.sql.Connection c, String key, int value) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setInt(2, value);
            ps.executeUpdate();
        }
    }
}
