package io.fetchq.fetch;

import java.util.Map;
import java.util.Objects;

/**
 * One URL to fetch with GET. {@code ifNoneMatch} / {@code ifModifiedSince} (from a stored page's ETag and
 * Last-Modified) make it a revalidation that may end in 304. {@code headers} are extra request headers;
 * Authorization and Cookie among them are dropped when a redirect leaves the original host.
 */
public record FetchRequest(String url, String ifNoneMatch, String ifModifiedSince, Map<String, String> headers) {
    public FetchRequest {
        Objects.requireNonNull(url, "url");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static FetchRequest get(String url) {
        return new FetchRequest(url, null, null, Map.of());
    }
}
