package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole contract between fetchq and a database, one sorted list grouped by entity. Two
 * implementations exist: {@code SqliteStore} (embedded default) and {@code PostgresStore} (many nodes);
 * both pass the same contract test suite.
 *
 * <p>Every transition is one statement guarded by the states it starts from, and for a running job by its
 * lease token (see {@link JobState.Transition}); a call whose guard does not hold changes nothing and
 * simply leaves that job out of its result. Time for every comparison comes from the {@link TimeSource}
 * the store was opened with: the database's clock in production.
 *
 * <p>Operations that make jobs available tell the {@link JobsAvailableListener}s once they are committed;
 * on PostgreSQL they also notify the other nodes.
 */
public interface Store extends AutoCloseable {

    // ---- job ---------------------------------------------------------------------------------------

    /**
     * Inserts a batch in one transaction (up to 10,000 jobs; no round trip per job). A job whose dedupe
     * key is held by an unfinished job of its queue, or by an earlier job of the same batch, is not
     * inserted; its result carries the holder's id.
     *
     * @return one result per input, in input order
     */
    List<JobInsertResult> jobInsertMany(List<JobInsert> jobs);

    Optional<Job> jobGet(String id);

    /** Jobs matching the filters, newest first. */
    List<Job> jobList(JobListParams params);

    /** The newest job of {@code queue} inserted with this dedupe key, whatever its state. */
    Optional<Job> jobLatestByDedupeKey(String queue, String dedupeKey);

    /** {@link JobState.Transition#CLAIM}: takes up to {@code limit} available jobs in one statement. */
    List<Job> jobClaim(JobClaimParams params);

    /**
     * Extends the given leases to {@code extendBy} after now.
     *
     * @return the ids whose lease was still current (the others were lost: expired and rescued, or cancelled)
     */
    List<String> jobHeartbeat(List<Lease> leases, Duration extendBy);

    /**
     * Deletes the jobs whose lease is still current, in one statement: how a broker message is acknowledged
     * (a message queue keeps nothing of what was consumed). @return the ids deleted
     */
    List<String> jobDeleteLeased(List<Lease> leases);

    /** {@link JobState.Transition#COMPLETE} for every lease that is still current. */
    TransitionResult jobComplete(List<Lease> leases);

    /** {@link JobState.Transition#FAIL_RETRY}: each failure's job waits {@code retryDelay} in RETRYABLE. */
    TransitionResult jobFailRetry(List<JobFailure> failures);

    /** {@link JobState.Transition#DEFER}: like a retry after {@code retryDelay}, but the attempt does not count. */
    TransitionResult jobDefer(List<JobFailure> deferrals);

    /** {@link JobState.Transition#FAIL_DEAD}. */
    TransitionResult jobFailDead(List<JobFailure> failures);

    /** {@link JobState.Transition#RELEASE}: hands jobs back unfinished; the attempt is not counted. */
    TransitionResult jobRelease(List<Lease> leases);

    /**
     * {@link JobState.Transition#RESCUE_RETRY} and {@link JobState.Transition#RESCUE_DEAD} for up to
     * {@code limit} jobs whose lease expired before now.
     */
    TransitionResult jobRescueExpired(int limit);

    /** {@link JobState.Transition#PROMOTE} for up to {@code limit} scheduled or retryable jobs whose run_at has passed. */
    TransitionResult jobPromoteDue(int limit);

    /**
     * @return how long until the earliest scheduled or retryable job is due (zero or negative when one
     *         already is), or empty when there is none
     */
    Optional<Duration> jobNextDueIn();

    /**
     * @return how long until the earliest lease expires (zero or negative when one already has), or empty
     *         when no job is running
     */
    Optional<Duration> jobNextLeaseExpiryIn();

    /** {@link JobState.Transition#CANCEL} for one job. @return true if it was unfinished and is now cancelled */
    boolean jobCancel(String id);

    /** {@link JobState.Transition#CANCEL} for every unfinished job of a group. */
    TransitionResult jobCancelGroup(String groupId);

    /** {@link JobState.Transition#CANCEL} for every unfinished job of {@code queue} carrying one of the dedupe keys. */
    TransitionResult jobCancelByDedupeKeys(String queue, java.util.Collection<String> dedupeKeys);

    /** {@link JobState.Transition#REQUEUE}: dead jobs go back to available with attempt 0. */
    TransitionResult jobRequeueDead(JobRequeueParams params);

    /** Deletes up to {@code limit} finished jobs older than the retention. @return how many */
    int jobPruneFinished(JobPruneParams params);

    // ---- queue -------------------------------------------------------------------------------------

    /** Job counts per queue and state (states with no jobs are left out). */
    List<QueueStateCount> queueStats();

    // ---- the scrape face's entities -----------------------------------------------------------------

    PageStore pages();

    ScrapeStore scrapes();

    HostStore hosts();

    // ---- the broker face's queues -------------------------------------------------------------------

    BrokerStore broker();

    /** @return each worker holding leases now (any node), with how many jobs it runs */
    Map<String, Long> queueActiveWorkers();

    // ---- store -------------------------------------------------------------------------------------

    /** @return the stored value of {@code key}, storing {@code value} first if there was none */
    String metaGetOrPut(String key, String value);

    /** @return the time this store compares against (the database's clock, or the test's) */
    Instant now();

    /** @throws StoreException when the database cannot be reached */
    void ping();

    /** Registers a listener for {@link JobsAvailableListener wake-ups}. */
    void addJobsAvailableListener(JobsAvailableListener listener);

    /**
     * Sends events to the {@linkplain #addEventListener event listeners} of every node sharing this store,
     * this one's included: on PostgreSQL with NOTIFY (each payload at most 7,900 bytes), on SQLite directly.
     * Best effort: a listener that is not connected at that moment misses them.
     */
    void eventNotify(List<String> payloads);

    /** Registers a listener for the payloads of {@link #eventNotify}, from any node. */
    void addEventListener(Consumer<String> listener);

    /** @return a short description for logs, e.g. {@code sqlite ./data/fetchq.db}; never contains a password */
    String describe();

    /** @return the version of the last schema migration applied (e.g. {@code 5}) */
    String schemaVersion();

    @Override
    void close();
}
