package io.fetchq.fetch;

import java.util.Map;
import java.util.Objects;

/**
 * One request: a GET of a page (the usual case), or a POST of a body (webhook deliveries).
 * {@code ifNoneMatch} / {@code ifModifiedSince} (from a stored page's ETag and Last-Modified) make a GET a
 * revalidation that may end in 304. {@code headers} are extra request headers; Authorization and Cookie
 * among them are dropped when a redirect leaves the original host. A POST follows no redirects.
 */
public record FetchRequest(String url, String method, byte[] body, String contentType, String ifNoneMatch,
                           String ifModifiedSince, Map<String, String> headers) {
    public FetchRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A GET, conditional when validators are given. */
    public FetchRequest(String url, String ifNoneMatch, String ifModifiedSince, Map<String, String> headers) {
        this(url, "GET", null, null, ifNoneMatch, ifModifiedSince, headers);
    }

    public static FetchRequest get(String url) {
        return new FetchRequest(url, null, null, Map.of());
    }

    public static FetchRequest post(String url, String contentType, byte[] body, Map<String, String> headers) {
        return new FetchRequest(url, "POST", body, contentType, null, null, headers);
    }

    public boolean isPost() {
        return method.equals("POST");
    }
}
