package io.fetchq.queue;

import java.util.List;

/** What reporting failures did: which jobs will be retried, which went dead; the rest had lost their lease. */
public record FailResult(List<String> retried, List<String> dead) {
    public FailResult {
        retried = List.copyOf(retried);
        dead = List.copyOf(dead);
    }
}
