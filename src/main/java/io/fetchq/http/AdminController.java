package io.fetchq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.http.ApiKeys.Scope;
import io.fetchq.queue.QueueEngine;
import io.fetchq.queue.QueueNames;
import io.fetchq.store.Job;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.JobState;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.TransitionResult;
import io.fetchq.worker.WorkerPool;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operators' routes: dead letters across jobs (listed and requeued, admin keys only when keys are
 * configured) and {@code /stats}.
 */
final class AdminController {
    private static final Set<String> REQUEUE_FIELDS = Set.of("ids", "all", "queue");

    private final QueueEngine engine;
    private final WorkerPool workers;
    private final Throughput throughput;
    private final long maxBodyBytes;

    AdminController(QueueEngine engine, WorkerPool workers, Throughput throughput, long maxBodyBytes) {
        this.engine = engine;
        this.workers = workers;
        this.throughput = throughput;
        this.maxBodyBytes = maxBodyBytes;
    }

    void deadLetters(Context ctx) {
        Auth.require(ctx, Scope.ADMIN);
        String queue = queueParam(ctx.queryParam("queue"), "queue");
        int limit = Params.intParam(ctx, "limit", 50, 1, 1000);
        String cursor = ctx.queryParam("cursor");
        List<Job> dead = engine.list(new JobListParams(queue, JobState.DEAD, null, cursor, limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dead_letters", dead.stream().map(Views::deadLetter).toList());
        out.put("next_cursor", dead.size() == limit ? dead.get(dead.size() - 1).id() : null);
        ctx.json(out);
    }

    void requeue(Context ctx) {
        Auth.require(ctx, Scope.ADMIN);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx, maxBodyBytes));
        JsonBody.onlyFields(body, "", REQUEUE_FIELDS);
        JsonNode ids = body.get("ids");
        Boolean all = JsonBody.optBoolean(body, "all", "all");
        String queue = queueParam(JsonBody.optString(body, "queue", "queue"), "queue");
        boolean hasIds = ids != null && !ids.isNull();
        if (hasIds == Boolean.TRUE.equals(all)) {
            throw new ApiProblem(400, "give either `ids` (a list of dead letter ids) or `\"all\": true`",
                    List.of(new ApiProblem.FieldError("ids", "give ids or all")));
        }
        TransitionResult r;
        if (hasIds) {
            if (!ids.isArray() || ids.isEmpty() || ids.size() > 10_000) {
                throw ApiProblem.badField("ids", "must be an array of 1 to 10000 dead letter ids");
            }
            List<String> list = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (!ids.get(i).isTextual()) {
                    throw ApiProblem.badField("ids[" + i + "]", "must be a string, got " + JsonBody.kind(ids.get(i)));
                }
                list.add(ids.get(i).textValue());
            }
            r = engine.requeueDead(new JobRequeueParams(list, queue, null));
        } else if (queue != null) {
            r = engine.requeueDead(JobRequeueParams.ofQueue(queue));
        } else {
            List<String> moved = new ArrayList<>();
            for (String q : queues()) {
                moved.addAll(engine.requeueDead(JobRequeueParams.ofQueue(q)).ids());
            }
            r = new TransitionResult(moved, Set.of());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requeued", r.count());
        out.put("ids", r.ids());
        ctx.json(out);
    }

    void stats(Context ctx) {
        Auth.require(ctx, Scope.READ);
        Map<String, Map<String, Long>> queues = new LinkedHashMap<>();
        for (QueueStateCount c : engine.stats()) {
            queues.computeIfAbsent(c.queue(), q -> emptyCounts()).put(c.state().dbName(), c.count());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queues", queues);
        out.put("throughput", throughput.perSecond());
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("worker_id", workers == null ? null : workers.workerId());
        node.put("workers_running", workers != null && workers.alive());
        node.put("handlers_busy", workers == null ? 0 : workers.runningCount());
        node.put("queues", workers == null ? List.of() : workers.queues());
        out.put("node", node);
        out.put("active_workers", engine.store().queueActiveWorkers());
        ctx.json(out);
    }

    private List<String> queues() {
        return engine.stats().stream().filter(c -> c.state() == JobState.DEAD).map(QueueStateCount::queue).distinct().toList();
    }

    private static Map<String, Long> emptyCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (JobState s : JobState.values()) {
            m.put(s.dbName(), 0L);
        }
        return m;
    }

    private static String queueParam(String q, String field) {
        if (q == null) {
            return null;
        }
        if (!QueueNames.isValid(q)) {
            throw ApiProblem.badField(field, "must be a queue name (1-" + QueueNames.MAX_LENGTH
                    + " letters, digits, - or _), got '" + Params.clip(q) + "'");
        }
        return q;
    }
}
