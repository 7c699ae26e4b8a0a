package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobState;
import io.fetchq.store.Lease;
import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcomes under a lease: complete, fail, heartbeat, release, rescue — and fencing of stale tokens. */
public interface LeaseContract extends StoreFixture {

    @Test
    default void completeWithTheCurrentTokenFinishesTheJob() {
        insert("q");
        Job running = claimOne("q");
        clock().advance(Duration.ofSeconds(2));

        TransitionResult r = store().jobComplete(List.of(running.lease()));

        Job done = job(running.id());
        assertThat(r.ids()).containsExactly(running.id());
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.finishedAt()).isEqualTo(clock().now());
        assertThat(done.leaseToken()).isNull();
        assertThat(done.leaseExpiresAt()).isNull();
        assertThat(done.leasedBy()).as("who finished it stays on record").isEqualTo(WORKER);
    }

    @Test
    default void completeWithAWrongTokenChangesNothing() {
        insert("q");
        Job running = claimOne("q");

        TransitionResult r = store().jobComplete(List.of(new Lease(running.id(), "not-the-token")));

        assertThat(r.ids()).isEmpty();
        assertThat(job(running.id())).isEqualTo(running);
    }

    @Test
    default void aStaleTokenAfterRescueCanNeitherCompleteNorFailNorExtendNorRelease() {
        insert("q");
        Job stale = claimOne("q");
        clock().advance(LEASE.plusSeconds(1));
        assertThat(store().jobRescueExpired(100).ids()).containsExactly(stale.id());
        Job current = claimOne("q");
        assertThat(current.attempt()).isEqualTo(2);

        assertThat(store().jobComplete(List.of(stale.lease())).ids()).isEmpty();
        assertThat(store().jobFailRetry(List.of(new JobFailure(stale.lease(), "late", Duration.ZERO))).ids()).isEmpty();
        assertThat(store().jobFailDead(List.of(new JobFailure(stale.lease(), "late", null))).ids()).isEmpty();
        assertThat(store().jobHeartbeat(List.of(stale.lease()), LEASE)).isEmpty();
        assertThat(store().jobRelease(List.of(stale.lease())).ids()).isEmpty();
        assertThat(job(current.id())).isEqualTo(current);

        assertThat(store().jobComplete(List.of(current.lease())).ids()).containsExactly(current.id());
        assertThat(state(current.id())).isEqualTo(JobState.COMPLETED);
    }

    @Test
    default void completingManyLeasesAtOnceFinishesOnlyTheCurrentOnes() {
        for (int i = 0; i < 4; i++) {
            insert("q");
        }
        List<Job> running = claim("q", 4);
        Lease forged = new Lease(running.get(3).id(), "forged");

        TransitionResult r = store().jobComplete(List.of(running.get(0).lease(), running.get(1).lease(),
                running.get(2).lease(), forged));

        assertThat(r.ids()).containsExactlyInAnyOrder(running.get(0).id(), running.get(1).id(), running.get(2).id());
        assertThat(state(running.get(3).id())).isEqualTo(JobState.RUNNING);
    }

    @Test
    default void heartbeatExtendsOnlyCurrentLeases() {
        insert("q");
        insert("q");
        List<Job> running = claim("q", 2);
        clock().advance(Duration.ofSeconds(20));

        List<String> alive = store().jobHeartbeat(List.of(running.get(0).lease(),
                new Lease(running.get(1).id(), "stale")), Duration.ofSeconds(60));

        assertThat(alive).containsExactly(running.get(0).id());
        assertThat(job(running.get(0).id()).leaseExpiresAt()).isEqualTo(clock().now().plusSeconds(60));
        assertThat(job(running.get(1).id()).leaseExpiresAt()).isEqualTo(running.get(1).leaseExpiresAt());
    }

    @Test
    default void failRetryWaitsInRetryableForItsDelayWithTheError() {
        insert("q");
        Job running = claimOne("q");

        store().jobFailRetry(List.of(new JobFailure(running.lease(), "timeout after 30s", Duration.ofSeconds(8))));

        Job failed = job(running.id());
        assertThat(failed.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(failed.runAt()).isEqualTo(clock().now().plusSeconds(8));
        assertThat(failed.lastError()).isEqualTo("timeout after 30s");
        assertThat(failed.leaseToken()).isNull();
        assertThat(failed.finishedAt()).isNull();
        assertThat(failed.attempt()).isEqualTo(1);
    }

    @Test
    default void deferWaitsLikeARetryButGivesTheAttemptBack() {
        insert("q");
        Job running = claimOne("q");

        store().jobDefer(List.of(new JobFailure(running.lease(), "host paused: http_429", Duration.ofSeconds(90))));

        Job deferred = job(running.id());
        assertThat(deferred.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(deferred.attempt()).isZero();
        assertThat(deferred.runAt()).isEqualTo(clock().now().plusSeconds(90));
        assertThat(deferred.lastError()).isEqualTo("host paused: http_429");
        assertThat(store().jobDefer(List.of(new JobFailure(running.lease(), "again", Duration.ZERO))).ids())
                .as("the lease is gone").isEmpty();
    }

    @Test
    default void failDeadFinishesTheJobWithItsError() {
        insert("q");
        Job running = claimOne("q");

        store().jobFailDead(List.of(new JobFailure(running.lease(), "http_404", null)));

        Job dead = job(running.id());
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).isEqualTo("http_404");
        assertThat(dead.finishedAt()).isEqualTo(clock().now());
        assertThat(dead.leaseToken()).isNull();
    }

    @Test
    default void releaseMakesTheJobAvailableAtOnceWithoutCountingTheAttempt() {
        insert("q");
        Job running = claimOne("q");
        clock().advance(Duration.ofSeconds(5));

        TransitionResult r = store().jobRelease(List.of(running.lease()));

        Job released = job(running.id());
        assertThat(r.queuesMadeAvailable()).containsExactly("q");
        assertThat(released.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(released.attempt()).isZero();
        assertThat(released.runAt()).isEqualTo(clock().now());
        assertThat(released.leaseToken()).isNull();
        assertThat(claimOne("q").attempt()).isEqualTo(1);
    }

    @Test
    default void rescueReturnsExpiredJobsAndKillsThoseOnTheirLastAttempt() {
        String again = insert(withMaxAttempts(newJob("q"), 3));
        String last = insert(withMaxAttempts(newJob("q"), 1));
        claim("q", 2);
        clock().advance(LEASE.plusMillis(1));

        TransitionResult r = store().jobRescueExpired(100);

        assertThat(r.ids()).containsExactlyInAnyOrder(again, last);
        assertThat(r.queuesMadeAvailable()).containsExactly("q");
        Job retried = job(again);
        assertThat(retried.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(retried.lastError()).contains("lease expired").contains(WORKER);
        assertThat(retried.runAt()).isEqualTo(clock().now());
        Job dead = job(last);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.lastError()).contains("lease expired on the last attempt");
        assertThat(dead.finishedAt()).isEqualTo(clock().now());
    }

    @Test
    default void rescueLeavesLiveLeasesAlone() {
        insert("q");
        Job running = claimOne("q");
        clock().advance(LEASE);

        assertThat(store().jobRescueExpired(100).ids()).as("a lease expiring exactly now is still live").isEmpty();
        assertThat(job(running.id())).isEqualTo(running);
    }

    @Test
    default void rescueWorksInBatchesOfItsLimit() {
        for (int i = 0; i < 5; i++) {
            insert("q");
        }
        claim("q", 5);
        clock().advance(LEASE.plusSeconds(1));

        assertThat(store().jobRescueExpired(2).count()).isEqualTo(2);
        assertThat(store().jobRescueExpired(2).count()).isEqualTo(2);
        assertThat(store().jobRescueExpired(2).count()).isEqualTo(1);
        assertThat(store().jobRescueExpired(2).count()).isZero();
    }
}
