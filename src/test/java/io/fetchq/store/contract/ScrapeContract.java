package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Ids;
import io.fetchq.store.Job;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.Page;
import io.fetchq.store.PageValidators;
import io.fetchq.store.ScrapeCancel;
import io.fetchq.store.ScrapeJobRead;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeStart;
import io.fetchq.store.ScrapeUrlOutcome;
import io.fetchq.store.ScrapeUrlRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scrape jobs: URL rows settled by canonical URL across jobs, counters that follow, cancel, retry. */
public interface ScrapeContract extends StoreFixture {

    /** Inserts a job whose URLs wait (or are cached when the URL starts with "cached:"). */
    default ScrapeJobRecord scrapeJob(String callbackUrl, String... urls) {
        String id = Ids.newId();
        List<ScrapeUrlRecord> rows = new ArrayList<>();
        int cached = 0;
        for (int i = 0; i < urls.length; i++) {
            boolean isCached = urls[i].startsWith("cached:");
            String url = isCached ? urls[i].substring(7) : urls[i];
            cached += isCached ? 1 : 0;
            rows.add(new ScrapeUrlRecord(id, i, url, url, 5, null, isCached ? "completed" : "queued",
                    isCached ? "page-x" : null, isCached, isCached ? 200 : null, null, null, 0, null, null, null));
        }
        ScrapeJobRecord job = new ScrapeJobRecord(id, "owner-1", urls.length, urls.length - cached, 0, cached, 0, 0,
                cached, "{\"max_attempts\":3}", "{\"team\":\"a\"}", callbackUrl, null, false, null, null);
        store().scrapes().scrapeJobInsert(job, rows);
        return store().scrapes().scrapeJobGet(id).orElseThrow();
    }

    default ScrapeJobRecord reload(ScrapeJobRecord j) {
        return store().scrapes().scrapeJobGet(j.id()).orElseThrow();
    }

    default ScrapeUrlOutcome completed(String url, String pageId) {
        return new ScrapeUrlOutcome(url, "completed", pageId, 200, null, null, 1);
    }

    default ScrapeUrlOutcome failed(String url) {
        return new ScrapeUrlOutcome(url, "failed", null, 404, "not found", "http_404", 1);
    }

    @Test
    default void aJobIsStoredWithItsCountersAndUrls() {
        ScrapeJobRecord j = scrapeJob(null, "http://a.test/1", "http://a.test/2", "cached:http://a.test/3");

        assertThat(j.total()).isEqualTo(3);
        assertThat(j.queued()).isEqualTo(2);
        assertThat(j.completed()).isEqualTo(1);
        assertThat(j.cached()).isEqualTo(1);
        assertThat(j.owner()).isEqualTo("owner-1");
        assertThat(j.metadataJson()).isEqualTo("{\"team\":\"a\"}");
        assertThat(j.createdAt()).isEqualTo(clock().now());
        assertThat(j.finishedAt()).isNull();
        assertThat(j.status()).isEqualTo("running");
        assertThat(scrapeJob(null, "http://b.test/").status()).isEqualTo("queued");
    }

