package io.fetchq.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.Node;
import io.fetchq.config.Settings;
import io.fetchq.store.Job;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobState;
import io.fetchq.store.Page;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeUrlRecord;
import io.fetchq.testing.TestSite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scrape face end to end: a real node on SQLite fetching from a test site on 127.0.0.1. */
class ScrapeFaceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "test-webhook-secret-0123456789";

    @TempDir
    Path dir;
    private final TestSite site = new TestSite();
    private Node node;
    private ScrapeService scrape;

    @BeforeEach
    void start() {
        node = Node.start(Settings.builder()
                .db(dir.resolve("s.db").toString())
                .allowPrivateNetworks(true)
                .allowPorts("*")
                .perHostConcurrency(16)
                .perHostDelay("0s")
                .backoffBase("5ms")
                .backoffCap("20ms")
                .pollInterval("100ms")
                .webhookSecret(SECRET)
                .build(), workers -> { });
        scrape = node.scrape();
    }

    @AfterEach
    void stop() {
        node.close();
        site.close();
    }

    private ScrapeJobRecord awaitFinished(ScrapeJobRecord job) {
        await().atMost(WAIT).until(() -> scrape.get(job.id()).orElseThrow().finishedAt() != null);
        return scrape.get(job.id()).orElseThrow();
    }

    private List<ScrapeResult> results(ScrapeJobRecord job) {
        return scrape.results(job.id(), -1, 100);
    }

    private ScrapeJobRecord submit(String... urls) {
        return scrape.submit(ScrapeSubmission.of(List.of(urls)));
    }

    @Test
    void aOneUrlJobCompletesWithItsPageStored() {
        site.html("/hello", "<html><head><title>Hello page</title></head><body><h1>Hi</h1>\n<p>there</p></body></html>");

        ScrapeJobRecord job = awaitFinished(submit(site.url("/hello")));

        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.completed()).isEqualTo(1);
        ScrapeResult r = results(job).get(0);
        assertThat(r.url().status()).isEqualTo("completed");
        assertThat(r.url().httpStatus()).isEqualTo(200);
        assertThat(r.url().attempts()).isEqualTo(1);
        assertThat(r.url().cached()).isFalse();
        Page page = r.page();
        assertThat(page.title()).isEqualTo("Hello page");
        assertThat(page.text()).isEqualTo("Hi there");
        assertThat(page.contentType()).isEqualTo("text/html");
        assertThat(page.charset()).isEqualTo("UTF-8");
        assertThat(new String(PageBuilder.decompress(page.bodyCompressed()), StandardCharsets.UTF_8)).contains("<h1>Hi</h1>");
        assertThat(page.bodySize()).isEqualTo(PageBuilder.decompress(page.bodyCompressed()).length);
        assertThat(page.sha256()).hasSize(64);
    }

    @Test
    void aBatchKeepsPerUrlPrioritiesAndMetadataAndCountsEveryOutcome() {
        site.html("/a", "<title>A</title>").html("/b", "<title>B</title>").page("/gone", 404, "text/html", "no");
        ScrapeSubmission s = new ScrapeSubmission(List.of(new UrlSpec(site.url("/a"), 1, "{\"n\":1}"),
                new UrlSpec(site.url("/b"), 9, null), new UrlSpec(site.url("/gone"), null, null)),
                3, "{\"batch\":\"x\"}", null, null, null, null, null, null);

        ScrapeJobRecord job = awaitFinished(scrape.submit(s));

        assertThat(job.total()).isEqualTo(3);
        assertThat(job.completed()).isEqualTo(2);
        assertThat(job.failed()).isEqualTo(1);
        assertThat(job.status()).isEqualTo("completed");
        assertThat(job.metadataJson()).isEqualTo("{\"batch\":\"x\"}");
        List<ScrapeResult> rs = results(job);
        assertThat(rs).extracting(r -> r.url().priority()).containsExactly(1, 9, 3);
        assertThat(rs.get(0).url().metadataJson()).isEqualTo("{\"n\":1}");
        assertThat(rs.get(2).url().errorReason()).isEqualTo("http_404");
        assertThat(rs.get(2).url().attempts()).as("a 404 is not retried").isEqualTo(1);
    }

    @Test
    void invalidAndDuplicateUrlsAreRefusedTogetherAndNothingIsStored() {
        ScrapeSubmission s = ScrapeSubmission.of(List.of(site.url("/ok"), "not a url", "ftp://x/file",
                site.url("/ok#frag"), "http:///nohost")).withMaxAttempts(0);

        assertThatThrownBy(() -> scrape.submit(s))
                .isInstanceOfSatisfying(InvalidSubmissionException.class, e -> assertThat(e.problems())
                        .extracting(InvalidSubmissionException.Problem::field)
                        .containsExactly("urls[1]", "urls[2]", "urls[3]", "urls[4]", "max_attempts"));
        assertThat(scrape.list(null, null, null, 10)).isEmpty();
        assertThat(node.engine().stats()).isEmpty();
        assertThatThrownBy(() -> scrape.submit(ScrapeSubmission.of(List.of())))
                .hasMessageContaining("urls must hold at least one URL");
    }

    @Test
    void serverErrorsAreRetriedUntilTheAttemptsRunOutAndAJobOfFailuresFails() {
        AtomicInteger hits = new AtomicInteger();
        site.route("/down", ex -> {
            hits.incrementAndGet();
            TestSite.send(ex, 500, "text/plain", "down");
        });

        ScrapeJobRecord job = awaitFinished(scrape.submit(ScrapeSubmission.of(List.of(site.url("/down"))).withMaxAttempts(3)));

        assertThat(job.status()).isEqualTo("failed");
        ScrapeUrlRecord row = results(job).get(0).url();
        assertThat(row.errorReason()).isEqualTo("http_500");
        assertThat(row.attempts()).isEqualTo(3);
        assertThat(row.error()).contains("500").contains("3 attempts");
        assertThat(hits.get()).isEqualTo(3);
    }

    @Test
    void redirectsEndOnTheFinalUrl() {
        site.redirect("/old", 301, "/new").html("/new", "<title>New</title>");

        ScrapeJobRecord job = awaitFinished(submit(site.url("/old")));

        assertThat(results(job).get(0).page().finalUrl()).isEqualTo(site.url("/new"));
        assertThat(results(job).get(0).page().title()).isEqualTo("New");
    }

    @Test
    void robotsDisallowedUrlsFailWithoutBeingFetched() {
        site.page("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\n")
                .html("/private/x", "secret").html("/public", "<title>P</title>");

        ScrapeJobRecord job = awaitFinished(submit(site.url("/private/x"), site.url("/public")));

        List<ScrapeResult> rs = results(job);
        assertThat(rs.get(0).url().errorReason()).isEqualTo("robots_disallowed");
        assertThat(rs.get(0).url().attempts()).isEqualTo(1);
        assertThat(rs.get(1).url().status()).isEqualTo("completed");
        assertThat(site.seen("/private/x")).isEmpty();
        assertThat(site.seen("/robots.txt")).as("fetched once per host").hasSize(1);
        assertThat(site.seen("/robots.txt").get(0).header("User-Agent")).startsWith("fetchq/");
    }

    @Test
    void robotsThatCannotBeReadMakeUrlsWaitWithoutUsingAttempts() {
        site.page("/robots.txt", 503, "text/plain", "busy").html("/page", "x");

        ScrapeJobRecord job = submit(site.url("/page"));

        await().atMost(WAIT).until(() -> fetchJob(site.url("/page")).state() == JobState.RETRYABLE);
        Job fetch = fetchJob(site.url("/page"));
        assertThat(fetch.attempt()).isZero();
        assertThat(fetch.lastError()).startsWith("robots_unavailable");
        assertThat(scrape.get(job.id()).orElseThrow().finishedAt()).isNull();
        assertThat(site.seen("/page")).isEmpty();
    }

    private Job fetchJob(String url) {
        return node.engine().list(new JobListParams(ScrapeService.FETCH_QUEUE, null, null, null, 100)).stream()
                .filter(j -> url.equals(j.dedupeKey()) || j.payload().contains(url)).findFirst().orElseThrow();
    }

    @Test
    void a429WithRetryAfterPausesTheHostAndTheUrlWaitsWithoutUsingAnAttempt() {
        AtomicInteger hits = new AtomicInteger();
        site.route("/busy", ex -> {
            if (hits.incrementAndGet() == 1) {
                ex.getResponseHeaders().add("Retry-After", "1");
                TestSite.send(ex, 429, "text/plain", "slow down");
            } else {
                TestSite.send(ex, 200, "text/html", "<title>Now</title>");
            }
        });

        ScrapeJobRecord job = awaitFinished(scrape.submit(ScrapeSubmission.of(List.of(site.url("/busy"))).withMaxAttempts(1)));

        assertThat(job.status()).isEqualTo("completed");
        assertThat(results(job).get(0).url().attempts()).as("the pause did not use the only attempt").isEqualTo(1);
        List<TestSite.Seen> seen = site.seen("/busy");
        assertThat(seen).hasSize(2);
        assertThat(Duration.ofNanos(seen.get(1).atNanos() - seen.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void aFreshPageIsReusedAsCachedAndAStaleOneIsRevalidated() {
        site.route("/page", ex -> {
            if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
            } else {
                ex.getResponseHeaders().add("ETag", "\"v1\"");
                TestSite.send(ex, 200, "text/html", "<title>Versioned</title>");
            }
        });
        ScrapeJobRecord first = awaitFinished(submit(site.url("/page")));

        ScrapeJobRecord second = scrape.submit(ScrapeSubmission.of(List.of(site.url("/page"))));
        ScrapeJobRecord third = awaitFinished(scrape.submit(ScrapeSubmission.of(List.of(site.url("/page"))).withMaxAge(0)));

        assertThat(second.finishedAt()).as("answered at once").isNotNull();
        assertThat(second.cached()).isEqualTo(1);
        assertThat(results(second).get(0).url().cached()).isTrue();
        assertThat(results(second).get(0).page().title()).isEqualTo("Versioned");
        assertThat(third.cached()).isZero();
        assertThat(results(third).get(0).url().httpStatus()).isEqualTo(304);
        assertThat(results(third).get(0).page().id()).isEqualTo(results(first).get(0).page().id());
        assertThat(site.seen("/page")).hasSize(2);
        assertThat(site.seen("/page").get(1).header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void aUrlBeingFetchedForOneJobIsNotFetchedAgainForAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        site.route("/slow", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestSite.send(ex, 200, "text/html", "<title>Slow</title>");
        });
        ScrapeJobRecord a = submit(site.url("/slow"));
        await().atMost(WAIT).until(() -> !site.seen("/slow").isEmpty());

        ScrapeJobRecord b = scrape.submit(ScrapeSubmission.of(List.of(site.url("/slow"))).withMaxAge(0));
        release.countDown();

        assertThat(awaitFinished(a).status()).isEqualTo("completed");
        assertThat(awaitFinished(b).status()).isEqualTo("completed");
        assertThat(site.seen("/slow")).hasSize(1);
        assertThat(results(b).get(0).url().cached()).isFalse();
    }

    @Test
    void cancellingStopsWhatHasNotFinishedAndAFinishedJobCannotBeCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        site.route("/hang", ex -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TestSite.send(ex, 200, "text/html", "late");
        }).html("/quick", "<title>Q</title>");
        ScrapeJobRecord job = submit(site.url("/quick"), site.url("/hang"));
        await().atMost(WAIT).until(() -> !site.seen("/hang").isEmpty()
                && scrape.get(job.id()).orElseThrow().completed() == 1);

        ScrapeJobRecord cancelled = scrape.cancel(job.id()).orElseThrow();
        release.countDown();

        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(cancelled.cancelled()).isEqualTo(1);
        assertThat(cancelled.completed()).isEqualTo(1);
        assertThat(fetchJob(site.url("/hang")).state()).isEqualTo(JobState.CANCELLED);
        assertThatThrownBy(() -> scrape.cancel(job.id())).isInstanceOf(ScrapeService.ConflictException.class)
                .hasMessageContaining("already finished");
        assertThat(scrape.cancel("no-such-job")).isEmpty();
    }

    @Test
    void retryingAFailedJobFetchesItsFailedUrlsAgain() {
        AtomicInteger hits = new AtomicInteger();
        site.route("/flaky", ex -> TestSite.send(ex, hits.incrementAndGet() == 1 ? 404 : 200, "text/html", "<title>F</title>"));
        ScrapeJobRecord job = awaitFinished(submit(site.url("/flaky")));
        assertThat(job.status()).isEqualTo("failed");

        scrape.retryFailed(job.id());

        ScrapeJobRecord again = awaitFinished(job);
        assertThat(again.status()).isEqualTo("completed");
        assertThat(results(again).get(0).page().title()).isEqualTo("F");
    }

    @Test
    void theWebhookIsSignedOverItsBodyAndRetriedUntilDelivered() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        site.html("/p", "<title>P</title>").route("/hook", ex -> {
            bodies.add(ex.getRequestBody().readAllBytes());
            signatures.add(ex.getRequestHeaders().getFirst(WebhookSigner.HEADER));
            TestSite.send(ex, calls.incrementAndGet() == 1 ? 500 : 204, null, new byte[0]);
        });

        ScrapeJobRecord job = awaitFinished(scrape.submit(ScrapeSubmission.of(List.of(site.url("/p")))
                .withCallback(site.url("/hook"))));

        await().atMost(WAIT).until(() -> calls.get() == 2);
        byte[] body = bodies.get(1);
        assertThat(signatures.get(1)).isEqualTo(new WebhookSigner(SECRET).sign(body));
        JsonNode json = new ObjectMapper().readTree(body);
        assertThat(json.get("event").asText()).isEqualTo("job.finished");
        assertThat(json.get("job").get("id").asText()).isEqualTo(job.id());
        assertThat(json.get("job").get("status").asText()).isEqualTo("completed");
        assertThat(json.get("job").get("counts").get("completed").asInt()).isEqualTo(1);
        assertThat(site.seen("/hook").get(0).header("X-Fetchq-Event")).isEqualTo("job.finished");
    }

    @Test
    void resultsArePagedInSubmitOrder() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            site.html("/n" + i, "<title>N" + i + "</title>");
            urls.add(site.url("/n" + i));
        }
        ScrapeJobRecord job = awaitFinished(scrape.submit(ScrapeSubmission.of(urls)));

        List<ScrapeResult> first = scrape.results(job.id(), -1, 10);
        List<ScrapeResult> second = scrape.results(job.id(), first.get(9).url().idx(), 10);
        List<ScrapeResult> third = scrape.results(job.id(), second.get(9).url().idx(), 10);

        assertThat(first).hasSize(10);
        assertThat(third).hasSize(5);
        assertThat(third.get(4).page().title()).isEqualTo("N24");
    }
}
