package io.fetchq.scrape;

import java.util.List;

/**
 * A scrape job as a client asks for it: 1 to 10,000 URLs and options they share. Null options take the
 * defaults: priority 5, 3 attempts, pages younger than a day reused, no delay, robots.txt obeyed.
 *
 * @param maxAgeSeconds reuse a stored page younger than this; 0 always fetches
 * @param callbackUrl   receives a signed POST when the job finishes
 * @param owner         who submitted it (an API key's owner); null for none
 */
public record ScrapeSubmission(List<UrlSpec> urls, Integer priority, String metadataJson, Integer maxAttempts,
                               Long maxAgeSeconds, Long delaySeconds, String callbackUrl, String owner,
                               Boolean respectRobots) {
    public static ScrapeSubmission of(List<String> urls) {
        return new ScrapeSubmission(urls.stream().map(UrlSpec::of).toList(), null, null, null, null, null, null, null, null);
    }

    public ScrapeSubmission withMaxAge(long seconds) {
        return new ScrapeSubmission(urls, priority, metadataJson, maxAttempts, seconds, delaySeconds, callbackUrl, owner,
                respectRobots);
    }

    public ScrapeSubmission withMaxAttempts(int n) {
        return new ScrapeSubmission(urls, priority, metadataJson, n, maxAgeSeconds, delaySeconds, callbackUrl, owner,
                respectRobots);
    }

    public ScrapeSubmission withCallback(String url) {
        return new ScrapeSubmission(urls, priority, metadataJson, maxAttempts, maxAgeSeconds, delaySeconds, url, owner,
                respectRobots);
    }

    public ScrapeSubmission withPriority(int p) {
        return new ScrapeSubmission(urls, p, metadataJson, maxAttempts, maxAgeSeconds, delaySeconds, callbackUrl, owner,
                respectRobots);
    }

    public ScrapeSubmission withMetadata(String json) {
        return new ScrapeSubmission(urls, priority, json, maxAttempts, maxAgeSeconds, delaySeconds, callbackUrl, owner,
                respectRobots);
    }

    public ScrapeSubmission withRespectRobots(boolean respect) {
        return new ScrapeSubmission(urls, priority, metadataJson, maxAttempts, maxAgeSeconds, delaySeconds, callbackUrl,
                owner, respect);
    }

    public ScrapeSubmission withOwner(String o) {
        return new ScrapeSubmission(urls, priority, metadataJson, maxAttempts, maxAgeSeconds, delaySeconds, callbackUrl,
                o, respectRobots);
    }
}
