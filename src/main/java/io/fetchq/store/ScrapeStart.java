package io.fetchq.store;

/**
 * What starting the fetch of a URL found: how many waiting URL rows became running, and the page already
 * stored for the URL (its validators, for a conditional request), if there is one.
 */
public record ScrapeStart(int started, PageValidators stored) {
}