    @Test
    default void aBatchOfJobsIsStoredTogetherEachWithItsOwnRowsAndReturnedInOrder() {
        String a = Ids.newId();
        String b = Ids.newId();
        List<ScrapeUrlRecord> aRows = List.of(
                new ScrapeUrlRecord(a, 0, " http://A.test/1#x", "http://a.test/1", 7, "{\"n\":1}", "queued", null, false,
                        null, null, null, 0, null, null, null),
                new ScrapeUrlRecord(a, 1, "http://a.test/2", "http://a.test/2", -3, null, "completed", "page-2", true, 200,
                        null, null, 0, null, null, null));
        List<ScrapeUrlRecord> bRows = List.of(new ScrapeUrlRecord(b, 0, "http://b.test/", "http://b.test/", 0, null,
                "completed", "page-b", true, 200, null, null, 0, null, null, null));
        ScrapeJobRecord aJob = new ScrapeJobRecord(a, null, 2, 1, 0, 1, 0, 0, 1, "{}", null, null, null, false, null, null);
        ScrapeJobRecord bJob = new ScrapeJobRecord(b, "owner-2", 1, 0, 0, 1, 0, 0, 1, "{\"x\":1}", "{\"m\":2}",
                "http://hook.test/", null, false, null, null);

        List<ScrapeJobRecord> stored = store().scrapes().scrapeJobInsertMany(
                List.of(new io.fetchq.store.ScrapeJobInsert(aJob, aRows), new io.fetchq.store.ScrapeJobInsert(bJob, bRows)));

        assertThat(stored).extracting(ScrapeJobRecord::id).containsExactly(a, b);
        assertThat(stored.get(0).owner()).isNull();
        assertThat(stored.get(0).finishedAt()).isNull();
        assertThat(stored.get(0).callbackState()).isNull();
        assertThat(stored.get(1).finishedAt()).isEqualTo(clock().now());
        assertThat(stored.get(1).callbackState()).isEqualTo("due");
        assertThat(stored.get(1).optionsJson()).isEqualTo("{\"x\":1}");
        assertThat(stored.get(1).metadataJson()).isEqualTo("{\"m\":2}");
        List<ScrapeUrlRecord> rows = store().scrapes().scrapeResults(a, -1, 10).stream().map(ScrapeResult::url).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).satisfies(r -> {
            assertThat(r.url()).isEqualTo(" http://A.test/1#x");
            assertThat(r.canonicalUrl()).isEqualTo("http://a.test/1");
            assertThat(r.priority()).isEqualTo(7);
            assertThat(r.metadataJson()).isEqualTo("{\"n\":1}");
            assertThat(r.status()).isEqualTo("queued");
            assertThat(r.httpStatus()).isNull();
            assertThat(r.finishedAt()).isNull();
            assertThat(r.queuedAt()).isEqualTo(clock().now());
        });
        assertThat(rows.get(1)).satisfies(r -> {
            assertThat(r.priority()).isEqualTo(-3);
            assertThat(r.pageId()).isEqualTo("page-2");
            assertThat(r.cached()).isTrue();
            assertThat(r.httpStatus()).isEqualTo(200);
            assertThat(r.finishedAt()).isEqualTo(clock().now());
        });
        assertThat(store().scrapes().scrapeResults(b, -1, 10)).hasSize(1);
    }

    @Test
    default void aJobWhoseEveryUrlWasCachedIsFinishedAtOnceWithItsWebhookDue() {
        ScrapeJobRecord j = scrapeJob("http://hook.test/", "cached:http://a.test/1");

        assertThat(j.finishedAt()).isEqualTo(clock().now());
        assertThat(j.status()).isEqualTo("completed");
        assertThat(j.callbackState()).isEqualTo("due");
    }

    @Test
    default void startingAFetchMarksTheUrlRunningInEveryJobWaitingForIt() {
        ScrapeJobRecord a = scrapeJob(null, "http://shared.test/");
        ScrapeJobRecord b = scrapeJob(null, "http://shared.test/", "http://b.test/");

        ScrapeStart start = store().scrapes().scrapeUrlsStart("http://shared.test/");

        assertThat(start.started()).isEqualTo(2);
        assertThat(start.stored()).as("no page is stored for it yet").isNull();

        assertThat(reload(a).running()).isEqualTo(1);
        assertThat(reload(a).queued()).isZero();
        assertThat(reload(b).running()).isEqualTo(1);
        assertThat(reload(b).queued()).isEqualTo(1);
        assertThat(reload(b).status()).isEqualTo("running");
    }

    @Test
    default void aFinishedFetchSettlesEveryWaitingRowAndFinishesTheJobsLeftWithNothingToDo() {
        ScrapeJobRecord a = scrapeJob(null, "http://shared.test/");
        ScrapeJobRecord b = scrapeJob(null, "http://shared.test/", "http://b.test/");
        store().scrapes().scrapeUrlsStart("http://shared.test/");
        clock().advance(Duration.ofSeconds(3));

        List<ScrapeJobRecord> finished = store().scrapes().scrapeUrlsFinish(
                new ScrapeUrlOutcome("http://shared.test/", "completed", "page-1", 200, null, null, 2)).finished();

        assertThat(finished).extracting(ScrapeJobRecord::id).containsExactly(a.id());
        assertThat(finished.get(0).status()).isEqualTo("completed");
        assertThat(finished.get(0).finishedAt()).isEqualTo(clock().now());
        ScrapeJobRecord bNow = reload(b);
        assertThat(bNow.completed()).isEqualTo(1);
        assertThat(bNow.running()).isZero();
        assertThat(bNow.queued()).isEqualTo(1);
        assertThat(bNow.finishedAt()).isNull();
        ScrapeUrlRecord row = store().scrapes().scrapeResults(b.id(), -1, 10).get(0).url();
        assertThat(row.status()).isEqualTo("completed");
        assertThat(row.pageId()).isEqualTo("page-1");
        assertThat(row.httpStatus()).isEqualTo(200);
        assertThat(row.attempts()).isEqualTo(2);
        assertThat(row.finishedAt()).isEqualTo(clock().now());
        assertThat(store().scrapes().scrapeUrlsFinish(completed("http://shared.test/", "page-1")).rows())
                .as("nothing waits any more").isEmpty();
    }

    @Test
    default void aJobWhoseEveryUrlFailedIsFailed() {
        ScrapeJobRecord j = scrapeJob(null, "http://a.test/1", "http://a.test/2");

        store().scrapes().scrapeUrlsFinish(failed("http://a.test/1"));
        List<ScrapeJobRecord> finished = store().scrapes().scrapeUrlsFinish(failed("http://a.test/2")).finished();

        assertThat(finished).hasSize(1);
        assertThat(finished.get(0).status()).isEqualTo("failed");
        assertThat(finished.get(0).failed()).isEqualTo(2);
        ScrapeUrlRecord row = store().scrapes().scrapeResults(j.id(), -1, 10).get(0).url();
        assertThat(row.error()).isEqualTo("not found");
        assertThat(row.errorReason()).isEqualTo("http_404");
    }

    @Test
    default void aLateSuccessSettlesAUrlThatHadFailed() {
        ScrapeJobRecord j = scrapeJob(null, "http://a.test/1");
        store().scrapes().scrapeUrlsFinish(failed("http://a.test/1"));

        store().scrapes().scrapeUrlsFinish(completed("http://a.test/1", "page-9"));

        ScrapeJobRecord after = reload(j);
        assertThat(after.failed()).isZero();
        assertThat(after.completed()).isEqualTo(1);
        assertThat(after.status()).isEqualTo("completed");
    }

    @Test
    default void theWebhookOfAFinishedJobIsDueUntilItIsEnqueued() {
        ScrapeJobRecord j = scrapeJob("http://hook.test/", "http://a.test/1");
        ScrapeJobRecord silent = scrapeJob(null, "http://a.test/1");

        store().scrapes().scrapeUrlsFinish(completed("http://a.test/1", "p"));

        assertThat(store().scrapes().scrapeCallbacksDue(Duration.ZERO, 10)).extracting(ScrapeJobRecord::id)
                .containsExactly(j.id());
        assertThat(store().scrapes().scrapeCallbacksDue(Duration.ofMinutes(1), 10)).as("not due for a minute yet").isEmpty();
        assertThat(store().scrapes().scrapeCallbackEnqueued(j.id())).isTrue();
        assertThat(store().scrapes().scrapeCallbackEnqueued(j.id())).isFalse();
        assertThat(store().scrapes().scrapeCallbacksDue(Duration.ZERO, 10)).isEmpty();
        assertThat(reload(silent).callbackState()).isNull();
    }

    @Test
    default void cancelStopsTheUnfinishedUrlsAndSaysWhichThoseWere() {
        ScrapeJobRecord j = scrapeJob("http://hook.test/", "http://a.test/1", "http://a.test/2", "http://a.test/3");
        store().scrapes().scrapeUrlsFinish(completed("http://a.test/1", "p"));
        store().scrapes().scrapeUrlsStart("http://a.test/2");

        ScrapeCancel c = store().scrapes().scrapeJobCancel(j.id()).orElseThrow();

        assertThat(c.cancelledUrls()).containsExactlyInAnyOrder("http://a.test/2", "http://a.test/3");
        assertThat(c.job().status()).isEqualTo("cancelled");
        assertThat(c.job().cancelled()).isEqualTo(2);
        assertThat(c.job().completed()).isEqualTo(1);
        assertThat(c.job().queued() + c.job().running()).isZero();
        assertThat(c.job().finishedAt()).isEqualTo(clock().now());
        assertThat(c.job().callbackState()).isNull();
        assertThat(store().scrapes().scrapeJobCancel("no-such-job")).isEmpty();
    }

    @Test
    default void wantedUrlsAreThoseSomeJobStillWaitsFor() {
        scrapeJob(null, "http://a.test/1", "http://a.test/2");
        store().scrapes().scrapeUrlsFinish(completed("http://a.test/2", "p"));

        assertThat(store().scrapes().scrapeUrlsWanted(List.of("http://a.test/1", "http://a.test/2", "http://z.test/")))
                .containsExactly("http://a.test/1");
    }

    @Test
    default void retryingSendsFailedUrlsBackAndReopensTheJob() {
        ScrapeJobRecord j = scrapeJob("http://hook.test/", "http://a.test/1", "http://a.test/2");
        store().scrapes().scrapeUrlsFinish(failed("http://a.test/1"));
        store().scrapes().scrapeUrlsFinish(completed("http://a.test/2", "p"));
        clock().advance(Duration.ofMinutes(1));

        List<ScrapeUrlRecord> retried = store().scrapes().scrapeJobRetryFailed(j.id());

        assertThat(retried).extracting(ScrapeUrlRecord::canonicalUrl).containsExactly("http://a.test/1");
        assertThat(retried.get(0).status()).isEqualTo("queued");
        assertThat(retried.get(0).queuedAt()).isEqualTo(clock().now());
        assertThat(retried.get(0).error()).isNull();
        ScrapeJobRecord after = reload(j);
        assertThat(after.failed()).isZero();
        assertThat(after.queued()).isEqualTo(1);
        assertThat(after.finishedAt()).isNull();
        assertThat(after.callbackState()).isNull();
        assertThat(store().scrapes().scrapeJobRetryFailed(j.id())).as("nothing failed any more").isEmpty();
    }

    @Test
    default void startingAFetchOfAStoredPageReturnsItsValidators() {
        String pageId = store().pages().pageUpsert(new Page(Ids.newId(), "http://a.test/1", 200, "http://a.test/1",
                "{}", "text/html", "UTF-8", new byte[] {9}, 1, "00", "T1", "text", "\"v1\"", "Mon, 02 Jan 2023 00:00:00 GMT",
                null));
        scrapeJob(null, "http://a.test/1");

        PageValidators stored = store().scrapes().scrapeUrlsStart("http://a.test/1").stored();

        assertThat(stored.id()).isEqualTo(pageId);
        assertThat(stored.etag()).isEqualTo("\"v1\"");
        assertThat(stored.lastModified()).isEqualTo("Mon, 02 Jan 2023 00:00:00 GMT");
    }

    @Test
    default void aFetchFinishedWithItsPageStoresThePageAndPointsEveryWaitingRowAtIt() {
        ScrapeJobRecord a = scrapeJob(null, "http://shared.test/");
        ScrapeJobRecord b = scrapeJob(null, "http://shared.test/", "http://b.test/");
        String oldId = store().pages().pageUpsert(new Page(Ids.newId(), "http://shared.test/", 200, "http://shared.test/",
                "{}", "text/html", "UTF-8", new byte[] {1}, 1, "00", "old", "old text", null, null, null));

        List<ScrapeJobRecord> finished = store().scrapes().scrapeUrlsFinish(
                new ScrapeUrlOutcome("http://shared.test/", "completed", "ignored", 200, null, null, 1),
                new Page(Ids.newId(), "http://shared.test/", 200, "http://shared.test/", "{}", "text/html", "UTF-8",
                        new byte[] {2}, 1, "11", "new", "new text", null, null, null)).finished();

        assertThat(finished).extracting(ScrapeJobRecord::id).containsExactly(a.id());
        ScrapeResult r = store().scrapes().scrapeResults(b.id(), -1, 1).get(0);
        assertThat(r.url().pageId()).as("the page keeps its id when replaced").isEqualTo(oldId);
        assertThat(r.page().title()).isEqualTo("new");
        assertThat(reload(b).completed()).isEqualTo(1);
    }

    @Test
    default void resultsComeInSubmitOrderPageByPageWithTheirPages() {
        String pageId = store().pages().pageUpsert(new Page(Ids.newId(), "http://a.test/1", 200, "http://a.test/1/",
                "{}", "text/html", "UTF-8", new byte[] {9}, 1, "00", "T1", "text one", null, null, null));
        ScrapeJobRecord j = scrapeJob(null, "http://a.test/1", "http://a.test/2", "http://a.test/3");
        store().scrapes().scrapeUrlsFinish(completed("http://a.test/1", pageId));

        List<ScrapeResult> first = store().scrapes().scrapeResults(j.id(), -1, 2);
        List<ScrapeResult> second = store().scrapes().scrapeResults(j.id(), first.get(1).url().idx(), 2);

        assertThat(first).extracting(r -> r.url().url()).containsExactly("http://a.test/1", "http://a.test/2");
        assertThat(first.get(0).page().title()).isEqualTo("T1");
        assertThat(first.get(0).page().finalUrl()).isEqualTo("http://a.test/1/");
        assertThat(first.get(1).page()).isNull();
        assertThat(second).extracting(r -> r.url().url()).containsExactly("http://a.test/3");
    }

    @Test
    default void jobsAreListedNewestFirstByOwnerAndStatus() {
        ScrapeJobRecord first = scrapeJob(null, "http://a.test/1");
        ScrapeJobRecord second = scrapeJob(null, "http://a.test/2");
        ScrapeJobRecord third = scrapeJob(null, "cached:http://a.test/3");

        assertThat(store().scrapes().scrapeJobList(null, null, null, 10)).extracting(ScrapeJobRecord::id)
                .containsExactly(third.id(), second.id(), first.id());
        assertThat(store().scrapes().scrapeJobList("owner-1", "queued", null, 10)).extracting(ScrapeJobRecord::id)
                .containsExactly(second.id(), first.id());
        assertThat(store().scrapes().scrapeJobList(null, "completed", null, 10)).extracting(ScrapeJobRecord::id)
                .containsExactly(third.id());
        assertThat(store().scrapes().scrapeJobList(null, null, second.id(), 10)).extracting(ScrapeJobRecord::id)
                .containsExactly(first.id());
        assertThat(store().scrapes().scrapeJobList("someone-else", null, null, 10)).isEmpty();
    }

    @Test
    default void urlsWithoutAnUnfinishedFetchAreFoundOnceOldEnough() {
        scrapeJob(null, "http://a.test/fetching", "http://a.test/lost");
        store().jobInsertMany(List.of(withDedupeKey(newJob("fetch"), "http://a.test/fetching")));

        assertThat(store().scrapes().scrapeUrlsWithoutFetch("fetch", Duration.ofSeconds(30), 10)).isEmpty();
        clock().advance(Duration.ofSeconds(31));

        assertThat(store().scrapes().scrapeUrlsWithoutFetch("fetch", Duration.ofSeconds(30), 10))
                .extracting(ScrapeUrlRecord::canonicalUrl).containsExactly("http://a.test/lost");
    }

    @Test
    default void theLatestJobOfADedupeKeyIsFoundWhateverItsState() {
        JobInsert first = withDedupeKey(newJob("fetch"), "http://a.test/");
        insert(first);
        store().jobComplete(List.of(claimOne("fetch").lease()));
        JobInsert second = withDedupeKey(newJob("fetch"), "http://a.test/");
        insert(second);

        assertThat(store().jobLatestByDedupeKey("fetch", "http://a.test/").orElseThrow().id()).isEqualTo(second.id());
        assertThat(store().jobLatestByDedupeKey("fetch", "http://none.test/")).isEmpty();
    }

    @Test
    default void aFetchThatSettledItsRowsGivesUpItsKeySoARowSubmittedLaterGetsAFreshFetch() {
        ScrapeJobRecord first = scrapeJob(null, "http://a.test/");
        insert(withDedupeKey(newJob("fetch"), "http://a.test/"));
        Job fetch = claimOne("fetch");

        store().scrapes().scrapeUrlsFinish(completed("http://a.test/", "p"), null, fetch.lease());
        ScrapeJobRecord later = scrapeJob(null, "http://a.test/");
        JobInsert refetch = withDedupeKey(newJob("fetch"), "http://a.test/");
        List<JobInsertResult> inserted = store().jobInsertMany(List.of(refetch));

        assertThat(reload(first).completed()).isEqualTo(1);
        assertThat(job(fetch.id()).dedupeKey()).isNull();
        assertThat(inserted.get(0).id()).as("not deduplicated against the fetch still running").isEqualTo(refetch.id());
        assertThat(reload(later).queued()).isEqualTo(1);
    }

    @Test
    default void anIdempotencyKeyIsClaimedOncePerOwner() {
        assertThat(store().scrapes().idempotencyClaim("alice", "k1", "sha-a", "job-1")).isEmpty();
        assertThat(store().scrapes().idempotencyClaim("alice", "k1", "sha-b", "job-2")).get()
                .isEqualTo(new io.fetchq.store.IdempotencyClaim("sha-a", "job-1", clock().now()));
        assertThat(store().scrapes().idempotencyClaim("bob", "k1", "sha-b", "job-3")).as("keys are per owner").isEmpty();

        store().scrapes().idempotencyRelease("alice", "k1", "job-1");
        assertThat(store().scrapes().idempotencyClaim("alice", "k1", "sha-c", "job-4")).isEmpty();

        clock().advance(Duration.ofHours(25));
        assertThat(store().scrapes().idempotencyPrune(Duration.ofHours(24), 100)).isEqualTo(2);
        assertThat(store().scrapes().idempotencyClaim("alice", "k1", "sha-d", "job-5")).isEmpty();
    }

    @Test
    default void aJobIsReadWithItsOnlyUrlAndPageInOneGo() {
        String pageId = store().pages().pageUpsert(new Page(Ids.newId(), "http://a.test/only", 200, "http://a.test/only",
                "{}", "text/html", "UTF-8", new byte[] {1}, 1, "00", "Only", "only text", null, null, clock().now()));
        ScrapeJobRecord one = scrapeJob(null, "http://a.test/only");
        store().scrapes().scrapeUrlsFinish(completed("http://a.test/only", pageId));
        ScrapeJobRecord two = scrapeJob(null, "http://a.test/1", "http://a.test/2");

        ScrapeJobRead read = store().scrapes().scrapeJobRead(one.id()).orElseThrow();
        assertThat(read.job().completed()).isEqualTo(1);
        assertThat(read.onlyUrl().url().url()).isEqualTo("http://a.test/only");
        assertThat(read.onlyUrl().url().status()).isEqualTo("completed");
        assertThat(read.onlyUrl().page().title()).isEqualTo("Only");
        assertThat(store().scrapes().scrapeJobRead(two.id()).orElseThrow().onlyUrl()).as("two URLs: none singled out").isNull();
        assertThat(store().scrapes().scrapeJobRead("nope")).isEmpty();
    }
}
