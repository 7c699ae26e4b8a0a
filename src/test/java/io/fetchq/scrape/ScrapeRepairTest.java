package io.fetchq.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.fetch.FetchSettings;
import io.fetchq.queue.EngineOptions;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.Job;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobState;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeUrlRecord;
import io.fetchq.store.sqlite.SqliteStore;
import io.fetchq.testing.MutableTimeSource;
import io.fetchq.testing.TestSite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when a fetch is lost: the reconciler settles URLs whose fetch died without saying so, and
 * enqueues a new fetch for URLs that have none. Driven by a clock the test moves; no workers run.
 */
class ScrapeRepairTest {
    @TempDir
    Path dir;
    private final MutableTimeSource clock = new MutableTimeSource();
    private SqliteStore store;
    private QueueEngine engine;
    private ScrapeFace face;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("r.db"), clock);
        engine = new QueueEngine(store, EngineOptions.defaults());
        face = new ScrapeFace(engine, FetchSettings.defaults("test"), ScrapeSettings.defaults("secret-secret-secret"), "w1",
                ScrapeEvents.none(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        face.stop();
        store.close();
    }

    private List<Job> fetches(JobState state) {
        return engine.list(new JobListParams(ScrapeService.FETCH_QUEUE, state, null, null, 100));
    }

    @Test
    void aUrlWhoseFetchDiedOnItsLastAttemptFailsWithTheFetchsLastError() {
        ScrapeJobRecord job = face.service().submit(ScrapeSubmission.of(List.of("http://example.com/a")).withMaxAttempts(1));
        engine.claim(ScrapeService.FETCH_QUEUE, 10, Duration.ofSeconds(30), "dying-worker");
        clock.advance(Duration.ofMinutes(1));
        engine.rescueExpired(100);
        assertThat(fetches(JobState.DEAD)).hasSize(1);

        assertThat(face.reconcileNow()).isEqualTo(1);

        ScrapeJobRecord after = face.service().get(job.id()).orElseThrow();
        ScrapeUrlRecord row = face.service().results(job.id(), -1, 10).get(0).url();
        assertThat(after.status()).isEqualTo("failed");
        assertThat(row.errorReason()).isEqualTo("lease_expired");
        assertThat(row.error()).contains("dying-worker");
    }

    @Test
    void aUrlLeftWithoutAFetchGetsANewOneOnceItHasWaitedTheGrace() {
        ScrapeJobRecord job = face.service().submit(ScrapeSubmission.of(List.of("http://example.com/b")));
        engine.cancelByDedupeKeys(ScrapeService.FETCH_QUEUE, List.of("http://example.com/b")); // as if never enqueued

        assertThat(face.reconcileNow()).as("still within the grace").isZero();
        clock.advance(ScrapeReconciler.GRACE.plusSeconds(1));
        assertThat(face.reconcileNow()).isEqualTo(1);

        assertThat(fetches(JobState.AVAILABLE)).extracting(Job::dedupeKey).containsExactly("http://example.com/b");
        assertThat(face.service().get(job.id()).orElseThrow().status()).isEqualTo("queued");
        assertThat(face.reconcileNow()).as("nothing left to repair").isZero();
    }

    @Test
    void reasonsAreReadFromTheStartOfAStoredError() {
        assertThat(ScrapeReconciler.reason("http_500: the server answered 500")).isEqualTo("http_500");
        assertThat(ScrapeReconciler.reason("lease expired on the last attempt, held by w")).isEqualTo("lease_expired");
        assertThat(ScrapeReconciler.reason("Something else")).isEqualTo("fetch_failed");
    }

    @Test
    void theSsrfGuardRefusesLoopbackEndToEndWithoutTouchingIt(@TempDir Path other) {
        try (TestSite site = new TestSite();
             Node strict = Node.start(Settings.builder().db(other.resolve("strict.db").toString()).allowPorts("*")
                     .build(), w -> { })) {
            site.html("/secret", "<title>internal</title>");

            ScrapeJobRecord job = strict.scrape().submit(ScrapeSubmission.of(List.of(site.url("/secret"))));

            await().atMost(Duration.ofSeconds(20)).until(() -> strict.scrape().get(job.id()).orElseThrow().finishedAt() != null);
            ScrapeUrlRecord row = strict.scrape().results(job.id(), -1, 10).get(0).url();
            assertThat(row.errorReason()).isEqualTo("blocked_address");
            assertThat(row.attempts()).as("never retried").isEqualTo(1);
            assertThat(row.error()).contains("loopback");
            assertThat(site.seen()).as("not even robots.txt was asked for").isEmpty();
        }
    }

    @Test
    void anIdempotencyKeyWhoseRequestDiedBeforeStoringItsJobIsTakenOverAfterAMinute() {
        store.scrapes().idempotencyClaim("", "order-7", "sha-of-body", "job-never-stored");
        ScrapeSubmission submission = ScrapeSubmission.of(List.of("http://example.com/idem"));

        assertThatThrownBy(() -> face.service().submitIdempotent(submission, "order-7", "another-body"))
                .isInstanceOf(ScrapeService.KeyReusedException.class);
        clock.advance(Duration.ofMinutes(2));
        ScrapeService.Submitted s = face.service().submitIdempotent(submission, "order-7", "sha-of-body");

        assertThat(s.created()).isTrue();
        assertThat(face.service().submitIdempotent(submission, "order-7", "sha-of-body").job().id())
                .as("the key now names the stored job").isEqualTo(s.job().id());
    }
}
