package io.fetchq.store;

/**
 * Told that jobs may have become available in a queue: inserted, promoted, released, rescued or
 * requeued, by this process or (on PostgreSQL, through LISTEN/NOTIFY) by another node. A hint only:
 * the listener must cope with finding nothing, and must return quickly (it runs on the store's thread).
 */
@FunctionalInterface
public interface JobsAvailableListener {
    void jobsAvailable(String queue);
}
