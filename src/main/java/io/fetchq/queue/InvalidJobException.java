package io.fetchq.queue;

/**
 * A job or engine request was refused before anything was written. {@link #field()} names the offending
 * input (e.g. {@code jobs[3].priority}) and the message says what is allowed.
 */
public class InvalidJobException extends IllegalArgumentException {
    private final String field;
    private final String reason;

    public InvalidJobException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** What is wrong with the field, without its name: {@code must be between 1 and 10, got 11}. */
    public String reason() {
        return reason;
    }
}
