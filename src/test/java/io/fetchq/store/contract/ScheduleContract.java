package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobState;
import io.fetchq.store.TransitionResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Time: scheduled and retryable jobs become available when their run_at passes, and not before. */
public interface ScheduleContract extends StoreFixture {

    @Test
    default void promoteMovesOnlyDueScheduledAndRetryableJobs() {
        String soon = insert(withDelay(newJob("q"), Duration.ofSeconds(5)));
        String later = insert(withDelay(newJob("q"), Duration.ofSeconds(60)));
        insert("q");
        Job failing = claimOne("q");
        store().jobFailRetry(List.of(new JobFailure(failing.lease(), "boom", Duration.ofSeconds(3))));

        assertThat(store().jobPromoteDue(100).ids()).isEmpty();
        clock().advance(Duration.ofSeconds(5));
        TransitionResult r = store().jobPromoteDue(100);

        assertThat(r.ids()).containsExactlyInAnyOrder(soon, failing.id());
        assertThat(r.queuesMadeAvailable()).containsExactly("q");
        assertThat(state(soon)).isEqualTo(JobState.AVAILABLE);
        assertThat(state(failing.id())).isEqualTo(JobState.AVAILABLE);
        assertThat(state(later)).isEqualTo(JobState.SCHEDULED);
        assertThat(claim("q", 10)).extracting(Job::id).containsExactlyInAnyOrder(soon, failing.id());
    }

    @Test
    default void nextDueInTellsHowLongUntilTheEarliestWaitingJob() {
        assertThat(store().jobNextDueIn()).isEmpty();

        insert(withDelay(newJob("q"), Duration.ofSeconds(90)));
        insert(withDelay(newJob("q"), Duration.ofSeconds(10)));
        insert("q");

        assertThat(store().jobNextDueIn()).contains(Duration.ofSeconds(10));
        clock().advance(Duration.ofSeconds(12));
        assertThat(store().jobNextDueIn()).contains(Duration.ofSeconds(-2));
    }

    @Test
    default void promoteWorksInBatchesOfItsLimit() {
        for (int i = 0; i < 5; i++) {
            insert(withDelay(newJob("q"), Duration.ofSeconds(1)));
        }
        clock().advance(Duration.ofSeconds(1));

        assertThat(store().jobPromoteDue(3).count()).isEqualTo(3);
        assertThat(store().jobPromoteDue(3).count()).isEqualTo(2);
        assertThat(store().jobPromoteDue(3).count()).isZero();
    }
}
