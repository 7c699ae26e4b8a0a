package io.fetchq.worker;

import io.fetchq.store.Job;

/** What a {@link JobHandler} gets: the claimed job, and whether it should give up. */
public final class JobContext {
    private final Job job;
    private final String workerId;
    private volatile boolean cancelled;

    JobContext(Job job, String workerId) {
        this.job = job;
        this.workerId = workerId;
    }

    public Job job() {
        return job;
    }

    public String payload() {
        return job.payload();
    }

    /** @return 1 for the first attempt */
    public int attempt() {
        return job.attempt();
    }

    public String workerId() {
        return workerId;
    }

    /**
     * @return true once this attempt no longer counts: its lease was lost (expired and rescued, or the job
     *         was cancelled) or the worker is shutting down and handed the job back
     */
    public boolean isCancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}
