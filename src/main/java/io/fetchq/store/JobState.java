package io.fetchq.store;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of an engine job, and the only moves it may make. Each state says what moves a job out of it;
 * {@link Transition} lists every allowed move with the operation that makes it. Stores implement each
 * transition as one statement guarded by the states it starts from (and, for a running job, its lease
 * token), so a move not listed here cannot happen, whatever callers do.
 *
 * <pre>
 *  available ──claim──▶ running ──complete──▶ completed
 *      ▲                  │ fail (attempt &lt; max) ──▶ retryable ──promote (run_at passed)──▶ available
 *      │                  │ defer (outside cause, attempt not counted) ──▶ retryable
 *      │                  │ fail (attempt = max, or not retryable) ──▶ dead
 *      │                  │ lease expired: rescue ──▶ available (attempt &lt; max) or dead
 *      │                  │ release (graceful shutdown) ──▶ available
 *  scheduled ──promote──▶ available            any unfinished ──cancel──▶ cancelled
 *  dead ──requeue──▶ available (attempt reset)
 * </pre>
 */
public enum JobState {
    /** Ready to run now. Claim moves it to RUNNING; cancel to CANCELLED. */
    AVAILABLE,
    /** Enqueued with a future run_at. Promote moves it to AVAILABLE once run_at has passed; cancel to CANCELLED. */
    SCHEDULED,
    /**
     * Held by one worker under a lease (token and expiry). Complete, fail, rescue (lease expired), release
     * (the worker hands it back) and cancel move it out; only the holder of the current token may complete,
     * fail or release it.
     */
    RUNNING,
    /** Failed with attempts left, waiting for its backoff (run_at). Promote moves it to AVAILABLE; cancel to CANCELLED. */
    RETRYABLE,
    /** Finished successfully. Final; retention pruning deletes it later. */
    COMPLETED,
    /** Failed for good (attempts used up, or an error that must not be retried): the dead letters. Requeue moves it to AVAILABLE. */
    DEAD,
    /** Cancelled before it finished. Final; retention pruning deletes it later. */
    CANCELLED;

    /** States from which a job can still run: the ones cancel applies to and a dedupe key is unique among. */
    public static final Set<JobState> UNFINISHED = EnumSet.of(AVAILABLE, SCHEDULED, RUNNING, RETRYABLE);

    /** @return true for COMPLETED, DEAD and CANCELLED (the states that carry a finished_at time) */
    public boolean isFinished() {
        return !UNFINISHED.contains(this);
    }

    /** @return the name stored in the database ({@code "available"}, ...) */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the allowed values when {@code name} is not a state */
    public static JobState fromDbName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown job state '" + name + "'; expected one of "
                    + EnumSet.allOf(JobState.class).stream().map(JobState::dbName).toList(), e);
        }
    }

    /** @return every state this one may move to, by any transition */
    public Set<JobState> allowedNext() {
        EnumSet<JobState> next = EnumSet.noneOf(JobState.class);
        for (Transition t : Transition.values()) {
            if (t.from().contains(this)) {
                next.add(t.to());
            }
        }
        return next;
    }

    /** Every allowed move: the operation, the states it applies to, and the state it leaves the job in. */
    public enum Transition {
        /**
         * A worker takes the job under a new lease; attempt + 1. A job enqueued on a node whose worker for
         * its queue is idle may be inserted already claimed by that worker: this same move, made at insert.
         */
        CLAIM(EnumSet.of(AVAILABLE), RUNNING),
        /** The lease holder reports success. */
        COMPLETE(EnumSet.of(RUNNING), COMPLETED),
        /** The lease holder reports a retryable failure and attempts are left: wait for the backoff. */
        FAIL_RETRY(EnumSet.of(RUNNING), RETRYABLE),
        /**
         * The lease holder could not do the work for a reason outside the job (its host asked for a pause,
         * robots.txt could not be read): wait like a retry, but the attempt does not count.
         */
        DEFER(EnumSet.of(RUNNING), RETRYABLE),
        /** The lease holder reports a failure with no attempts left, or one that must not be retried. */
        FAIL_DEAD(EnumSet.of(RUNNING), DEAD),
        /** The lease holder hands the job back unfinished (shutdown); the attempt does not count. */
        RELEASE(EnumSet.of(RUNNING), AVAILABLE),
        /** The lease expired (worker died or hung) and attempts are left: run it again at once. */
        RESCUE_RETRY(EnumSet.of(RUNNING), AVAILABLE),
        /** The lease expired on the last attempt. */
        RESCUE_DEAD(EnumSet.of(RUNNING), DEAD),
        /** run_at has passed for a delayed or backing-off job. */
        PROMOTE(EnumSet.of(SCHEDULED, RETRYABLE), AVAILABLE),
        /** Someone cancels a job that has not finished; a running job's lease is revoked. */
        CANCEL(EnumSet.copyOf(UNFINISHED), CANCELLED),
        /** An operator sends a dead letter back to the queue with its attempts reset. */
        REQUEUE(EnumSet.of(DEAD), AVAILABLE);

        private final Set<JobState> from;
        private final JobState to;

        Transition(Set<JobState> from, JobState to) {
            this.from = from;
            this.to = to;
        }

        public Set<JobState> from() {
            return EnumSet.copyOf(from);
        }

        public JobState to() {
            return to;
        }

        public boolean appliesTo(JobState state) {
            return from.contains(state);
        }
    }
}
