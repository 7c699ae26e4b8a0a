package io.fetchq.store;

/** An idempotency key as first claimed: the request it came with (sha256 of method, path and body) and its job. */
public record IdempotencyClaim(String requestSha256, String jobId) {
}
