package io.fetchq.queue;

/** The one lifecycle every background service has: the worker pool, the rescuer, the scheduler, the pruner. */
public interface BackgroundService {
    String name();

    /** Starts the service's thread(s); calling it twice does nothing. */
    void start();

    /** Stops it and waits for its thread(s) to end; calling it twice does nothing. */
    void stop();
}
