package io.fetchq.http;

import io.fetchq.scrape.PageBuilder;
import io.fetchq.scrape.ScrapeJobView;
import io.fetchq.store.Job;
import io.fetchq.store.Page;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeUrlRecord;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the API's resources (documented in openapi.json, checked against it by a test). */
final class Views {
    private Views() {
    }

    static Map<String, Object> job(ScrapeJobRecord j) {
        return ScrapeJobView.of(j);
    }

    /** A one-URL job also shows its URL and, once finished, its content or error. */
    static Map<String, Object> jobWithUrl(ScrapeJobRecord j, ScrapeResult only) {
        Map<String, Object> out = job(j);
        ScrapeUrlRecord u = only.url();
        out.put("url", u.url());
        out.put("http_status", u.httpStatus());
        out.put("cached", u.cached());
        Page p = only.page();
        out.put("page_id", u.pageId());
        out.put("final_url", p == null ? null : p.finalUrl());
        out.put("title", p == null ? null : p.title());
        out.put("content", u.status().equals("completed") ? content(p) : null);
        out.put("error", error(u));
        return out;
    }

    static Map<String, Object> result(ScrapeResult r, boolean withContent) {
        ScrapeUrlRecord u = r.url();
        Page p = r.page();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", u.idx());
        out.put("url", u.url());
        out.put("status", u.status());
        out.put("http_status", u.httpStatus());
        out.put("final_url", p == null ? null : p.finalUrl());
        out.put("title", p == null ? null : p.title());
        out.put("text", p == null ? null : p.text());
        if (withContent) {
            out.put("content", content(p));
        }
        out.put("content_type", p == null ? null : p.contentType());
        out.put("page_id", u.pageId());
        out.put("cached", u.cached());
        out.put("fetched_at", p == null ? null : iso(p.fetchedAt()));
        out.put("error", error(u));
        out.put("attempts", u.attempts());
        out.put("metadata", ScrapeJobView.parse(u.metadataJson()));
        return out;
    }

    static Map<String, Object> error(ScrapeUrlRecord u) {
        if (u.error() == null && u.errorReason() == null) {
            return null;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("reason", u.errorReason());
        e.put("message", u.error());
        return e;
    }

    static Map<String, Object> page(Page p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        out.put("url", p.url());
        out.put("status", p.status());
        out.put("final_url", p.finalUrl());
        out.put("content_type", p.contentType());
        out.put("charset", p.charset());
        out.put("size", p.bodySize());
        out.put("sha256", p.sha256());
        out.put("title", p.title());
        out.put("text", p.text());
        out.put("etag", p.etag());
        out.put("last_modified", p.lastModified());
        out.put("fetched_at", iso(p.fetchedAt()));
        out.put("headers", ScrapeJobView.parse(p.headersJson()));
        out.put("content_url", p.bodyCompressed() == null ? null : "/pages/" + p.id() + "/content");
        return out;
    }

    static Map<String, Object> deadLetter(Job j) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", j.id());
        out.put("queue", j.queue());
        out.put("job_id", j.groupId());
        out.put("url", urlOf(j));
        out.put("attempts", j.attempt());
        out.put("max_attempts", j.maxAttempts());
        out.put("error", j.lastError());
        out.put("created_at", iso(j.createdAt()));
        out.put("failed_at", iso(j.finishedAt()));
        return out;
    }

    /** The URL a fetch job was for (from its payload); null for other queues. */
    private static String urlOf(Job j) {
        if (!j.queue().equals(io.fetchq.scrape.ScrapeService.FETCH_QUEUE) || j.payload() == null) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode p = ScrapeJobView.parse(j.payload());
        return p != null && p.hasNonNull("url") ? p.get("url").asText() : null;
    }

    /** The body as text, when it is a text type and was kept; null otherwise. */
    static String content(Page p) {
        if (p == null || p.bodyCompressed() == null || !isText(p.contentType())) {
            return null;
        }
        byte[] body = PageBuilder.decompress(p.bodyCompressed());
        Charset cs = StandardCharsets.UTF_8;
        if (p.charset() != null) {
            try {
                cs = Charset.forName(p.charset());
            } catch (IllegalArgumentException e) {
                cs = StandardCharsets.UTF_8;
            }
        }
        return new String(body, cs);
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json") || t.endsWith("+xml")
                || t.equals("application/xml") || t.equals("application/javascript") || t.equals("application/ecmascript");
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
