package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobPruneParams;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.JobState;
import io.fetchq.store.QueueStateCount;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operating on jobs: cancel, requeue dead letters, prune, stats, list. */
public interface AdminContract extends StoreFixture {

    /** Takes job {@code id} through a claim and a permanent failure. */
    private Job dead(String id) {
        Job running = claim(job(id).queue(), 100).stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
        store().jobFailDead(List.of(new JobFailure(running.lease(), "gave up", null)));
        return job(id);
    }

    @Test
    default void cancelStopsAnUnfinishedJobAndRevokesItsLease() {
        insert("q");
        Job running = claimOne("q");

        assertThat(store().jobCancel(running.id())).isTrue();

        Job cancelled = job(running.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(clock().now());
        assertThat(cancelled.leaseToken()).isNull();
        assertThat(store().jobComplete(List.of(running.lease())).ids()).isEmpty();
        assertThat(store().jobHeartbeat(List.of(running.lease()), LEASE)).isEmpty();
    }

    @Test
    default void cancelOfAFinishedOrUnknownJobChangesNothing() {
        insert("q");
        Job running = claimOne("q");
        store().jobComplete(List.of(running.lease()));

        assertThat(store().jobCancel(running.id())).isFalse();
        assertThat(store().jobCancel("no-such-job")).isFalse();
        assertThat(state(running.id())).isEqualTo(JobState.COMPLETED);
    }

    @Test
    default void cancelGroupCancelsOnlyTheUnfinishedJobsOfThatGroup() {
        String waiting = insert(withGroup(newJob("q"), "g1"));
        String scheduled = insert(withGroup(withDelay(newJob("q"), Duration.ofHours(1)), "g1"));
        String other = insert(withGroup(newJob("other"), "g2"));
        String finished = insert(withGroup(newJob("done"), "g1"));
        store().jobComplete(List.of(claimOne("done").lease()));

        assertThat(store().jobCancelGroup("g1").ids()).containsExactlyInAnyOrder(waiting, scheduled);

        assertThat(state(other)).isEqualTo(JobState.AVAILABLE);
        assertThat(state(finished)).isEqualTo(JobState.COMPLETED);
    }

    @Test
    default void cancelByDedupeKeysCancelsOnlyUnfinishedJobsOfThatQueueWithThoseKeys() {
        String a = insert(withDedupeKey(newJob("fetch"), "http://a/"));
        String b = insert(withDedupeKey(newJob("fetch"), "http://b/"));
        String otherQueue = insert(withDedupeKey(newJob("mail"), "http://a/"));

        assertThat(store().jobCancelByDedupeKeys("fetch", List.of("http://a/", "http://none/")).ids()).containsExactly(a);

        assertThat(state(a)).isEqualTo(JobState.CANCELLED);
        assertThat(state(b)).isEqualTo(JobState.AVAILABLE);
        assertThat(state(otherQueue)).isEqualTo(JobState.AVAILABLE);
        assertThat(store().jobCancelByDedupeKeys("fetch", List.of()).ids()).isEmpty();
    }

    @Test
    default void requeueSendsDeadJobsBackWithTheirAttemptsReset() {
        Job byId = dead(insert("a"));
        Job byQueue = dead(insert("b"));
        Job byGroup = dead(insert(withGroup(newJob("c"), "grp")));
        Job untouched = dead(insert("d"));

        assertThat(store().jobRequeueDead(JobRequeueParams.ofIds(List.of(byId.id(), "unknown"))).ids())
                .containsExactly(byId.id());
        assertThat(store().jobRequeueDead(JobRequeueParams.ofQueue("b")).queuesMadeAvailable()).containsExactly("b");
        assertThat(store().jobRequeueDead(JobRequeueParams.ofGroup("grp")).ids()).containsExactly(byGroup.id());

        for (Job j : List.of(byId, byQueue, byGroup)) {
            Job requeued = job(j.id());
            assertThat(requeued.state()).isEqualTo(JobState.AVAILABLE);
            assertThat(requeued.attempt()).isZero();
            assertThat(requeued.finishedAt()).isNull();
            assertThat(requeued.lastError()).as("the reason it died stays visible").isEqualTo("gave up");
        }
        assertThat(state(untouched.id())).isEqualTo(JobState.DEAD);
    }

    @Test
    default void requeueLeavesDeadJobsWhoseDedupeKeyAnotherJobHolds() {
        Job deadJob = dead(insert(withDedupeKey(newJob("q"), "k")));
        String holder = insert(withDedupeKey(newJob("q"), "k"));

        assertThat(store().jobRequeueDead(JobRequeueParams.ofQueue("q")).ids()).isEmpty();

        assertThat(state(deadJob.id())).isEqualTo(JobState.DEAD);
        assertThat(state(holder)).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    default void pruneDeletesOnlyFinishedJobsPastTheirRetention() {
        Job oldDone = completed("q");
        Job oldDead = dead(insert("q"));
        clock().advance(Duration.ofHours(2));
        Job newDone = completed("q");
        String waiting = insert("q");

        int pruned = store().jobPruneFinished(new JobPruneParams(Duration.ofHours(1), Duration.ofHours(3), 100));

        assertThat(pruned).isEqualTo(1);
        assertThat(store().jobGet(oldDone.id())).isEmpty();
        assertThat(store().jobGet(oldDead.id())).as("dead letters are kept longer").isPresent();
        assertThat(store().jobGet(newDone.id())).isPresent();
        assertThat(store().jobGet(waiting)).isPresent();
        clock().advance(Duration.ofHours(2));
        assertThat(store().jobPruneFinished(new JobPruneParams(Duration.ofHours(1), Duration.ofHours(3), 1))).isEqualTo(1);
        assertThat(store().jobPruneFinished(new JobPruneParams(Duration.ofHours(1), Duration.ofHours(3), 1))).isEqualTo(1);
        assertThat(store().jobPruneFinished(new JobPruneParams(Duration.ofHours(1), Duration.ofHours(3), 1))).isZero();
        assertThat(store().jobGet(waiting)).isPresent();
    }

    private Job completed(String queue) {
        String id = insert(queue);
        Job running = claim(queue, 100).stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
        store().jobComplete(List.of(running.lease()));
        return job(id);
    }

    @Test
    default void statsCountJobsPerQueueAndState() {
        insert("a");
        insert("a");
        insert("b");
        insert(withDelay(newJob("b"), Duration.ofMinutes(1)));
        claimOne("b");

        assertThat(store().queueStats()).containsExactlyInAnyOrder(
                new QueueStateCount("a", JobState.AVAILABLE, 2),
                new QueueStateCount("b", JobState.RUNNING, 1),
                new QueueStateCount("b", JobState.SCHEDULED, 1));
    }

    @Test
    default void listReturnsNewestFirstWithFiltersAndACursor() {
        String a1 = insert(withGroup(newJob("a"), "g"));
        String a2 = insert("a");
        String b1 = insert(withGroup(newJob("b"), "g"));
        String a3 = insert("a");

        assertThat(ids(new JobListParams(null, null, null, null, 10))).containsExactly(a3, b1, a2, a1);
        assertThat(ids(new JobListParams("a", null, null, null, 2))).containsExactly(a3, a2);
        assertThat(ids(new JobListParams("a", null, null, a2, 2))).containsExactly(a1);
        assertThat(ids(new JobListParams(null, null, "g", null, 10))).containsExactly(b1, a1);
        assertThat(ids(new JobListParams(null, JobState.SCHEDULED, null, null, 10))).isEmpty();
    }

    private List<String> ids(JobListParams p) {
        return store().jobList(p).stream().map(Job::id).toList();
    }

    @Test
    default void getReturnsNothingForAnUnknownId() {
        assertThat(store().jobGet("nope")).isEmpty();
    }
}
