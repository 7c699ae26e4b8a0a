package io.fetchq.events;

import io.fetchq.queue.BackgroundService;
import io.fetchq.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process bus that carries job progress to live clients (WebSocket, SSE), bridged across nodes by
 * the store: published events are sent in batches by one sender thread through {@link Store#eventNotify}
 * (NOTIFY on PostgreSQL, so a client on node A sees work done by node B), and every node's subscribers
 * get them back from the store's listener. Publishing never blocks a worker: when the sender falls
 * behind by {@value #MAX_PENDING} events, new ones are dropped and counted (clients re-read state).
 */
public final class EventBus implements BackgroundService {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    static final int MAX_PENDING = 50_000;
    private static final int BATCH = 500;

    /** A subscription; closing it stops deliveries. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final Store store;
    private final LinkedBlockingQueue<Event> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private Thread sender;

    public EventBus(Store store) {
        this.store = store;
        store.addEventListener(this::received);
    }

    public void publish(Event event) {
        if (!pending.offer(event)) {
            long n = dropped.incrementAndGet();
            if (n % 1000 == 1) {
                log.warn("live updates fall behind: {} events dropped so far", n);
            }
        }
    }

    public Subscription subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private void received(String payload) {
        Event.parse(payload).ifPresent(e -> {
            for (Consumer<Event> s : subscribers) {
                try {
                    s.accept(e);
                } catch (RuntimeException ex) {
                    log.debug("an event subscriber failed", ex);
                }
            }
        });
    }

    private void sendLoop() {
        List<Event> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                Event first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                store.eventNotify(batch.stream().map(Event::toJson).toList());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("could not send {} live update(s): {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sender = Thread.ofPlatform().daemon().name("fetchq-events").start(this::sendLoop);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (sender != null) {
            try {
                sender.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
