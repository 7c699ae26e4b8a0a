package io.fetchq.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker face's own rows: named queues with their settings and the dedupe ids of sent messages. The
 * messages themselves are engine jobs of the queue (a receive is a claim, a receipt a lease token), so
 * they go through the {@link Store}'s job operations. Part of the {@link Store} contract.
 */
public interface BrokerStore {
    /** What {@link #brokerQueuePut} did. */
    record Put(BrokerQueueRecord queue, boolean created) {
    }

    /**
     * Creates the queue with these settings, or updates an existing one's (a deleted queue comes back as a new
     * one). In the same transaction, the queue's unfinished messages take {@code maxAttempts} (what its max
     * receive count means to the engine).
     */
    Put brokerQueuePut(BrokerQueueRecord settings, int maxAttempts);

    /** The queue, unless it does not exist or was deleted. */
    Optional<BrokerQueueRecord> brokerQueueGet(String name);

    /** Every queue, by name. */
    List<BrokerQueueRecord> brokerQueueList();

    /**
     * Deletes the queue and every message and dedupe id of it, in one transaction. The queue stays as a
     * tombstone until {@link #brokerPrune} removes it, so that messages sent by a node that had not yet seen
     * the deletion are deleted too. @return false if there was no such queue
     */
    boolean brokerQueueDelete(String name);

    /** Deletes the queue's messages in the given states. @return how many */
    int brokerMessagesDelete(String queue, Collection<JobState> states);

    /** Message counts of each named queue (a queue with none maps to {@link BrokerQueueCounts#EMPTY}). */
    Map<String, BrokerQueueCounts> brokerQueueCounts(Collection<String> names);

    /** @return for each of these dedupe ids still held in the queue, the id of the message holding it */
    Map<String, String> brokerDedupeLookup(String queue, Collection<String> dedupeIds);

    /**
     * Records that each dedupe id (key) is held by a message (value) for {@code window}, unless another
     * message already holds it.
     */
    void brokerDedupeRecord(String queue, Map<String, String> messageByDedupeId, Duration window);

    /**
     * One maintenance pass of at most {@code limit} rows per kind: messages past their queue's retention and
     * messages of deleted queues, expired dedupe ids, and tombstones older than {@code tombstoneAge} with no
     * message left. @return how many rows were deleted
     */
    int brokerPrune(int limit, Duration tombstoneAge);
}
