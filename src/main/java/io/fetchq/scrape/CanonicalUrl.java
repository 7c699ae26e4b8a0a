package io.fetchq.scrape;

import crawlercommons.filters.basic.BasicURLNormalizer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one spelling of a URL that pages are kept under: crawler-commons' normaliser (scheme and host
 * lower-cased, default port and fragment dropped, path dot-segments resolved, escapes made consistent).
 * Only absolute http and https URLs with a host are accepted.
 */
public final class CanonicalUrl {
    public static final int MAX_LENGTH = 4096;
    private static final BasicURLNormalizer NORMALIZER = new BasicURLNormalizer();

    private CanonicalUrl() {
    }

    /** A URL's canonical form, or why it has none: exactly one of the two is set. */
    public record Parsed(String canonical, String problem) {
        public boolean ok() {
            return canonical != null;
        }
    }

    /** @return the canonical form, or empty when {@link #problem} says why there is none */
    public static Optional<String> of(String url) {
        return Optional.ofNullable(parse(url).canonical());
    }

    /** @return why {@code url} cannot be fetched, or null if it can */
    public static String problem(String url) {
        return parse(url).problem();
    }

    /** Checks and normalises {@code url} in one pass (the normaliser parses it, which is most of the work). */
    public static Parsed parse(String url) {
        if (url == null || url.isBlank()) {
            return new Parsed(null, "is empty");
        }
        if (url.length() > MAX_LENGTH) {
            return new Parsed(null, "is longer than " + MAX_LENGTH + " characters");
        }
        String stripped = url.strip();
        URI uri;
        try {
            uri = new URI(stripped);
        } catch (URISyntaxException e) {
            return new Parsed(null, "is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return new Parsed(null, "is not absolute (it needs http:// or https://)");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Parsed(null, "uses " + scheme + ", but only http and https are fetched");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return new Parsed(null, "has no host");
        }
        String canonical = NORMALIZER.filter(stripped);
        return canonical == null ? new Parsed(null, "cannot be normalised") : new Parsed(canonical, null);
    }

    /** @return {@code scheme://host:port} of a canonical URL: what per-host politeness and robots.txt go by */
    public static String hostKey(String canonicalUrl) {
        URI uri = URI.create(canonicalUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
