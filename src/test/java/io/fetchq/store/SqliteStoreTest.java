package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchq.store.contract.AdminContract;
import io.fetchq.store.contract.BrokerContract;
import io.fetchq.store.contract.ClaimContract;
import io.fetchq.store.contract.InsertContract;
import io.fetchq.store.contract.LeaseContract;
import io.fetchq.store.contract.HostContract;
import io.fetchq.store.contract.NotificationContract;
import io.fetchq.store.contract.PageContract;
import io.fetchq.store.contract.ScrapeContract;
import io.fetchq.store.contract.ScheduleContract;
import io.fetchq.store.contract.TransitionContract;
import io.fetchq.store.sqlite.SqliteStore;
import io.fetchq.testing.MutableTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store: a fresh database file per test. */
class SqliteStoreTest implements InsertContract, ClaimContract, LeaseContract, ScheduleContract, AdminContract,
        NotificationContract, TransitionContract, PageContract, ScrapeContract, HostContract, BrokerContract {

    @TempDir
    Path dir;
    private MutableTimeSource clock;
    private SqliteStore store;

    @BeforeEach
    void open() {
        clock = new MutableTimeSource();
        store = SqliteStore.open(dir.resolve("fetchq.db"), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public MutableTimeSource clock() {
        return clock;
    }

    @Test
    void reopeningKeepsEveryJob() {
        String id = insert("q");
        store.close();

        store = SqliteStore.open(dir.resolve("fetchq.db"), clock);

        assertThat(state(id)).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedUntilTheFirstCloses() {
        assertThatThrownBy(() -> SqliteStore.open(dir.resolve("fetchq.db"), clock))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining("in use by another fetchq process").hasMessageContaining("PostgreSQL");

        store.close();
        store = SqliteStore.open(dir.resolve("fetchq.db"), clock);
        store.ping();
    }

    @Test
    void hostPausesAndLongDelaysOutliveARestartWhileHeldSlotsDoNot() {
        java.time.Duration lease = java.time.Duration.ofMinutes(1);
        store.hosts().hostPause("https://paused.example:443", java.time.Duration.ofSeconds(40));
        store.hosts().hostAcquire("https://slow.example:443", 1, java.time.Duration.ofSeconds(20), "n1", lease)
                .orElseThrow();
        store.hosts().hostAcquire("https://fast.example:443", 1, java.time.Duration.ofMillis(250), "n1", lease)
                .orElseThrow();
        store.close();

        store = SqliteStore.open(dir.resolve("fetchq.db"), clock);

        assertThat(store.hosts().hostPausedFor("https://paused.example:443")).hasValue(java.time.Duration.ofSeconds(40));
        assertThat(store.hosts().hostAcquire("https://slow.example:443", 1, java.time.Duration.ofSeconds(20), "n2", lease)
                .orElseThrow().startIn()).as("the Crawl-delay reserved before the restart still holds")
                .isEqualTo(java.time.Duration.ofSeconds(20));
        assertThat(store.hosts().hostAcquire("https://fast.example:443", 1, java.time.Duration.ofMillis(250), "n2", lease))
                .as("the slot held by the process that stopped is free").isPresent();
    }

    @Test
    void opensInWalModeAndCreatesMissingFolders() throws Exception {
        Path nested = dir.resolve("a/b/c.db");
        try (SqliteStore s = SqliteStore.open(nested, clock)) {
            s.ping();
        }
        assertThat(nested).exists();
        assertThat(Files.exists(Path.of(nested + "-wal")) || Files.size(nested) > 0).isTrue();
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedWithOneLineNamingIt() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "this is not a database, just some text that is long enough to have a header".repeat(20));

        assertThatThrownBy(() -> SqliteStore.open(junk, clock))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageStartingWith("cannot open SQLite database " + junk)
                .hasMessageNotContaining("\n");
    }

    @Test
    void aDirectoryIsRefusedWithOneLineNamingIt() {
        assertThatThrownBy(() -> SqliteStore.open(dir, clock))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("directory");
    }
}
