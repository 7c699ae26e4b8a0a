package io.fetchq.fetch;

/** A fetch that produced no response: {@link #error()} says why, the message says it for a person. */
public final class FetchException extends Exception {
    private final FetchError error;

    public FetchException(FetchError error, String message) {
        super(message);
        this.error = error;
    }

    public FetchException(FetchError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public FetchError error() {
        return error;
    }
}
