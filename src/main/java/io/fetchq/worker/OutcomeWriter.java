package io.fetchq.worker;

import io.fetchq.queue.Deferral;
import io.fetchq.queue.FailedAttempt;
import io.fetchq.queue.QueueEngine;
import io.fetchq.store.Job;
import io.fetchq.store.Lease;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes handlers' outcomes to the engine in batches: one thread takes everything that finished since
 * its last write and records it in one complete and at most two fail statements. While a write is in
 * flight the next batch gathers, so the batch size follows the load by itself and no handler waits on
 * the database. If the database is unreachable, it retries; a lease that expires meanwhile is rescued
 * and the job runs again (at-least-once), never lost.
 */
final class OutcomeWriter {
    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final int MAX_BATCH = 5_000;

    record Outcome(Job job, JobResult result) {
    }

    private final QueueEngine engine;
    private final LinkedBlockingQueue<Outcome> pending = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    OutcomeWriter(QueueEngine engine) {
        this.engine = engine;
    }

    void submit(Job job, JobResult result) {
        pending.add(new Outcome(job, result));
    }

    synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("fetchq-outcomes").start(this::loop);
    }

    /** Stops after writing everything submitted so far (trying for at most a few seconds if the database is down). */
    synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Outcome> left = new ArrayList<>();
        pending.drainTo(left);
        if (!left.isEmpty()) {
            log.warn("could not record {} outcome(s) before stopping; their jobs will run again after their lease expires",
                    left.size());
        }
    }

    private void loop() {
        List<Outcome> batch = new ArrayList<>();
        long backoffMs = 100;
        int failuresWhileStopping = 0;
        while (running || !pending.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Outcome first = pending.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    pending.drainTo(batch, MAX_BATCH - 1);
                }
                write(batch);
                batch.clear();
                backoffMs = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("could not record {} outcome(s), retrying in {} ms: {}", batch.size(), backoffMs, e.getMessage());
                if (!running && ++failuresWhileStopping >= 3) {
                    pending.addAll(batch);
                    return;
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private void write(List<Outcome> batch) {
        List<Lease> done = new ArrayList<>();
        List<FailedAttempt> failed = new ArrayList<>();
        List<Deferral> deferred = new ArrayList<>();
        for (Outcome o : batch) {
            switch (o.result()) {
                case JobResult.Success s -> done.add(o.job().lease());
                case JobResult.Retry r -> failed.add(new FailedAttempt(o.job(), r.error(), FailedAttempt.Retry.RETRYABLE,
                        r.notBefore()));
                case JobResult.Fail f -> failed.add(FailedAttempt.permanent(o.job(), f.error()));
                case JobResult.Defer d -> deferred.add(new Deferral(o.job(), d.reason(), d.delay()));
            }
        }
        if (!done.isEmpty()) {
            engine.complete(done);
        }
        if (!failed.isEmpty()) {
            engine.fail(failed);
        }
        if (!deferred.isEmpty()) {
            engine.defer(deferred);
        }
    }
}
