package io.fetchq.scrape;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import io.fetchq.fetch.FetchError;
import io.fetchq.fetch.FetchException;
import io.fetchq.fetch.FetchRequest;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.Fetcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * robots.txt per host (scheme, host and port), parsed by crawler-commons and kept for a day. A host's
 * file is fetched once however many of its URLs ask at the same moment. A 4xx answer means no rules
 * (everything allowed); a 5xx answer or a network failure means "ask again later": the URL waits and the
 * answer is remembered for a minute, so a broken server is not asked for every URL.
 */
public final class RobotsCache {
    private static final Logger log = LoggerFactory.getLogger(RobotsCache.class);
    private static final Duration RULES_TTL = Duration.ofHours(24);
    private static final Duration UNAVAILABLE_TTL = Duration.ofMinutes(1);
    private static final Duration MAX_CRAWL_DELAY = Duration.ofSeconds(30);

    /** What robots.txt says about one URL. */
    public sealed interface Verdict {
        /** Fetch it, starting requests to the host at least {@code crawlDelay} apart (zero when not asked). */
        record Allowed(Duration crawlDelay) implements Verdict {
        }

        record Disallowed() implements Verdict {
        }

        /** robots.txt could not be read; try the URL again after {@code retryIn}. */
        record Unavailable(String reason, Duration retryIn) implements Verdict {
        }
    }

    private record Entry(BaseRobotRules rules, String unavailable, long expiresAtNanos) {
    }

    private final Fetcher fetcher;
    private final String agent;
    private final SimpleRobotRulesParser parser = new SimpleRobotRulesParser();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param fetcher a fetcher with robots.txt-sized limits (a small body cap and short timeouts)
     * @param agent   the product token rules are matched against ({@code fetchq})
     */
    public RobotsCache(Fetcher fetcher, String agent) {
        this.fetcher = fetcher;
        this.agent = agent;
    }

    public Verdict check(String canonicalUrl) throws InterruptedException {
        Entry e = entry(CanonicalUrl.hostKey(canonicalUrl));
        if (e.unavailable() != null) {
            return new Verdict.Unavailable(e.unavailable(),
                    Duration.ofNanos(Math.max(e.expiresAtNanos() - System.nanoTime(), Duration.ofSeconds(1).toNanos())));
        }
        if (!e.rules().isAllowed(canonicalUrl)) {
            return new Verdict.Disallowed();
        }
        long delayMs = e.rules().getCrawlDelay();
        Duration delay = delayMs <= 0 || delayMs == BaseRobotRules.UNSET_CRAWL_DELAY ? Duration.ZERO : Duration.ofMillis(delayMs);
        return new Verdict.Allowed(delay.compareTo(MAX_CRAWL_DELAY) > 0 ? MAX_CRAWL_DELAY : delay);
    }

    private Entry entry(String hostKey) throws InterruptedException {
        Entry cached = entries.get(hostKey);
        if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
            return cached;
        }
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = inFlight.putIfAbsent(hostKey, mine);
        if (running != null) {
            try {
                return running.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        try {
            Entry fresh = load(hostKey);
            entries.put(hostKey, fresh);
            mine.complete(fresh);
            return fresh;
        } catch (InterruptedException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(hostKey, mine);
        }
    }

    private Entry load(String hostKey) throws InterruptedException {
        String url = hostKey + "/robots.txt";
        try {
            FetchResponse r = fetcher.fetch(FetchRequest.get(url));
            if (r.status() >= 200 && r.status() < 300) {
                return rules(parser.parseContent(url, r.body(), r.contentType(), List.of(agent)));
            }
            if (r.status() >= 400 && r.status() < 500 && r.status() != 429) {
                return rules(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL));
            }
            return unavailable(hostKey, "robots_unavailable: robots.txt answered " + r.status());
        } catch (FetchException e) {
            if (e.error() == FetchError.BLOCKED_ADDRESS || e.error() == FetchError.BODY_TOO_LARGE
                    || e.error() == FetchError.TOO_MANY_REDIRECTS || e.error() == FetchError.REDIRECT_LOOP
                    || e.error() == FetchError.INVALID_URL || e.error() == FetchError.BAD_CONTENT_ENCODING) {
                // Nothing usable will come back; the URL's own fetch meets the same problem if it is real.
                return rules(new SimpleRobotRules(SimpleRobotRules.RobotRulesMode.ALLOW_ALL));
            }
            return unavailable(hostKey, "robots_unavailable: " + e.getMessage());
        }
    }

    private static Entry rules(BaseRobotRules rules) {
        return new Entry(rules, null, System.nanoTime() + RULES_TTL.toNanos());
    }

    private static Entry unavailable(String hostKey, String reason) {
        log.info("robots.txt of {} is unavailable; its URLs wait: {}", hostKey, reason);
        return new Entry(null, reason, System.nanoTime() + UNAVAILABLE_TTL.toNanos());
    }
}
