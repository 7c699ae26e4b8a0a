package io.fetchq.store;

/**
 * The database named by {@code --db} cannot be used. The message is one line that names it and says why;
 * the command line prints just that, never a stack trace.
 */
public class StoreOpenException extends StoreException {
    public StoreOpenException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreOpenException(String message) {
        super(message);
    }
}
