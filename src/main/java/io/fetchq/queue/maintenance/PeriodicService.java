package io.fetchq.queue.maintenance;

import io.fetchq.queue.BackgroundService;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background service that runs one pass, waits the time the pass asks for (or until {@link #wake()}),
 * and repeats on its own daemon thread. A failing pass is logged and retried after {@code errorPause};
 * it never kills the thread.
 */
public abstract class PeriodicService implements BackgroundService {
    private static final Logger log = LoggerFactory.getLogger(PeriodicService.class);

    private final String name;
    private final Duration errorPause;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    private boolean failing;

    protected PeriodicService(String name, Duration errorPause) {
        this.name = name;
        this.errorPause = errorPause;
    }

    /** One pass. @return how long to wait before the next one */
    protected abstract Duration runOnce();

    @Override
    public String name() {
        return name;
    }

    /** Cuts the current wait short, so the next pass runs now. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("fetchq-" + name).start(this::loop);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wakeups.release();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            Duration pause;
            try {
                pause = runOnce();
                if (failing) {
                    log.info("{} works again", name);
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("{} failed, retrying every {} until it works: {}", name, errorPause, e.getMessage());
                    failing = true;
                }
                pause = errorPause;
            }
            try {
                if (wakeups.tryAcquire(Math.max(1, pause.toMillis()), TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
