package io.fetchq.store.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event listeners of a store; one failing listener never keeps a payload from the others. */
public final class EventListeners {
    private static final Logger log = LoggerFactory.getLogger(EventListeners.class);
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void add(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void fire(String payload) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(payload);
            } catch (RuntimeException e) {
                log.warn("an event listener failed", e);
            }
        }
    }
}
