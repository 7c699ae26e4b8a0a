package io.fetchq.store;

/** How many jobs of one queue are in one state. */
public record QueueStateCount(String queue, JobState state, long count) {
}
