package io.fetchq.store;

import java.util.Objects;

/**
 * The right to finish one running job: its id and the token its claim issued. Every claim issues a new
 * token, and complete/fail/heartbeat/release change nothing unless the token is still the job's current
 * one, so a worker whose lease expired cannot overwrite the outcome of a newer attempt (fencing).
 */
public record Lease(String jobId, String token) {
    public Lease {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(token, "token");
    }
}
