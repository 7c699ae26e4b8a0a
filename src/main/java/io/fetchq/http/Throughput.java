package io.fetchq.http;

import io.fetchq.events.Event;
import io.fetchq.events.EventBus;
import io.fetchq.events.EventKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * URLs finished per second over the last minute, counted from the event bus (so on PostgreSQL it is the
 * whole cluster's rate, as this node hears it): a ring of 60 one-second buckets.
 */
final class Throughput implements AutoCloseable {
    private static final int SECONDS = 60;
    private final AtomicLongArray completed = new AtomicLongArray(SECONDS);
    private final AtomicLongArray failed = new AtomicLongArray(SECONDS);
    private final long[] bucketSecond = new long[SECONDS];
    private final EventBus.Subscription subscription;

    Throughput(EventBus bus) {
        subscription = bus.subscribe(this::count);
    }

    private void count(Event e) {
        if (e.kind() != EventKind.URL_FINISHED) {
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        int i = bucket(now);
        (("completed".equals(e.status())) ? completed : failed).incrementAndGet(i);
    }

    private synchronized int bucket(long second) {
        int i = (int) (second % SECONDS);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            completed.set(i, 0);
            failed.set(i, 0);
        }
        return i;
    }

    /** Rates over the last full minute, and per second (oldest first) for charts. */
    synchronized Map<String, Object> perSecond() {
        long now = System.currentTimeMillis() / 1000;
        long[] done = new long[SECONDS];
        long[] bad = new long[SECONDS];
        long sumDone = 0;
        long sumBad = 0;
        for (int k = 0; k < SECONDS; k++) {
            long second = now - SECONDS + k;
            int i = (int) (second % SECONDS);
            if (bucketSecond[i] == second) {
                done[k] = completed.get(i);
                bad[k] = failed.get(i);
                sumDone += done[k];
                sumBad += bad[k];
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window_seconds", SECONDS);
        out.put("urls_completed_per_s", sumDone / (double) SECONDS);
        out.put("urls_failed_per_s", sumBad / (double) SECONDS);
        out.put("completed_per_second", done);
        out.put("failed_per_second", bad);
        return out;
    }

    @Override
    public void close() {
        subscription.close();
    }
}
