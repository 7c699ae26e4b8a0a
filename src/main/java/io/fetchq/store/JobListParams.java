package io.fetchq.store;

/**
 * Filters for listing jobs, newest first. Every filter is optional ({@code null}). {@code beforeId} is a
 * cursor: the last id of the previous page.
 */
public record JobListParams(String queue, JobState state, String groupId, String beforeId, int limit) {
}
