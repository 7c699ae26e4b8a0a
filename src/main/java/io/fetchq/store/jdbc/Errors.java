package io.fetchq.store.jdbc;

/** Turns driver exceptions into the one line a person reads. */
public final class Errors {
    private Errors() {
    }

    /** @return the first line of the innermost cause's message (drivers wrap the useful part deepest) */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return firstLine(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
