package io.fetchq.store;

/** A job read with its only URL's result when it has exactly one URL ({@code onlyUrl} null otherwise). */
public record ScrapeJobRead(ScrapeJobRecord job, ScrapeResult onlyUrl) {
}
