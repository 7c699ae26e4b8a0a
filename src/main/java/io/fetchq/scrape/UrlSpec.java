package io.fetchq.scrape;

/** One URL of a submission, with its own priority (null: the job's) and metadata (JSON text, may be null). */
public record UrlSpec(String url, Integer priority, String metadataJson) {
    public static UrlSpec of(String url) {
        return new UrlSpec(url, null, null);
    }
}
