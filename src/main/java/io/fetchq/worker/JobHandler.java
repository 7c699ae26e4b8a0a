package io.fetchq.worker;

/**
 * Does the work of one job attempt, on its own virtual thread. Return {@link JobResult#success()} (or
 * null), a retry or a permanent failure; a thrown exception counts as a retryable failure with the
 * exception's message. A handler should stop early when {@link JobContext#isCancelled()} turns true (its
 * thread is also interrupted then): another worker may own the job by now.
 */
@FunctionalInterface
public interface JobHandler {
    JobResult handle(JobContext context) throws Exception;
}
