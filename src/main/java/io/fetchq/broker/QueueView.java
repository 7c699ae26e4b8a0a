package io.fetchq.broker;

import io.fetchq.store.BrokerQueueCounts;
import io.fetchq.store.BrokerQueueRecord;

/** A queue with its settings and message counts, as the API shows it. */
public record QueueView(BrokerQueueRecord queue, BrokerQueueCounts counts) {
}
