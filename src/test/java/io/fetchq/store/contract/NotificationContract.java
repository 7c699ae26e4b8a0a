package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobRequeueParams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Wake-ups: every operation that makes jobs available tells this node's listeners, after commit. */
public interface NotificationContract extends StoreFixture {

    @Test
    default void everyOperationThatMakesJobsAvailableWakesListenersOfThatQueue() {
        List<String> heard = new CopyOnWriteArrayList<>();
        store().addJobsAvailableListener(heard::add);

        insert("n-insert");
        assertThat(heard).containsExactly("n-insert");

        heard.clear();
        insert(withDelay(newJob("n-delayed"), Duration.ofSeconds(5)));
        assertThat(heard).as("a delayed job is not available yet").isEmpty();
        clock().advance(Duration.ofSeconds(5));
        store().jobPromoteDue(100);
        assertThat(heard).containsExactly("n-delayed");

        heard.clear();
        insert("n-release");
        heard.clear();
        store().jobRelease(List.of(claimOne("n-release").lease()));
        assertThat(heard).containsExactly("n-release");

        insert("n-rescue");
        claimOne("n-rescue");
        heard.clear();
        clock().advance(LEASE.plusSeconds(1));
        store().jobRescueExpired(100);
        assertThat(heard).contains("n-rescue");

        insert("n-requeue");
        Job running = claimOne("n-requeue");
        store().jobFailDead(List.of(new JobFailure(running.lease(), "x", null)));
        heard.clear();
        store().jobRequeueDead(JobRequeueParams.ofQueue("n-requeue"));
        assertThat(heard).containsExactly("n-requeue");
    }

    @Test
    default void operationsThatMakeNothingAvailableWakeNobody() {
        insert("n-quiet");
        Job running = claimOne("n-quiet");
        List<String> heard = new CopyOnWriteArrayList<>();
        store().addJobsAvailableListener(heard::add);

        store().jobComplete(List.of(running.lease()));
        store().jobPromoteDue(100);
        store().jobRescueExpired(100);

        assertThat(heard).isEmpty();
    }
}
