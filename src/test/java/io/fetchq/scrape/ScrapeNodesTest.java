package io.fetchq.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.testing.PgTestDatabase;
import io.fetchq.testing.TestSite;
import io.fetchq.testing.TimingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Scraping with several nodes on one PostgreSQL: politeness across nodes, and a node killed mid-fetch. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScrapeNodesTest {
    private PgTestDatabase db;

    @BeforeAll
    void createSchema() {
        db = PgTestDatabase.create(ScrapeNodesTest.class);
    }

    @AfterAll
    void dropSchema() {
        db.close();
    }

    private Node node(int perHostConcurrency, String perHostDelay, String lease) {
        return Node.start(Settings.builder().db(db.schemaUrl()).lease(lease).allowPrivateNetworks(true).allowPorts("*")
                .perHostConcurrency(perHostConcurrency).perHostDelay(perHostDelay).fetchConcurrency(8)
                .pollInterval("200ms").build(), w -> { });
    }

    @Test
    void twoNodesKeepOneRequestAtATimeToAHostAndStartsAtLeastTheDelayApart() throws Exception {
        try (TimingServer site = new TimingServer(40); Node a = node(1, "200ms", "30s"); Node b = node(1, "200ms", "30s")) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                urls.add(site.url("/polite/" + i));
            }

            ScrapeJobRecord job = a.scrape().submit(ScrapeSubmission.of(urls));
            await().atMost(Duration.ofSeconds(60)).until(() -> a.scrape().get(job.id()).orElseThrow().finishedAt() != null);

            assertThat(a.scrape().get(job.id()).orElseThrow().completed()).isEqualTo(12);
            List<TimingServer.Visit> sorted = new ArrayList<>(site.visits());
            sorted.sort(Comparator.comparingLong(TimingServer.Visit::arrivedNanos));
            assertThat(sorted).hasSize(12);
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i).arrivedNanos()).as("request %d arrives after request %d was answered", i, i - 1)
                        .isGreaterThan(sorted.get(i - 1).answeredNanos());
                gaps.add(TimeUnit.NANOSECONDS.toMillis(sorted.get(i).arrivedNanos() - sorted.get(i - 1).arrivedNanos()));
            }
            System.out.println("politeness: start gaps " + gaps + " ms");
            assertThat(gaps).as("gaps between request arrivals, ms").allMatch(g -> g >= 200);
            assertThat(a.workers().jobsTaken(ScrapeService.FETCH_QUEUE)).as("node A fetched").isPositive();
            assertThat(b.workers().jobsTaken(ScrapeService.FETCH_QUEUE)).as("node B fetched").isPositive();
        }
    }

    @Test
    void aNodeKilledMidFetchLosesNothing(@TempDir Path tmp) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TestSite site = new TestSite()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String path = "/held/" + i;
                site.route(path, ex -> {
                    seen.add(path);
                    try {
                        hold.await(); // the first node never gets an answer: it dies waiting
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    TestSite.send(ex, 200, "text/html", "<title>" + path + "</title>");
                });
                urls.add(site.url(path));
            }
            Path log = tmp.resolve("node.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process doomed = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx384m", "-cp",
                    System.getProperty("java.class.path"), ScrapeWorkerMain.class.getName(), db.schemaUrl(), "2s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("node started"));
                try (Node submitter = node(16, "0s", "30s")) {
                    submitter.workers().stop(); // this node only submits; the doomed one fetches
                    ScrapeJobRecord job = submitter.scrape().submit(ScrapeSubmission.of(urls));
                    await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 4);
                    doomed.destroyForcibly();
                    assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(doomed.exitValue()).isEqualTo(137);
                    hold.countDown();

                    try (Node survivor = node(16, "0s", "30s")) {
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> survivor.scrape().get(job.id()).orElseThrow().finishedAt() != null);
                        ScrapeJobRecord done = survivor.scrape().get(job.id()).orElseThrow();
                        assertThat(done.status()).isEqualTo("completed");
                        assertThat(done.completed()).isEqualTo(4);
                        for (ScrapeResult r : survivor.scrape().results(job.id(), -1, 10)) {
                            assertThat(r.url().attempts()).as("rescued and fetched again").isEqualTo(2);
                            assertThat(r.page().title()).isEqualTo(r.url().url().substring(r.url().url().indexOf("/held")));
                        }
                    }
                }
            } finally {
                hold.countDown();
                doomed.destroyForcibly();
            }
        }
    }
}
