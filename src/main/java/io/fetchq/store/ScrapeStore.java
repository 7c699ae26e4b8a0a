package io.fetchq.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Scrape jobs and their URLs. URL rows are matched to fetches by canonical URL: a fetch that finishes
 * updates every row waiting for its URL, in every job, so two jobs asking for one URL share one fetch.
 * Part of the {@link Store} contract.
 */
public interface ScrapeStore {
    /** Inserts a job and its URL rows in one transaction; the job's counters must match the rows. */
    /** Stores a job and its URL rows in one transaction. @return the job as stored (its times set) */
    default ScrapeJobRecord scrapeJobInsert(ScrapeJobRecord job, List<ScrapeUrlRecord> urls) {
        return scrapeJobInsertMany(List.of(new ScrapeJobInsert(job, urls))).get(0);
    }

    /**
     * Stores jobs and their URL rows in one transaction, in a fixed number of statements whatever their
     * count (the API batches concurrent submissions). @return the jobs as stored, in the same order
     */
    List<ScrapeJobRecord> scrapeJobInsertMany(List<ScrapeJobInsert> jobs);

    Optional<ScrapeJobRecord> scrapeJobGet(String id);

    /** The job and, when it has exactly one URL, that URL's result: what a client reads, in one read. */
    Optional<ScrapeJobRead> scrapeJobRead(String id);

    /**
     * Jobs newest first.
     *
     * @param owner    only this owner's jobs (null: everyone's)
     * @param status   only jobs in this {@link ScrapeJobRecord#status()} (null: any)
     * @param beforeId cursor: the last id of the previous page (null: from the newest)
     */
    List<ScrapeJobRecord> scrapeJobList(String owner, String status, String beforeId, int limit);

    /**
     * The fetch of this URL started: queued rows waiting on it become running; in the same transaction,
     * the validators of the page already stored for it are read (for a conditional request).
     */
    ScrapeStart scrapeUrlsStart(String canonicalUrl);

    /**
     * The fetch of this URL ended: every row waiting on it (or failed on it, when it now completed) takes
     * the outcome, and each affected job's counters follow; a job left with nothing unfinished is finished
     * now, its webhook made due if it has one.
     *
     * @return the rows it settled and the jobs it finished
     */
    default ScrapeSettled scrapeUrlsFinish(ScrapeUrlOutcome outcome) {
        return scrapeUrlsFinish(outcome, null, null);
    }

    /** {@link #scrapeUrlsFinish(ScrapeUrlOutcome, Page, Lease)} without a fetch job to release. */
    default ScrapeSettled scrapeUrlsFinish(ScrapeUrlOutcome outcome, Page page) {
        return scrapeUrlsFinish(outcome, page, null);
    }

    /**
     * Settles the URL's rows as {@link #scrapeUrlsFinish(ScrapeUrlOutcome)} does. With a {@code page}, the page
     * just fetched is stored (as {@link PageStore#pageUpsert}) in the same transaction and the rows take its
     * id. With the {@code fetch} job's lease, that job gives up its dedupe key in the same transaction: the
     * rows it had to settle are settled, so a URL row submitted from now on must get a fresh fetch rather
     * than wait on this one (whose completion reaches the engine a moment later, in a batch).
     */
    ScrapeSettled scrapeUrlsFinish(ScrapeUrlOutcome outcome, Page page, Lease fetch);

    /** A job's URLs in submit order, after index {@code afterIdx} (-1 for the first page), with their pages. */
    List<ScrapeResult> scrapeResults(String jobId, int afterIdx, int limit);

    /** Cancels the job's unfinished URLs and finishes it. @return empty if there is no such job */
    Optional<ScrapeCancel> scrapeJobCancel(String id);

    /** @return those of the canonical URLs that some unfinished URL row, of any job, still waits for */
    Set<String> scrapeUrlsWanted(Collection<String> canonicalUrls);

    /** Sends the job's failed URLs back to queued (the job is open again). @return the rows */
    List<ScrapeUrlRecord> scrapeJobRetryFailed(String id);

    /**
     * Unfinished URL rows older than {@code minAge} for which no unfinished job of {@code queue} carries the
     * canonical URL as its dedupe key: their fetch was lost (it died on its last attempt, or a crash came
     * between inserting the rows and enqueueing the fetch).
     */
    List<ScrapeUrlRecord> scrapeUrlsWithoutFetch(String queue, Duration minAge, int limit);

    /** Finished jobs whose webhook has been due for at least {@code minAge}. */
    List<ScrapeJobRecord> scrapeCallbacksDue(Duration minAge, int limit);

    /** @return true if the job's webhook was due and is now marked enqueued */
    boolean scrapeCallbackEnqueued(String jobId);

    /**
     * Claims an idempotency key for a job about to be created with {@code jobId}.
     *
     * @param owner the API key's owner, or "" without keys
     * @return empty if the key is now this request's; else the earlier claim (the same job id when it is
     *         the same request, told by {@code requestSha256})
     */
    Optional<IdempotencyClaim> idempotencyClaim(String owner, String key, String requestSha256, String jobId);

    /** Gives a key back when the job it was claimed for was refused (nothing was created). */
    void idempotencyRelease(String owner, String key, String jobId);

    /** Forgets keys older than {@code maxAge}. @return how many */
    int idempotencyPrune(Duration maxAge, int limit);
}
