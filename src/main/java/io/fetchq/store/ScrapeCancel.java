package io.fetchq.store;

import java.util.List;

/** A cancelled job, and the canonical URLs whose waiting rows the cancel stopped. */
public record ScrapeCancel(ScrapeJobRecord job, List<String> cancelledUrls) {
}
