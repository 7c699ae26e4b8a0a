package io.fetchq.queue;

import io.fetchq.store.Job;
import java.time.Duration;

/**
 * A job its worker could not run for a reason outside the job (its host asked for a pause, robots.txt was
 * unavailable): it waits {@code delay} and runs again without losing an attempt.
 */
public record Deferral(Job job, String reason, Duration delay) {
}
