package io.fetchq.queue;

import io.fetchq.store.Job;
import java.time.Duration;
import java.util.List;

/**
 * A worker of this node that jobs can be handed to as they are enqueued. When a queue's worker here is
 * idle and its last claim found the queue empty, a job enqueued on this node is inserted already leased
 * to it and handed over in-process, so it starts after one database round trip instead of two (insert,
 * then claim). The job is durably recorded as running under a lease before its handler starts, so a
 * crash is handled exactly like after a normal claim.
 */
public interface LocalConsumer {
    String workerId();

    Duration lease();

    /**
     * Reserves up to {@code max} free slots for jobs about to be enqueued. Reserves nothing unless the worker
     * is idle enough that a claim would have taken these jobs at once anyway.
     *
     * @return how many slots were reserved
     */
    int reserve(int max);

    /**
     * Receives the jobs inserted already leased to this worker (at most {@code reserved}) and frees the
     * reservations left over. Called exactly once after every {@link #reserve} that returned more than 0,
     * with an empty list if the insert failed.
     */
    void handOver(List<Job> jobs, int reserved);
}
