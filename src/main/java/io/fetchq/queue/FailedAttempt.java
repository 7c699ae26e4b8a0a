package io.fetchq.queue;

import io.fetchq.store.Job;
import java.time.Duration;

/**
 * An attempt that failed, as a worker reports it.
 *
 * @param job       the job as it was claimed (its lease, attempt and max attempts decide what happens)
 * @param error     a short message a person can read; kept as the job's last error
 * @param retry     whether trying again may help (a timeout: yes; a 404: no)
 * @param notBefore the earliest the next attempt may start, e.g. from {@code Retry-After}; null if none
 */
public record FailedAttempt(Job job, String error, Retry retry, Duration notBefore) {
    public enum Retry { RETRYABLE, NOT_RETRYABLE }

    public static FailedAttempt retryable(Job job, String error) {
        return new FailedAttempt(job, error, Retry.RETRYABLE, null);
    }

    public static FailedAttempt permanent(Job job, String error) {
        return new FailedAttempt(job, error, Retry.NOT_RETRYABLE, null);
    }
}
