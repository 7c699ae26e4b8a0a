package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import io.fetchq.store.postgres.PostgresStore;
import io.fetchq.testing.MutableTimeSource;
import io.fetchq.testing.PgTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The store contract on PostgreSQL: one private schema for this class, emptied before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresStoreTest implements InsertContract, ClaimContract, LeaseContract, ScheduleContract, AdminContract,
        NotificationContract, TransitionContract, PageContract, ScrapeContract, HostContract, BrokerContract {

    private PgTestDatabase db;
    private final MutableTimeSource clock = new MutableTimeSource();
    private PostgresStore store;

    @BeforeAll
    void openSchema() {
        db = PgTestDatabase.create(PostgresStoreTest.class);
        store = db.openStore(clock);
    }

    @AfterAll
    void dropSchema() {
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE fetchq_job, fetchq_page, fetchq_scrape_job, fetchq_scrape_url, fetchq_host, fetchq_host_slot, fetchq_meta, fetchq_broker_queue, fetchq_broker_dedupe");
        clock.set(MutableTimeSource.START);
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
    void anInsertOnOneNodeWakesListenersOnAnother() {
        try (PostgresStore other = db.openStore(TimeSource.DATABASE)) {
            List<String> heard = new CopyOnWriteArrayList<>();
            other.addJobsAvailableListener(heard::add);

            insert("cross-node");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard).contains("cross-node"));
        }
    }

    @Test
    void theDatabaseClockIsUsedWhenNoTestClockIsGiven() {
        try (PostgresStore real = db.openStore(TimeSource.DATABASE)) {
            assertThat(real.now()).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(60));
        }
    }

    @Test
    void anUnreachableServerIsRefusedWithOneLineNamingItWithoutThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/nowhere?user=fetchq&password=secret&connectTimeout=2";

        assertThatThrownBy(() -> PostgresStore.open(new PostgresStore.Options(url, null, 2, SchemaPolicy.MIGRATE),
                TimeSource.DATABASE))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/nowhere")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("\n");
    }

    @Test
    void validateRefusesASchemaThatWasNeverMigrated() {
        String empty = db.schema() + "_empty";
        db.execute("CREATE SCHEMA " + empty);
        try {
            assertThatThrownBy(() -> PostgresStore.open(new PostgresStore.Options(db.url(), empty, 2, SchemaPolicy.VALIDATE),
                    TimeSource.DATABASE))
                    .isInstanceOf(StoreOpenException.class)
                    .hasMessageContaining(empty)
                    .hasMessageContaining("apply the migrations first");
        } finally {
            db.execute("DROP SCHEMA " + empty + " CASCADE");
        }
    }

    @Test
    void aSchemaTheUrlNamesIsCreatedByTheMigrationWhenItDoesNotExistYet() {
        String fresh = db.schema() + "_fresh";
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "currentSchema=" + fresh;
        try (PostgresStore opened = PostgresStore.open(new PostgresStore.Options(url, null, 2, SchemaPolicy.MIGRATE),
                TimeSource.DATABASE)) {
            assertThat(opened.describe()).endsWith("schema " + fresh);
            assertThat(opened.schemaVersion()).isNotEqualTo("none");
            opened.ping();
        } finally {
            db.execute("DROP SCHEMA IF EXISTS " + fresh + " CASCADE");
        }
    }
}
