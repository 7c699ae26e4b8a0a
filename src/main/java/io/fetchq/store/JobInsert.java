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
        String groupId) {

    public JobInsert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(delay, "delay");
    }

    /** @return true when the job may be runnable the moment it is inserted (no future run time asked for) */
    public boolean startsAvailable() {
        return runAt == null && delay.isZero();
    }
}
