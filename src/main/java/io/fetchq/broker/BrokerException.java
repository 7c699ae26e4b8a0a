package io.fetchq.broker;

/**
 * A broker request refused before anything changed, with the HTTP-neutral kind of refusal; {@link #field()}
 * names the offending input when there is one ({@code messages[2].body}).
 */
public final class BrokerException extends RuntimeException {
    /** Why: maps one to one to a status code at the HTTP edge. */
    public enum Kind { INVALID, NOT_FOUND, STALE_RECEIPT }

    private final Kind kind;
    private final String field;
    private final String reason;

    private BrokerException(Kind kind, String field, String reason, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.reason = reason;
    }

    public static BrokerException invalid(String field, String reason) {
        return new BrokerException(Kind.INVALID, field, reason, "`" + field + "` " + reason);
    }

    public static BrokerException noQueue(String name) {
        return new BrokerException(Kind.NOT_FOUND, null, null,
                "no queue named '" + name + "'; create it with PUT /queues/" + name);
    }

    public static BrokerException stale(String detail) {
        return new BrokerException(Kind.STALE_RECEIPT, "receipt", detail, detail);
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    /** What is wrong with {@link #field()}, without its name. */
    public String reason() {
        return reason;
    }
}
