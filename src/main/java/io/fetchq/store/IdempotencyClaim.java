package io.fetchq.store;

import java.time.Instant;

/**
 * An idempotency key as first claimed: the request it came with (sha256 of method, path and body), its
 * job, and when it was claimed.
 */
public record IdempotencyClaim(String requestSha256, String jobId, Instant claimedAt) {
}
