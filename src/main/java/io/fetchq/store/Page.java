package io.fetchq.store;

import java.time.Instant;

/**
 * What one fetch of a canonical URL produced, kept once however many jobs asked for it.
 *
 * @param url         the canonical URL (unique)
 * @param headersJson the kept response headers as a JSON object
 * @param bodyCompressed    the body, compressed at rest with zstd (older pages: gzip); null when not kept
 * @param bodySize    the decoded body's size in bytes
 * @param sha256      hex digest of the decoded body
 * @param fetchedAt   when it was fetched, or last revalidated with a 304
 */
public record Page(String id, String url, int status, String finalUrl, String headersJson, String contentType,
                   String charset, byte[] bodyCompressed, long bodySize, String sha256, String title, String text,
                   String etag, String lastModified, Instant fetchedAt) {
}
