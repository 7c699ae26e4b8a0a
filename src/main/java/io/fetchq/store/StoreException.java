package io.fetchq.store;

/** A database operation failed. The message names the operation; the cause holds the driver's error. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
