package io.fetchq.scrape;

import java.util.List;

/**
 * A submission was refused whole; nothing was stored or enqueued. {@link #problems()} lists every bad
 * field or URL, each with the index of the URL (or -1 for job-level fields) and a reason a person reads.
 */
public final class InvalidSubmissionException extends IllegalArgumentException {
    /** One problem: {@code field} like {@code urls[3]} or {@code max_attempts}. */
    public record Problem(String field, int index, String url, String reason) {
    }

    private final List<Problem> problems;

    public InvalidSubmissionException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        Problem first = problems.get(0);
        String head = first.field() + " " + first.reason() + (first.url() == null ? "" : " (" + first.url() + ")");
        return problems.size() == 1 ? head : head + "; and " + (problems.size() - 1) + " more problem(s)";
    }
}
