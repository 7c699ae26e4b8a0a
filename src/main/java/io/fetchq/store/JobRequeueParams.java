package io.fetchq.store;

import java.util.List;

/**
 * Which dead jobs to send back to their queues: the listed ids, or every dead job of a queue, or of a
 * group. At least one filter is set; they combine with AND. A dead job whose dedupe key is held by an
 * unfinished job stays dead (requeueing it would run the same work twice).
 */
public record JobRequeueParams(List<String> ids, String queue, String groupId) {
    public JobRequeueParams {
        ids = ids == null ? null : List.copyOf(ids);
        if (ids == null && queue == null && groupId == null) {
            throw new IllegalArgumentException("requeue needs ids, a queue or a group");
        }
    }

    public static JobRequeueParams ofIds(List<String> ids) {
        return new JobRequeueParams(ids, null, null);
    }

    public static JobRequeueParams ofQueue(String queue) {
        return new JobRequeueParams(null, queue, null);
    }

    public static JobRequeueParams ofGroup(String groupId) {
        return new JobRequeueParams(null, null, groupId);
    }
}
