package io.fetchq.http;

import java.util.List;

/**
 * A request the API refuses, turned into an RFC 9457 {@code application/problem+json} response by
 * {@link Problems}. {@code errors} names each offending field (for validation) with a reason.
 */
public final class ApiProblem extends RuntimeException {
    /** One offending field, such as {@code urls[3]} or {@code priority}. */
    public record FieldError(String field, String reason) {
    }

    private final int status;
    private final List<FieldError> errors;

    public ApiProblem(int status, String detail) {
        this(status, detail, List.of());
    }

    public ApiProblem(int status, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badField(String field, String reason) {
        return new ApiProblem(400, "`" + field + "` " + reason, List.of(new FieldError(field, reason)));
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, what);
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
