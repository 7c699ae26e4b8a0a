package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Ids;
import io.fetchq.store.Job;
import io.fetchq.store.JobClaimParams;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobState;
import io.fetchq.store.Store;
import io.fetchq.testing.MutableTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every store contract test needs: a fresh, empty store per test whose clock the test moves, and
 * shorthands for the common steps. Each store's test class implements this once and inherits every
 * contract.
 */
public interface StoreFixture {
    Duration LEASE = Duration.ofSeconds(30);
    String WORKER = "test-worker";

    Store store();

    MutableTimeSource clock();

    /** A job with defaults (priority 5, 3 attempts, run now) that tests adjust with the {@code with...} helpers below. */
    default JobInsert newJob(String queue) {
        return new JobInsert(Ids.newId(), queue, "{\"n\":1}", 5, 3, null, Duration.ZERO, null, null, null);
    }

    default JobInsert withPriority(JobInsert j, int p) {
        return new JobInsert(j.id(), j.queue(), j.payload(), p, j.maxAttempts(), j.runAt(), j.delay(), j.dedupeKey(), j.groupId(), null);
    }

    default JobInsert withMaxAttempts(JobInsert j, int n) {
        return new JobInsert(j.id(), j.queue(), j.payload(), j.priority(), n, j.runAt(), j.delay(), j.dedupeKey(), j.groupId(), null);
    }

    default JobInsert withDelay(JobInsert j, Duration d) {
        return new JobInsert(j.id(), j.queue(), j.payload(), j.priority(), j.maxAttempts(), null, d, j.dedupeKey(), j.groupId(), null);
    }

    default JobInsert withRunAt(JobInsert j, Instant at) {
        return new JobInsert(j.id(), j.queue(), j.payload(), j.priority(), j.maxAttempts(), at, Duration.ZERO, j.dedupeKey(), j.groupId(), null);
    }

    default JobInsert withDedupeKey(JobInsert j, String key) {
        return new JobInsert(j.id(), j.queue(), j.payload(), j.priority(), j.maxAttempts(), j.runAt(), j.delay(), key, j.groupId(), null);
    }

    default JobInsert withGroup(JobInsert j, String group) {
        return new JobInsert(j.id(), j.queue(), j.payload(), j.priority(), j.maxAttempts(), j.runAt(), j.delay(), j.dedupeKey(), group, null);
    }

    default String insert(JobInsert job) {
        List<JobInsertResult> r = store().jobInsertMany(List.of(job));
        assertThat(r).hasSize(1);
        return r.get(0).id();
    }

    default String insert(String queue) {
        return insert(newJob(queue));
    }

    default List<Job> claim(String queue, int limit) {
        return store().jobClaim(new JobClaimParams(queue, limit, LEASE, WORKER));
    }

    /** Claims the one available job of {@code queue}, failing if there is not exactly one. */
    default Job claimOne(String queue) {
        List<Job> jobs = claim(queue, 10);
        assertThat(jobs).as("jobs claimed from %s", queue).hasSize(1);
        return jobs.get(0);
    }

    default Job job(String id) {
        return store().jobGet(id).orElseThrow(() -> new AssertionError("no job " + id));
    }

    default JobState state(String id) {
        return job(id).state();
    }
}
