package io.fetchq.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One event, small enough to cross nodes in a NOTIFY: which job, and for {@link EventKind#URL_FINISHED}
 * which of its URLs (position and URL as submitted) and how it ended; for {@link EventKind#JOB_FINISHED}
 * the job's final status. Readers fetch anything bigger (counts, content) themselves.
 *
 * @param index  the URL's position in the job (URL events), else null
 * @param status the URL's or the job's final status
 * @param reason why a URL failed ({@code http_404}, {@code timeout}, …), else null
 */
public record Event(EventKind kind, String jobId, Integer index, String url, String status, String reason, Instant at) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** URLs longer than this are left out of the payload (NOTIFY carries at most 8,000 bytes). */
    static final int MAX_URL_CHARS = 2_048;

    public static Event urlFinished(String jobId, int index, String url, String status, String reason) {
        return new Event(EventKind.URL_FINISHED, jobId, index, url, status, reason, Instant.now());
    }

    public static Event jobFinished(String jobId, String status) {
        return new Event(EventKind.JOB_FINISHED, jobId, null, null, status, null, Instant.now());
    }

    /** @return the wire form: {@code {"kind":"url.finished","job_id":…,"index":…,"url":…,"status":…,"at":…}} */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", kind.wireName());
        o.put("job_id", jobId);
        if (index != null) {
            o.put("index", index);
        }
        if (url != null && url.length() <= MAX_URL_CHARS) {
            o.put("url", url);
        }
        o.put("status", status);
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("at", at.toString());
        return o.toString();
    }

    /** @return the event, or empty for a payload this version does not know */
    public static Optional<Event> parse(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            Optional<EventKind> kind = EventKind.fromWire(o.path("kind").asText());
            if (kind.isEmpty() || !o.hasNonNull("job_id")) {
                return Optional.empty();
            }
            return Optional.of(new Event(kind.get(), o.get("job_id").asText(),
                    o.hasNonNull("index") ? o.get("index").asInt() : null,
                    o.hasNonNull("url") ? o.get("url").asText() : null,
                    o.path("status").asText(null),
                    o.hasNonNull("reason") ? o.get("reason").asText() : null,
                    o.hasNonNull("at") ? Instant.parse(o.get("at").asText()) : Instant.now()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
