package io.fetchq.queue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes "jobs may be available in queue Q" hints to whoever waits on Q (a worker's claim loop, a
 * long-polling receive). Fed by the store: after a local commit at once, from other nodes through
 * LISTEN/NOTIFY on PostgreSQL. Hints may be spurious; waiters also poll, so a lost hint only costs latency.
 */
public final class QueueSignals {
    private final Map<String, List<Runnable>> waiters = new ConcurrentHashMap<>();

    /** A registration; {@link #close()} removes it. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    public Subscription subscribe(String queue, Runnable onAvailable) {
        List<Runnable> list = waiters.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
        list.add(onAvailable);
        return () -> list.remove(onAvailable);
    }

    public void signal(String queue) {
        List<Runnable> list = waiters.get(queue);
        if (list != null) {
            for (Runnable r : list) {
                r.run();
            }
        }
    }
}
