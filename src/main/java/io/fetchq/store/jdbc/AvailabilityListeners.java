package io.fetchq.store.jdbc;

import io.fetchq.store.JobsAvailableListener;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link JobsAvailableListener}s of one store; a listener that throws is logged, never propagated. */
public final class AvailabilityListeners {
    private static final Logger log = LoggerFactory.getLogger(AvailabilityListeners.class);
    private final List<JobsAvailableListener> listeners = new CopyOnWriteArrayList<>();

    public void add(JobsAvailableListener listener) {
        listeners.add(listener);
    }

    public void fire(Collection<String> queues) {
        for (String queue : queues) {
            fire(queue);
        }
    }

    public void fire(String queue) {
        for (JobsAvailableListener l : listeners) {
            try {
                l.jobsAvailable(queue);
            } catch (RuntimeException e) {
                log.warn("a jobs-available listener failed for queue {}", queue, e);
            }
        }
    }
}
