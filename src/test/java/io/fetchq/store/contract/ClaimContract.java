package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Claiming: order, limits, leases, and never handing one job to two claimers. */
public interface ClaimContract extends StoreFixture {

    @Test
    default void claimTakesJobsByPriorityThenRunAtThenInsertionOrder() {
        String low = insert(withPriority(newJob("q"), 9));
        String olderRunAt = insert(withRunAt(newJob("q"), clock().now().minusSeconds(60)));
        String first = insert(newJob("q"));
        String second = insert(newJob("q"));
        String urgent = insert(withPriority(newJob("q"), 1));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(claim("q", 1).get(0).id());
            clock().advance(Duration.ofMillis(1));
        }

        assertThat(order).containsExactly(urgent, olderRunAt, first, second, low);
    }

    @Test
    default void aBatchClaimIsReturnedInClaimOrder() {
        String low = insert(withPriority(newJob("q"), 9));
        String mid = insert(newJob("q"));
        String high = insert(withPriority(newJob("q"), 1));

        assertThat(claim("q", 10).stream().map(Job::id)).containsExactly(high, mid, low);
    }

    @Test
    default void claimLeasesTheJobWithAFreshTokenAndCountsTheAttempt() {
        String id = insert("q");

        Job claimed = claimOne("q");

        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.leaseToken()).isNotBlank();
        assertThat(claimed.leasedBy()).isEqualTo(WORKER);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(clock().now().plus(LEASE));
        assertThat(claimed.attemptedAt()).isEqualTo(clock().now());
        assertThat(job(id)).isEqualTo(claimed);
    }

    @Test
    default void claimRespectsItsLimitAndItsQueue() {
        for (int i = 0; i < 5; i++) {
            insert("a");
        }
        insert("b");

        assertThat(claim("a", 3)).hasSize(3).allMatch(j -> j.queue().equals("a"));
        assertThat(claim("a", 3)).hasSize(2);
        assertThat(claim("a", 3)).isEmpty();
        assertThat(claim("b", 3)).hasSize(1);
    }

    @Test
    default void claimSkipsScheduledRetryableAndFinishedJobs() {
        insert(withDelay(newJob("q"), Duration.ofMinutes(5)));
        insert("q");
        Job failed = claimOne("q");
        store().jobFailRetry(List.of(new JobFailure(failed.lease(), "boom", Duration.ofMinutes(5))));
        insert("q");
        Job done = claimOne("q");
        store().jobComplete(List.of(done.lease()));

        assertThat(claim("q", 10)).isEmpty();
    }

    @Test
    default void everyClaimIssuesANewToken() {
        insert("q");
        Job first = claimOne("q");
        store().jobRelease(List.of(first.lease()));

        Job second = claimOne("q");

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.leaseToken()).isNotEqualTo(first.leaseToken());
    }

    @Test
    default void concurrentClaimersNeverGetTheSameJob() throws Exception {
        List<JobInsert> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(newJob("race"));
        }
        store().jobInsertMany(batch);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> claimers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                claimers.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    List<Job> got;
                    while (!(got = claim("race", 17)).isEmpty()) {
                        got.forEach(j -> mine.add(j.id()));
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> f : claimers) {
                for (String id : f.get()) {
                    if (!seen.add(id)) {
                        duplicates.add(id);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(2_000);
        assertThat(new HashSet<>(seen)).containsAll(batch.stream().map(JobInsert::id).toList());
    }
}
