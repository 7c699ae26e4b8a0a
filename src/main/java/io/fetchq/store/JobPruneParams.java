package io.fetchq.store;

import java.time.Duration;

/**
 * Delete at most {@code limit} finished jobs: completed and cancelled ones that finished more than
 * {@code finishedRetention} ago, dead ones more than {@code deadRetention} ago.
 */
public record JobPruneParams(Duration finishedRetention, Duration deadRetention, int limit) {
}
