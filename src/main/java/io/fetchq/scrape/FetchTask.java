package io.fetchq.scrape;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The payload of a fetch job in the engine: which canonical URL, and whether robots.txt is obeyed. */
public record FetchTask(@JsonProperty("url") String url, @JsonProperty("robots") boolean respectRobots) {
}
