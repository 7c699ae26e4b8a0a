package io.fetchq.worker;

import java.time.Duration;

/** How an attempt ended, as a {@link JobHandler} reports it. */
public sealed interface JobResult {
    /** The job is done. */
    record Success() implements JobResult {
    }

    /** Failed, and trying again may help; {@code notBefore} (nullable) is the earliest the next attempt may start. */
    record Retry(String error, Duration notBefore) implements JobResult {
    }

    /** Failed, and trying again cannot help (the job goes dead at once). */
    record Fail(String error) implements JobResult {
    }

    /** Not run for a reason outside the job (a paused host): wait {@code delay}, the attempt does not count. */
    record Defer(String reason, Duration delay) implements JobResult {
    }

    static JobResult success() {
        return new Success();
    }

    static JobResult retry(String error) {
        return new Retry(error, null);
    }

    static JobResult retryAfter(String error, Duration notBefore) {
        return new Retry(error, notBefore);
    }

    static JobResult fail(String error) {
        return new Fail(error);
    }

    static JobResult defer(String reason, Duration delay) {
        return new Defer(reason, delay);
    }
}
