package io.fetchq.store;

import java.util.List;

/** A scrape job to store, with its URL rows. */
public record ScrapeJobInsert(ScrapeJobRecord job, List<ScrapeUrlRecord> urls) {
}
