package io.fetchq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.broker.Broker;
import io.fetchq.broker.DeadMessage;
import io.fetchq.broker.OutgoingMessage;
import io.fetchq.broker.QueueSettings;
import io.fetchq.broker.QueueView;
import io.fetchq.broker.ReceivedMessage;
import io.fetchq.broker.SentMessage;
import io.fetchq.http.ApiKeys.Principal;
import io.fetchq.http.ApiKeys.Scope;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The broker's routes (DESIGN.md §5, {@code /queues}): queues, messages (send, long-poll receive, delete,
 * visibility), dead letters and redrive. Reading needs a read key, sending and receiving a write key; deleting
 * or purging a queue and redriving its dead letters need an admin key.
 */
final class QueuesController {
    private static final Set<String> QUEUE_FIELDS = Set.of("visibility_timeout", "max_receive_count", "retention_seconds",
            "max_message_bytes", "delay_seconds");
    private static final Set<String> MESSAGE_FIELDS = Set.of("body", "delay_seconds", "dedupe_id");
    private static final int MAX_SECONDS_FIELD = 14 * 24 * 3600;

    private final Broker broker;
    private final long maxBodyBytes;

    QueuesController(Broker broker, long maxBodyBytes) {
        this.broker = broker;
        this.maxBodyBytes = maxBodyBytes;
    }

    void list(Context ctx) {
        Auth.require(ctx, Scope.READ);
        ctx.json(Map.of("queues", broker.list().stream().map(QueuesController::queue).toList()));
    }

    void get(Context ctx) {
        Auth.require(ctx, Scope.READ);
        ctx.json(queue(broker.get(ctx.pathParam("name"))));
    }

    void put(Context ctx) {
        Auth.require(ctx, Scope.WRITE);
        QueueSettings asked = QueueSettings.DEFAULTS;
        boolean hasBody = ctx.contentLength() > 0 || (ctx.contentLength() < 0 && ctx.contentType() != null);
        byte[] raw = hasBody ? JsonBody.bytes(ctx, maxBodyBytes) : new byte[0];
        if (raw.length > 0) {
            JsonNode body = JsonBody.object(raw);
            JsonBody.onlyFields(body, "", QUEUE_FIELDS);
            asked = new QueueSettings(seconds(body, "visibility_timeout"),
                    JsonBody.optInt(body, "max_receive_count", "max_receive_count", 0, Integer.MAX_VALUE),
                    seconds(body, "retention_seconds"),
                    JsonBody.optInt(body, "max_message_bytes", "max_message_bytes", 0, Integer.MAX_VALUE),
                    seconds(body, "delay_seconds"));
        }
        Broker.Put put = broker.put(ctx.pathParam("name"), asked);
        if (put.created()) {
            ctx.status(201).header("Location", "/queues/" + put.queue().queue().name());
        }
        ctx.json(queue(put.queue()));
    }

    void delete(Context ctx) {
        Auth.require(ctx, Scope.ADMIN);
        broker.deleteQueue(ctx.pathParam("name"));
        ctx.status(204);
    }

    void purge(Context ctx) {
        Auth.require(ctx, Scope.ADMIN);
        int purged = broker.purge(ctx.pathParam("name"), Params.boolParam(ctx, "dead", false));
        ctx.json(Map.of("purged", purged));
    }

