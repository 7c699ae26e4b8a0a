package io.fetchq.store;

import static io.fetchq.store.JobState.AVAILABLE;
import static io.fetchq.store.JobState.CANCELLED;
import static io.fetchq.store.JobState.COMPLETED;
import static io.fetchq.store.JobState.DEAD;
import static io.fetchq.store.JobState.RETRYABLE;
import static io.fetchq.store.JobState.RUNNING;
import static io.fetchq.store.JobState.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void theAllowedMovesAreExactlyThoseOfTheDesign() {
        Map<JobState, Set<JobState>> design = Map.of(
                AVAILABLE, Set.of(RUNNING, CANCELLED),
                SCHEDULED, Set.of(AVAILABLE, CANCELLED),
                RUNNING, Set.of(COMPLETED, RETRYABLE, DEAD, AVAILABLE, CANCELLED),
                RETRYABLE, Set.of(AVAILABLE, CANCELLED),
                COMPLETED, Set.of(),
                DEAD, Set.of(AVAILABLE),
                CANCELLED, Set.of());

        for (JobState s : JobState.values()) {
            assertThat(s.allowedNext()).as("moves out of %s", s).isEqualTo(design.get(s));
        }
    }

    @Test
    void onlyCompletedDeadAndCancelledAreFinished() {
        assertThat(Set.of(JobState.values()).stream().filter(JobState::isFinished))
                .containsExactlyInAnyOrder(COMPLETED, DEAD, CANCELLED);
    }

    @Test
    void databaseNamesRoundTripAndUnknownNamesAreRefused() {
        for (JobState s : JobState.values()) {
            assertThat(JobState.fromDbName(s.dbName())).isEqualTo(s);
        }
        assertThatThrownBy(() -> JobState.fromDbName("paused")).hasMessageContaining("available");
    }
}
