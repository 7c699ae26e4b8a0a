package io.fetchq.queue;

import java.util.regex.Pattern;

/** The one rule for queue names: 1–80 letters, digits, {@code -} or {@code _}. */
public final class QueueNames {
    public static final int MAX_LENGTH = 80;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");

    private QueueNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** @throws InvalidJobException naming {@code field} when the name breaks the rule */
    public static String check(String field, String name) {
        if (!isValid(name)) {
            throw new InvalidJobException(field, "must be 1-" + MAX_LENGTH
                    + " letters, digits, '-' or '_', got " + (name == null ? "nothing" : "'" + abbreviate(name) + "'"));
        }
        return name;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
