package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.JobState;
import io.fetchq.store.JobState.Transition;
import io.fetchq.store.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks every state against every operation: an operation moves a job exactly when
 * {@link JobState.Transition} allows it from that state, to the state it names, and leaves every other
 * job untouched. Together with the unit test of the enum, this proves the store implements the one
 * state machine and nothing else.
 */
public interface TransitionContract extends StoreFixture {

    static Stream<Arguments> everyStateAndOperation() {
        List<Arguments> cases = new ArrayList<>();
        for (JobState from : JobState.values()) {
            for (Transition op : Transition.values()) {
                cases.add(Arguments.of(from, op));
            }
        }
        return cases.stream();
    }

    /** A job brought into a state, and the last lease it was given (or one never issued). */
    record Arranged(String id, Lease lease) {
    }

    @ParameterizedTest(name = "{1} on a {0} job")
    @MethodSource("io.fetchq.store.contract.TransitionContract#everyStateAndOperation")
    default void anOperationMovesAJobOnlyAlongAnAllowedTransition(JobState from, Transition op) {
        int maxAttempts = op == Transition.RESCUE_DEAD ? 1 : 3;
        Arranged job = arrange(from, maxAttempts);
        assertThat(state(job.id())).as("arranged state").isEqualTo(from);

        apply(op, job);

        JobState expected = op.appliesTo(from) ? op.to() : from;
        assertThat(state(job.id())).as("%s on a %s job", op, from).isEqualTo(expected);
    }

    private Arranged arrange(JobState state, int maxAttempts) {
        String id = insert(withMaxAttempts(
                state == JobState.SCHEDULED ? withDelay(newJob("walk"), Duration.ofHours(1)) : newJob("walk"), maxAttempts));
        Lease never = new Lease(id, "never-issued");
        switch (state) {
            case AVAILABLE, SCHEDULED -> {
                return new Arranged(id, never);
            }
            case CANCELLED -> {
                store().jobCancel(id);
                return new Arranged(id, never);
            }
            default -> {
                Job running = claimOne("walk");
                switch (state) {
                    case RETRYABLE -> store().jobFailRetry(List.of(new JobFailure(running.lease(), "x", Duration.ofHours(1))));
                    case COMPLETED -> store().jobComplete(List.of(running.lease()));
                    case DEAD -> store().jobFailDead(List.of(new JobFailure(running.lease(), "x", null)));
                    default -> {
                        // RUNNING: leave it held
                    }
                }
                return new Arranged(id, running.lease());
            }
        }
    }

    private void apply(Transition op, Arranged job) {
        switch (op) {
            case CLAIM -> claim("walk", 10);
            case COMPLETE -> store().jobComplete(List.of(job.lease()));
            case FAIL_RETRY -> store().jobFailRetry(List.of(new JobFailure(job.lease(), "x", Duration.ofMinutes(1))));
            case DEFER -> store().jobDefer(List.of(new JobFailure(job.lease(), "host paused", Duration.ofMinutes(1))));
            case FAIL_DEAD -> store().jobFailDead(List.of(new JobFailure(job.lease(), "x", null)));
            case RELEASE -> store().jobRelease(List.of(job.lease()));
            case RESCUE_RETRY, RESCUE_DEAD -> {
                clock().advance(LEASE.plusSeconds(1));
                store().jobRescueExpired(100);
            }
            case PROMOTE -> {
                clock().advance(Duration.ofHours(2));
                store().jobPromoteDue(100);
            }
            case CANCEL -> store().jobCancel(job.id());
            case REQUEUE -> store().jobRequeueDead(JobRequeueParams.ofIds(List.of(job.id())));
        }
    }
}
