package io.fetchq.store;

import java.time.Instant;

/** How fresh a stored page is, and what to revalidate it with. */
public record PageValidators(String id, String url, Instant fetchedAt, String etag, String lastModified) {
}
