package io.fetchq.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One job to insert, already validated by the engine. The job becomes {@link JobState#AVAILABLE} unless
 * its run time lies in the future, then {@link JobState#SCHEDULED}. The run time is {@code runAt} when
 * given, else the database's now plus {@code delay}.
 *
 * @param id        a fresh opaque id (the engine generates it)
 * @param dedupeKey optional; while an unfinished job of the same queue has it, the insert is skipped and
 *                  that job is returned instead
 * @param groupId   optional; lets callers cancel or requeue a group of jobs together (a scrape job's URLs)
 * @param grant     optional; the job is inserted already claimed by this worker ({@link JobState#RUNNING},
 *                  attempt 1, a fresh lease): how a job enqueued on a node whose worker for the queue is
 *                  idle starts without a second round trip. Only for jobs that start available.
 */
public record JobInsert(
        String id,
        String queue,
        String payload,
        int priority,
        int maxAttempts,
        Instant runAt,
        Duration delay,
        String dedupeKey,
        String groupId,
        LeaseGrant grant) {

    /** The worker an inserted job is leased to at once, and for how long. */
    public record LeaseGrant(String leasedBy, Duration lease) {
        public LeaseGrant {
            Objects.requireNonNull(leasedBy, "leasedBy");
            Objects.requireNonNull(lease, "lease");
        }
    }

    public JobInsert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(delay, "delay");
        if (grant != null && (runAt != null || !delay.isZero())) {
            throw new IllegalArgumentException("only a job that starts available can be inserted already claimed");
        }
    }

    /** The same job, inserted already leased to a worker. */
    public JobInsert withGrant(LeaseGrant g) {
        return new JobInsert(id, queue, payload, priority, maxAttempts, runAt, delay, dedupeKey, groupId, g);
    }

    /** @return true when the job may be runnable the moment it is inserted (no future run time asked for) */
    public boolean startsAvailable() {
        return runAt == null && delay.isZero();
    }
}
