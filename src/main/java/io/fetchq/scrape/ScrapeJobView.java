package io.fetchq.scrape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.store.ScrapeJobRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/** A job as clients see it (webhooks now, the HTTP API later): status, counts, times, metadata. */
public final class ScrapeJobView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScrapeJobView() {
    }

    public static Map<String, Object> of(ScrapeJobRecord j) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("total", j.total());
        counts.put("queued", j.queued());
        counts.put("running", j.running());
        counts.put("completed", j.completed());
        counts.put("failed", j.failed());
        counts.put("cancelled", j.cancelled());
        counts.put("cached", j.cached());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", j.id());
        out.put("status", j.status());
        out.put("counts", counts);
        out.put("created_at", j.createdAt() == null ? null : j.createdAt().toString());
        out.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().toString());
        out.put("metadata", parse(j.metadataJson()));
        return out;
    }

    /** @return the JSON text as a tree (text that is not JSON as a string node); null for null */
    public static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
