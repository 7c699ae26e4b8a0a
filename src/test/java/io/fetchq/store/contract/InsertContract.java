package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fetchq.store.Job;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobState;
import io.fetchq.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inserting jobs: fields, delays, batches, dedupe keys, and the schema's own guards. */
public interface InsertContract extends StoreFixture {

    @Test
    default void insertedJobIsAvailableWithEveryField() {
        JobInsert j = withGroup(withDedupeKey(withMaxAttempts(withPriority(newJob("mail"), 2), 7), "k1"), "g1");
        String id = insert(j);

        Job job = job(id);
        assertThat(job.id()).isEqualTo(j.id()).hasSize(22);
        assertThat(job.queue()).isEqualTo("mail");
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(job.payload()).isEqualTo(j.payload());
        assertThat(job.priority()).isEqualTo(2);
        assertThat(job.attempt()).isZero();
        assertThat(job.maxAttempts()).isEqualTo(7);
        assertThat(job.dedupeKey()).isEqualTo("k1");
        assertThat(job.groupId()).isEqualTo("g1");
        assertThat(job.runAt()).isEqualTo(clock().now());
        assertThat(job.createdAt()).isEqualTo(clock().now());
        assertThat(job.leaseToken()).isNull();
        assertThat(job.leaseExpiresAt()).isNull();
        assertThat(job.finishedAt()).isNull();
        assertThat(job.lastError()).isNull();
    }

    @Test
    default void delayedJobIsScheduledUntilItsRunAt() {
        String id = insert(withDelay(newJob("mail"), Duration.ofSeconds(10)));

        Job job = job(id);
        assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(job.runAt()).isEqualTo(clock().now().plusSeconds(10));
    }

    @Test
    default void runAtInThePastIsAvailableAtOnceAndRunAtInTheFutureIsScheduled() {
        String past = insert(withRunAt(newJob("mail"), clock().now().minusSeconds(3600)));
        String future = insert(withRunAt(newJob("mail"), clock().now().plusSeconds(3600)));

        assertThat(state(past)).isEqualTo(JobState.AVAILABLE);
        assertThat(state(future)).isEqualTo(JobState.SCHEDULED);
        assertThat(job(future).runAt()).isEqualTo(clock().now().plusSeconds(3600));
    }

    @Test
    default void batchOfTenThousandIsInsertedWholeAndClaimedInInsertionOrder() {
        List<JobInsert> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(new JobInsert(newJob("bulk").id(), "bulk", "{\"i\":" + i + "}", 5, 3, null, Duration.ZERO, null, null, null));
        }
        List<JobInsertResult> results = store().jobInsertMany(batch);

        assertThat(results).hasSize(10_000).allMatch(JobInsertResult::inserted);
        assertThat(results.stream().map(JobInsertResult::id).toList())
                .isEqualTo(batch.stream().map(JobInsert::id).toList());
        List<Job> first = claim("bulk", 5);
        assertThat(first.stream().map(Job::payload))
                .containsExactlyInAnyOrder("{\"i\":0}", "{\"i\":1}", "{\"i\":2}", "{\"i\":3}", "{\"i\":4}");
    }

    @Test
    default void dedupeKeyReturnsTheUnfinishedJobThatHoldsIt() {
        String first = insert(withDedupeKey(newJob("mail"), "order-42"));

        List<JobInsertResult> again = store().jobInsertMany(List.of(withDedupeKey(newJob("mail"), "order-42")));
        String otherQueue = insert(withDedupeKey(newJob("sms"), "order-42"));

        assertThat(again).containsExactly(new JobInsertResult(first, false));
        assertThat(otherQueue).isNotEqualTo(first);
        assertThat(state(otherQueue)).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    default void dedupeKeyHeldByARunningJobStillDeduplicates() {
        String first = insert(withDedupeKey(newJob("mail"), "k"));
        claimOne("mail");

        assertThat(store().jobInsertMany(List.of(withDedupeKey(newJob("mail"), "k"))))
                .containsExactly(new JobInsertResult(first, false));
    }

    @Test
    default void dedupeKeyIsFreeAgainOnceItsHolderFinished() {
        String first = insert(withDedupeKey(newJob("mail"), "k"));
        Job running = claimOne("mail");
        store().jobComplete(List.of(running.lease()));

        List<JobInsertResult> again = store().jobInsertMany(List.of(withDedupeKey(newJob("mail"), "k")));

        assertThat(again.get(0).inserted()).isTrue();
        assertThat(again.get(0).id()).isNotEqualTo(first);
    }

    @Test
    default void duplicateDedupeKeysInOneBatchBecomeOneJob() {
        JobInsert a = withDedupeKey(newJob("mail"), "same");
        JobInsert b = withDedupeKey(newJob("mail"), "same");
        JobInsert c = newJob("mail");

        List<JobInsertResult> results = store().jobInsertMany(List.of(a, b, c));

        assertThat(results).containsExactly(new JobInsertResult(a.id(), true), new JobInsertResult(a.id(), false),
                new JobInsertResult(c.id(), true));
        assertThat(claim("mail", 10)).hasSize(2);
    }

    @Test
    default void aJobInsertedWithAGrantIsAlreadyClaimedByThatWorker() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        store().addJobsAvailableListener(heard::add);
        JobInsert j = withGroup(newJob("granted"), "g").withGrant(new JobInsert.LeaseGrant("idle-worker", LEASE));

        JobInsertResult r = store().jobInsertMany(List.of(j)).get(0);

        Job claimed = r.claimed();
        assertThat(r.inserted()).isTrue();
        assertThat(claimed).isNotNull();
        assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.leasedBy()).isEqualTo("idle-worker");
        assertThat(claimed.leaseToken()).isNotBlank();
        assertThat(claimed.leaseExpiresAt()).isEqualTo(clock().now().plus(LEASE));
        assertThat(claimed.attemptedAt()).isEqualTo(clock().now());
        assertThat(claimed.groupId()).isEqualTo("g");
        assertThat(job(j.id())).as("what the store holds is what the worker got").isEqualTo(claimed);
        assertThat(heard).as("nobody else needs waking for a job already taken").isEmpty();
        assertThat(claim("granted", 10)).isEmpty();
        assertThat(store().jobComplete(List.of(claimed.lease())).ids()).containsExactly(j.id());
    }

    @Test
    default void aGrantedInsertWhoseDedupeKeyIsTakenClaimsNothing() {
        String holder = insert(withDedupeKey(newJob("granted"), "k"));

        JobInsertResult r = store().jobInsertMany(List.of(
                withDedupeKey(newJob("granted"), "k").withGrant(new JobInsert.LeaseGrant("w", LEASE)))).get(0);

        assertThat(r).isEqualTo(new JobInsertResult(holder, false, null));
        assertThat(state(holder)).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    default void schemaRefusesWhatTheEngineWouldNeverSend() {
        assertThatThrownBy(() -> insert(withPriority(newJob("mail"), 11))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> insert(withPriority(newJob("mail"), 0))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> insert(withMaxAttempts(newJob("mail"), 0))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> insert(newJob("q".repeat(81)))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> insert(newJob(""))).isInstanceOf(StoreException.class);
        assertThat(store().queueStats()).isEmpty();
    }

    @Test
    default void aFailedBatchLeavesNothingBehind() {
        List<JobInsert> batch = List.of(newJob("mail"), newJob("mail"), withPriority(newJob("mail"), 99));

        assertThatThrownBy(() -> store().jobInsertMany(batch)).isInstanceOf(StoreException.class);

        assertThat(store().queueStats()).isEmpty();
    }
}
