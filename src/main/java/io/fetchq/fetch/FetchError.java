package io.fetchq.fetch;

/**
 * Why a fetch produced no response, with the reason code kept on the failed URL and whether trying again
 * later may help. HTTP statuses are not errors here: the caller decides what a 404 or a 503 means.
 */
public enum FetchError {
    /** The SSRF guard refused the URL or an address it resolves to. Never retried. */
    BLOCKED_ADDRESS("blocked_address", false),
    /** The URL cannot be fetched as written (syntax, missing host). */
    INVALID_URL("invalid_url", false),
    TOO_MANY_REDIRECTS("too_many_redirects", false),
    REDIRECT_LOOP("redirect_loop", false),
    /** The decoded body exceeded the size cap; reading stopped there. */
    BODY_TOO_LARGE("body_too_large", false),
    /** A Content-Encoding we do not decode, or a body that does not decode. */
    BAD_CONTENT_ENCODING("bad_content_encoding", false),
    TLS_ERROR("tls_error", false),
    DNS_FAILURE("dns_failure", true),
    CONNECTION_FAILED("connection_failed", true),
    TIMEOUT("timeout", true),
    NETWORK_ERROR("network_error", true);

    private final String code;
    private final boolean retryable;

    FetchError(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** @return the short reason code stored with a failed URL ({@code blocked_address}, ...) */
    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