    void send(Context ctx) {
        Auth.require(ctx, Scope.WRITE);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx, maxBodyBytes));
        List<OutgoingMessage> messages = new ArrayList<>();
        boolean batch = body.has("messages");
        if (batch) {
            JsonBody.onlyFields(body, "", Set.of("messages"));
            JsonNode list = body.get("messages");
            if (list == null || !list.isArray()) {
                throw ApiProblem.badField("messages", "must be an array of 1 to " + Broker.MAX_BATCH + " messages, got "
                        + (list == null ? "nothing" : JsonBody.kind(list)));
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode m = list.get(i);
                if (!m.isObject()) {
                    throw ApiProblem.badField("messages[" + i + "]", "must be an object like {\"body\": \"...\"}, got "
                            + JsonBody.kind(m));
                }
                messages.add(message(m, "messages[" + i + "]."));
            }
        } else {
            messages.add(message(body, ""));
        }
        List<SentMessage> sent = broker.send(ctx.pathParam("name"), messages);
        ctx.status(201);
        if (batch) {
            ctx.json(Map.of("messages", sent.stream().map(QueuesController::sent).toList()));
        } else {
            ctx.json(sent(sent.get(0)));
        }
    }

    void receive(Context ctx) {
        Principal p = Auth.require(ctx, Scope.WRITE);
        int max = Params.intParam(ctx, "max", 1, 1, Broker.MAX_BATCH);
        int wait = Params.intParam(ctx, "wait", 0, 0, (int) Broker.MAX_WAIT.toSeconds());
        Integer visibility = ctx.queryParam("visibility_timeout") == null ? null
                : Params.intParam(ctx, "visibility_timeout", 0, 0, (int) Broker.MAX_VISIBILITY.toSeconds());
        String receiver = "receiver:" + (p.owner() != null ? p.owner() : ctx.ip());
        List<ReceivedMessage> got = broker.receive(ctx.pathParam("name"), max, Duration.ofSeconds(wait),
                visibility == null ? null : Duration.ofSeconds(visibility), receiver);
        ctx.json(got.stream().map(QueuesController::received).toList());
    }

    void deleteOne(Context ctx) {
        Auth.require(ctx, Scope.WRITE);
        broker.deleteMessage(ctx.pathParam("name"), ctx.pathParam("receipt"));
        ctx.status(204);
    }

    void deleteBatch(Context ctx) {
        Auth.require(ctx, Scope.WRITE);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx, maxBodyBytes));
        JsonBody.onlyFields(body, "", Set.of("receipts"));
        List<String> receipts = strings(body, "receipts", Broker.MAX_BATCH);
        List<String> deleted = broker.deleteMessages(ctx.pathParam("name"), receipts);
        Set<String> done = new HashSet<>(deleted);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleted", deleted);
        out.put("stale", receipts.stream().filter(r -> !done.contains(r)).toList());
        ctx.json(out);
    }

    void visibility(Context ctx) {
        Auth.require(ctx, Scope.WRITE);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx, maxBodyBytes));
        JsonBody.onlyFields(body, "", Set.of("visibility_timeout"));
        Duration visibility = seconds(body, "visibility_timeout");
        if (visibility == null) {
            throw ApiProblem.badField("visibility_timeout", "is required: seconds from now until the message is visible "
                    + "again (0 releases it at once)");
        }
        String receipt = ctx.pathParam("receipt");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("receipt", receipt);
        out.put("visible_again_at", Views.iso(broker.changeVisibility(ctx.pathParam("name"), receipt, visibility)));
        ctx.json(out);
    }

    void dead(Context ctx) {
        Auth.require(ctx, Scope.READ);
        int limit = Params.intParam(ctx, "limit", 50, 1, 1000);
        List<DeadMessage> dead = broker.dead(ctx.pathParam("name"), ctx.queryParam("cursor"), limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", dead.stream().map(QueuesController::deadLetter).toList());
        out.put("next_cursor", dead.size() == limit ? dead.get(dead.size() - 1).id() : null);
        ctx.json(out);
    }

    void redrive(Context ctx) {
        Auth.require(ctx, Scope.ADMIN);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx, maxBodyBytes));
        JsonBody.onlyFields(body, "", Set.of("ids", "all"));
        boolean all = Boolean.TRUE.equals(JsonBody.optBoolean(body, "all", "all"));
        boolean hasIds = body.hasNonNull("ids");
        if (hasIds == all) {
            throw new ApiProblem(400, "give either `ids` (a list of dead letter ids) or `\"all\": true`",
                    List.of(new ApiProblem.FieldError("ids", "give ids or all")));
        }
        List<String> ids = broker.redrive(ctx.pathParam("name"), hasIds ? strings(body, "ids", 10_000) : null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("redriven", ids.size());
        out.put("ids", ids);
        ctx.json(out);
    }

    // ---- reading and writing JSON --------------------------------------------------------------------

    private static OutgoingMessage message(JsonNode m, String prefix) {
        JsonBody.onlyFields(m, prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), MESSAGE_FIELDS);
        JsonNode body = m.get("body");
        if (body == null || body.isNull()) {
            throw ApiProblem.badField(prefix + "body", "is required: the message, any UTF-8 text (JSON included, as a string)");
        }
        if (!body.isTextual()) {
            throw ApiProblem.badField(prefix + "body", "must be a string, got " + JsonBody.kind(body)
                    + "; to send JSON, send it as a string (JSON.stringify)");
        }
        Integer delay = JsonBody.optInt(m, "delay_seconds", prefix + "delay_seconds", 0, (int) Broker.MAX_DELAY.toSeconds());
        return new OutgoingMessage(body.textValue(), delay == null ? null : Duration.ofSeconds(delay),
                JsonBody.optString(m, "dedupe_id", prefix + "dedupe_id"));
    }

    private static Duration seconds(JsonNode body, String field) {
        Integer s = JsonBody.optInt(body, field, field, 0, MAX_SECONDS_FIELD);
        return s == null ? null : Duration.ofSeconds(s);
    }

    private static List<String> strings(JsonNode body, String field, int max) {
        JsonNode list = body.get(field);
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > max) {
            throw ApiProblem.badField(field, "must be an array of 1 to " + max + " strings, got "
                    + (list == null ? "nothing" : list.isArray() ? list.size() + " items" : JsonBody.kind(list)));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
                throw ApiProblem.badField(field + "[" + i + "]", "must be a string, got " + JsonBody.kind(list.get(i)));
            }
            out.add(list.get(i).textValue());
        }
        return out;
    }

    static Map<String, Object> queue(QueueView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.queue().name());
        m.put("visibility_timeout", v.queue().visibilityTimeout().toSeconds());
        m.put("max_receive_count", v.queue().maxReceiveCount());
        m.put("retention_seconds", v.queue().retention().toSeconds());
        m.put("max_message_bytes", v.queue().maxMessageBytes());
        m.put("delay_seconds", v.queue().delay().toSeconds());
        m.put("created_at", Views.iso(v.queue().createdAt()));
        m.put("updated_at", Views.iso(v.queue().updatedAt()));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("visible", v.counts().visible());
        counts.put("in_flight", v.counts().inFlight());
        counts.put("delayed", v.counts().delayed());
        counts.put("dead", v.counts().dead());
        m.put("counts", counts);
        return m;
    }

    private static Map<String, Object> sent(SentMessage s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("duplicate", s.duplicate());
        return m;
    }

    private static Map<String, Object> received(ReceivedMessage r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("body", r.body());
        m.put("receipt", r.receipt());
        m.put("receive_count", r.receiveCount());
        m.put("sent_at", Views.iso(r.sentAt()));
        m.put("first_received_at", Views.iso(r.firstReceivedAt()));
        m.put("visible_again_at", Views.iso(r.visibleAgainAt()));
        return m;
    }

    private static Map<String, Object> deadLetter(DeadMessage d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("body", d.body());
        m.put("receive_count", d.receiveCount());
        m.put("sent_at", Views.iso(d.sentAt()));
        m.put("first_received_at", Views.iso(d.firstReceivedAt()));
        m.put("dead_at", Views.iso(d.deadAt()));
        m.put("reason", d.reason());
        return m;
    }
}
