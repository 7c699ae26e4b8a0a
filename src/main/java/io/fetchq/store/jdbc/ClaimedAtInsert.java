package io.fetchq.store.jdbc;

import io.fetchq.store.Job;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobState;
import java.time.Instant;

/** Builds the {@link Job} a store inserted already claimed, from what was sent and what the database set. */
public final class ClaimedAtInsert {
    private ClaimedAtInsert() {
    }

    public static Job job(JobInsert sent, Instant runAt, String leaseToken, Instant leaseExpiresAt, Instant createdAt,
                          Instant attemptedAt) {
        return new Job(sent.id(), sent.queue(), JobState.RUNNING, sent.priority(), sent.payload(), 1,
                sent.maxAttempts(), runAt, leaseToken, leaseExpiresAt, sent.grant().leasedBy(), sent.dedupeKey(),
                sent.groupId(), null, createdAt, attemptedAt, null, attemptedAt);
    }
}
