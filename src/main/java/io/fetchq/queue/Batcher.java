package io.fetchq.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Combines concurrent calls into store rounds (leader combining): each caller queues its work; whoever finds
 * a free leader seat (at most {@code leaders} at once) runs everything queued so far (up to {@code maxSize}
 * items) in one go, then wakes the next waiter. Under load, 32 concurrent POSTs cost a handful of
 * statements and a few commits instead of 32 of each; with more than one leader seat, rounds overlap their
 * round trips to the database (fewer seats make bigger rounds); alone, a call leads its own batch at once.
 *
 * @param <I> one caller's input
 * @param <O> what running it gives back
 */
public final class Batcher<I, O> {
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final class Waiter {
        final I input;
        final Thread thread = Thread.currentThread();
        volatile boolean finished;
        O output;
        RuntimeException failure;

        Waiter(I input) {
            this.input = input;
        }
    }

    private final Function<List<I>, List<O>> store;
    private final java.util.function.ToIntFunction<I> size;
    private final int maxSize;
    private final java.util.concurrent.Semaphore lead;
    private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param store runs a batch, returning one output per input in order (or throwing for all of them)
     * @param size  how many items an input holds (a batch holds at most {@code maxSize}, or one bigger input)
     */
    public Batcher(Function<List<I>, List<O>> store, java.util.function.ToIntFunction<I> size, int maxSize, int leaders) {
        this.store = store;
        this.size = size;
        this.maxSize = maxSize;
        this.lead = new java.util.concurrent.Semaphore(leaders);
    }

    /** Runs {@code input}, alone or with others queued meanwhile. @return its output @throws RuntimeException the batch's */
    public O submit(I input) {
        Waiter me = new Waiter(input);
        queue.add(me);
        while (!me.finished) {
            if (!queue.isEmpty() && lead.tryAcquire()) {
                try {
                    while (!me.finished && !queue.isEmpty()) {
                        runBatch();
                    }
                } finally {
                    lead.release();
                }
                Waiter next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.thread);
                }
            } else {
                // another leader has our work (or will hand us a seat): woken when it is done
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
        if (me.failure != null) {
            throw me.failure;
        }
        return me.output;
    }

    private void runBatch() {
        List<Waiter> batch = new ArrayList<>();
        int items = 0;
        synchronized (queue) { // leaders take from the head one at a time, so what one peeks is what it polls
            for (Waiter w = queue.peek(); w != null; w = queue.peek()) {
                int n = size.applyAsInt(w.input);
                if (!batch.isEmpty() && items + n > maxSize) {
                    break;
                }
                queue.poll();
                batch.add(w);
                items += n;
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<O> out = store.apply(batch.stream().map(w -> w.input).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).output = out.get(i);
            }
        } catch (RuntimeException e) {
            for (Waiter w : batch) {
                w.failure = e;
            }
        }
        for (Waiter w : batch) {
            w.finished = true;
            LockSupport.unpark(w.thread);
        }
    }
}
