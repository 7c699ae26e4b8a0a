package io.fetchq.queue;

import java.time.Duration;
import java.time.Instant;

/**
 * A job to enqueue. Only queue and payload are required; {@code null} fields take the engine's defaults
 * (priority 5, the engine's max attempts, run now). Build with {@link #of} and the {@code with...} methods:
 * {@code NewJob.of("emails", json).withPriority(2).withDelay(Duration.ofMinutes(5))}.
 *
 * @param payload    opaque text, usually JSON; the engine stores it and hands it back, never parsing it
 * @param priority   1 (runs first) … 10 (runs last)
 * @param delay      run no earlier than this long after the database's now (exclusive with {@code runAt})
 * @param runAt      run no earlier than this instant (exclusive with {@code delay})
 * @param dedupeKey  while an unfinished job of the queue has this key, enqueueing returns that job instead
 * @param groupId    lets a caller cancel, requeue or count jobs together
 */
public record NewJob(
        String queue,
        String payload,
        Integer priority,
        Integer maxAttempts,
        Duration delay,
        Instant runAt,
        String dedupeKey,
        String groupId) {

    public static NewJob of(String queue, String payload) {
        return new NewJob(queue, payload, null, null, null, null, null, null);
    }

    public NewJob withPriority(int p) {
        return new NewJob(queue, payload, p, maxAttempts, delay, runAt, dedupeKey, groupId);
    }

    public NewJob withMaxAttempts(int n) {
        return new NewJob(queue, payload, priority, n, delay, runAt, dedupeKey, groupId);
    }

    public NewJob withDelay(Duration d) {
        return new NewJob(queue, payload, priority, maxAttempts, d, runAt, dedupeKey, groupId);
    }

    public NewJob withRunAt(Instant at) {
        return new NewJob(queue, payload, priority, maxAttempts, delay, at, dedupeKey, groupId);
    }

    public NewJob withDedupeKey(String key) {
        return new NewJob(queue, payload, priority, maxAttempts, delay, runAt, key, groupId);
    }

    public NewJob withGroup(String group) {
        return new NewJob(queue, payload, priority, maxAttempts, delay, runAt, dedupeKey, group);
    }
}
