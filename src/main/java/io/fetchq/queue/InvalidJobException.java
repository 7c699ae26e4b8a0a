package io.fetchq.queue;

/**
 * A job or engine request was refused before anything was written. {@link #field()} names the offending
 * input (e.g. {@code jobs[3].priority}) and the message says what is allowed.
 */
public class InvalidJobException extends IllegalArgumentException {
    private final String field;

    public InvalidJobException(String field, String message) {
        super(field + " " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
