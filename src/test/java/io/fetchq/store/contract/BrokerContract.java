package io.fetchq.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.fetchq.store.BrokerQueueCounts;
import io.fetchq.store.BrokerQueueRecord;
import io.fetchq.store.BrokerStore;
import io.fetchq.store.Job;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobState;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker face's rows, and the job operations only the broker uses (delete by lease, lease expiry, first attempt). */
public interface BrokerContract extends StoreFixture {

    private BrokerStore broker() {
        return store().broker();
    }

    private static BrokerQueueRecord settings(String name, int maxReceives, Duration retention) {
        return new BrokerQueueRecord(name, Duration.ofSeconds(30), maxReceives, retention, 1024, Duration.ZERO, null, null);
    }

    @Test
    default void aQueueIsCreatedThenUpdatedAndItsUnfinishedMessagesTakeTheNewMaxReceiveCount() {
        BrokerStore.Put created = broker().brokerQueuePut(settings("orders", 5, Duration.ofDays(4)), 5);
        assertThat(created.created()).isTrue();
        assertThat(created.queue().createdAt()).isEqualTo(clock().now());
        String waiting = insert(withMaxAttempts(newJob("orders"), 5));
        String finished = insert(withMaxAttempts(newJob("orders"), 5));
        for (Job j : claim("orders", 10)) {
            if (j.id().equals(finished)) {
                store().jobComplete(List.of(j.lease()));
            } else {
                store().jobRelease(List.of(j.lease()));
            }
        }
        clock().advance(Duration.ofSeconds(1));

        BrokerStore.Put updated = broker().brokerQueuePut(settings("orders", 2, Duration.ofDays(1)), 2);

        assertThat(updated.created()).isFalse();
        assertThat(updated.queue().maxReceiveCount()).isEqualTo(2);
        assertThat(updated.queue().retention()).isEqualTo(Duration.ofDays(1));
        assertThat(updated.queue().createdAt()).isEqualTo(created.queue().createdAt());
        assertThat(updated.queue().updatedAt()).isEqualTo(clock().now());
        assertThat(broker().brokerQueueGet("orders")).contains(updated.queue());
        assertThat(job(waiting).maxAttempts()).isEqualTo(2);
        assertThat(job(finished).maxAttempts()).as("finished: left alone").isEqualTo(5);
        assertThat(broker().brokerQueueList()).extracting(BrokerQueueRecord::name).containsExactly("orders");
    }

    @Test
    default void deletingAQueueDeletesItsMessagesAndAPutLaterMakesANewOne() {
        broker().brokerQueuePut(settings("gone", 5, Duration.ofDays(4)), 5);
        String message = insert("gone");
        String other = insert("kept");
        broker().brokerDedupeRecord("gone", Map.of("d1", message), Duration.ofMinutes(5));

        assertThat(broker().brokerQueueDelete("gone")).isTrue();

        assertThat(broker().brokerQueueGet("gone")).isEmpty();
        assertThat(broker().brokerQueueList()).isEmpty();
        assertThat(store().jobGet(message)).isEmpty();
        assertThat(store().jobGet(other)).isPresent();
        assertThat(broker().brokerDedupeLookup("gone", List.of("d1"))).isEmpty();
        assertThat(broker().brokerQueueDelete("gone")).as("already deleted").isFalse();

        clock().advance(Duration.ofSeconds(5));
        BrokerStore.Put again = broker().brokerQueuePut(settings("gone", 5, Duration.ofDays(4)), 5);
        assertThat(again.created()).isTrue();
        assertThat(again.queue().createdAt()).isEqualTo(clock().now());
    }

    @Test
    default void countsSplitMessagesByWhatAConsumerSees() {
        broker().brokerQueuePut(settings("c", 5, Duration.ofDays(4)), 5);
        String visible = insert("c");
        insert(withDelay(newJob("c"), Duration.ofMinutes(1)));
        String inFlight = insert("c");
        String dead = insert(withMaxAttempts(newJob("c"), 1));
        for (Job j : claim("c", 10)) {
            if (j.id().equals(visible)) {
                store().jobRelease(List.of(j.lease()));
            } else if (j.id().equals(dead)) {
                store().jobFailDead(List.of(new JobFailure(j.lease(), "x", null)));
            }
        }
        assertThat(state(inFlight)).isEqualTo(JobState.RUNNING);

        Map<String, BrokerQueueCounts> counts = broker().brokerQueueCounts(List.of("c", "empty"));

        assertThat(counts.get("c")).isEqualTo(new BrokerQueueCounts(1, 1, 1, 1));
        assertThat(counts.get("empty")).isEqualTo(BrokerQueueCounts.EMPTY);
    }

