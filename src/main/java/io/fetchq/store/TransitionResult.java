package io.fetchq.store;

import java.util.List;
import java.util.Set;

/**
 * What a transition applied to many jobs at once did: the ids it moved, and the queues in which it made
 * jobs available (so idle workers there can be woken).
 */
public record TransitionResult(List<String> ids, Set<String> queuesMadeAvailable) {
    public TransitionResult {
        ids = List.copyOf(ids);
        queuesMadeAvailable = Set.copyOf(queuesMadeAvailable);
    }

    public static final TransitionResult NONE = new TransitionResult(List.of(), Set.of());

    public int count() {
        return ids.size();
    }
}
