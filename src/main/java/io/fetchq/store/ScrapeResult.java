package io.fetchq.store;

/** One URL of a job with the page that answered it (null until there is one). */
public record ScrapeResult(ScrapeUrlRecord url, Page page) {
}
