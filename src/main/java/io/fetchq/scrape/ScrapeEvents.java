package io.fetchq.scrape;

import io.fetchq.events.Event;
import io.fetchq.events.EventBus;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeSettled;
import java.util.List;

/** Publishes a job's progress on the event bus once the store has committed it. */
public final class ScrapeEvents {
    private final EventBus bus;

    public ScrapeEvents(EventBus bus) {
        this.bus = bus;
    }

    /** A bus-less publisher for tests and tools that run no live updates. */
    public static ScrapeEvents none() {
        return new ScrapeEvents(null);
    }

    void settled(ScrapeSettled s) {
        if (bus == null) {
            return;
        }
        for (ScrapeSettled.Row r : s.rows()) {
            bus.publish(Event.urlFinished(r.jobId(), r.idx(), r.url(), r.status(), r.reason()));
        }
        finished(s.finished());
    }

    void finished(List<ScrapeJobRecord> jobs) {
        if (bus == null) {
            return;
        }
        for (ScrapeJobRecord j : jobs) {
            if (j.finishedAt() != null) {
                bus.publish(Event.jobFinished(j.id(), j.status()));
            }
        }
    }
}
