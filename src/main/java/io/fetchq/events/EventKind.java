package io.fetchq.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one closed set of things fetchq tells clients about, the same over WebSocket, SSE and webhooks.
 */
public enum EventKind {
    /** A URL of a job reached a final state: completed, failed or cancelled. */
    URL_FINISHED("url.finished"),
    /** A job reached a final state: completed, failed (every URL failed) or cancelled. */
    JOB_FINISHED("job.finished");

    private final String wireName;

    EventKind(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name clients see, such as {@code url.finished} */
    public String wireName() {
        return wireName;
    }

    public static Optional<EventKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