    @Test
    default void purgeDeletesOnlyTheStatesAskedFor() {
        insert("p");
        insert(withDelay(newJob("p"), Duration.ofMinutes(1)));
        insert(withMaxAttempts(newJob("p"), 1));
        store().jobFailDead(List.of(new JobFailure(claim("p", 5).stream().filter(j -> j.maxAttempts() == 1)
                .findFirst().orElseThrow().lease(), "x", null)));

        int purged = broker().brokerMessagesDelete("p", EnumSet.of(JobState.AVAILABLE, JobState.SCHEDULED,
                JobState.RUNNING, JobState.RETRYABLE));

        assertThat(purged).isEqualTo(2);
        assertThat(broker().brokerQueueCounts(List.of("p")).get("p")).isEqualTo(new BrokerQueueCounts(0, 0, 0, 1));
    }

    @Test
    default void aDedupeIdIsHeldForItsWindowOnly() {
        broker().brokerDedupeRecord("q", Map.of("a", "m1", "b", "m2"), Duration.ofMinutes(5));
        broker().brokerDedupeRecord("q", Map.of("a", "m3"), Duration.ofMinutes(5));

        assertThat(broker().brokerDedupeLookup("q", List.of("a", "b", "c"))).isEqualTo(Map.of("a", "m1", "b", "m2"));
        assertThat(broker().brokerDedupeLookup("other", List.of("a"))).isEmpty();

        clock().advance(Duration.ofMinutes(5).plusMillis(1));
        assertThat(broker().brokerDedupeLookup("q", List.of("a"))).isEmpty();
        broker().brokerDedupeRecord("q", Map.of("a", "m4"), Duration.ofMinutes(5));
        assertThat(broker().brokerDedupeLookup("q", List.of("a"))).isEqualTo(Map.of("a", "m4"));
    }

    @Test
    default void pruneDeletesMessagesPastRetentionExpiredDedupeIdsAndOldTombstones() {
        broker().brokerQueuePut(settings("short", 5, Duration.ofMinutes(1)), 5);
        broker().brokerQueuePut(settings("long", 5, Duration.ofDays(1)), 5);
        String old = insert("short");
        String oldButKept = insert("long");
        String unrelated = insert("fetch");
        broker().brokerDedupeRecord("short", Map.of("d", old), Duration.ofSeconds(30));
        broker().brokerQueuePut(settings("deleted", 5, Duration.ofDays(1)), 5);
        broker().brokerQueueDelete("deleted");
        String straggler = insert("deleted"); // sent by a node that had not seen the deletion yet
        clock().advance(Duration.ofMinutes(2));
        String fresh = insert("short");

        int pruned = broker().brokerPrune(1000, Duration.ofMinutes(5));

        assertThat(pruned).isEqualTo(3);
        assertThat(store().jobGet(old)).isEmpty();
        assertThat(store().jobGet(straggler)).isEmpty();
        assertThat(store().jobGet(fresh)).isPresent();
        assertThat(store().jobGet(oldButKept)).isPresent();
        assertThat(store().jobGet(unrelated)).as("not a broker queue").isPresent();

        clock().advance(Duration.ofMinutes(4));
        assertThat(broker().brokerPrune(1000, Duration.ofMinutes(5))).as("the fresh one is past retention too, and "
                + "the tombstone is 6 minutes old").isEqualTo(2);
        assertThat(store().jobGet(fresh)).isEmpty();
        assertThat(broker().brokerPrune(1000, Duration.ofMinutes(5))).isZero();
    }

    @Test
    default void deleteLeasedDeletesOnlyJobsWhoseLeaseIsCurrent() {
        insert("d");
        insert("d");
        List<Job> claimed = claim("d", 2);
        Job stale = claimed.get(1);
        store().jobHeartbeat(List.of(stale.lease()), Duration.ZERO);
        clock().advance(Duration.ofMillis(1));
        store().jobRescueExpired(10);
        Job again = claimOne("d");

        List<String> deleted = store().jobDeleteLeased(List.of(claimed.get(0).lease(), stale.lease()));

        assertThat(deleted).containsExactly(claimed.get(0).id());
        assertThat(store().jobGet(claimed.get(0).id())).isEmpty();
        assertThat(job(again.id()).state()).isEqualTo(JobState.RUNNING);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(store().jobDeleteLeased(List.of(again.lease()))).containsExactly(again.id());
        assertThat(store().jobDeleteLeased(List.of())).isEmpty();
    }

    @Test
    default void theFirstAttemptTimeIsSetOnceAndTheNextLeaseExpiryIsKnown() {
        assertThat(store().jobNextLeaseExpiryIn()).isEmpty();
        String id = insert("f");
        assertThat(job(id).firstAttemptedAt()).isNull();
        Job first = claimOne("f");
        assertThat(first.firstAttemptedAt()).isEqualTo(clock().now());
        assertThat(store().jobNextLeaseExpiryIn()).contains(LEASE);

        store().jobRelease(List.of(first.lease()));
        java.time.Instant firstAt = clock().now();
        clock().advance(Duration.ofSeconds(3));
        Job second = claimOne("f");

        assertThat(second.firstAttemptedAt()).isEqualTo(firstAt);
        assertThat(second.attemptedAt()).isEqualTo(clock().now());
        clock().advance(Duration.ofSeconds(40));
        assertThat(store().jobNextLeaseExpiryIn()).contains(Duration.ofSeconds(-10));
    }
}
