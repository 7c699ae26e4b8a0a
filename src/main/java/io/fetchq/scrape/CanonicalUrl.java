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

    /** @return the canonical form, or empty with {@link #problem} saying why there is none */
    public static Optional<String> of(String url) {
        return problem(url) == null ? Optional.ofNullable(NORMALIZER.filter(url.strip())) : Optional.empty();
    }

    /** @return why {@code url} cannot be fetched, or null if it can */
    public static String problem(String url) {
        if (url == null || url.isBlank()) {
            return "is empty";
        }
        if (url.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return "is not a valid URL (" + e.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            return "is not absolute (it needs http:// or https://)";
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "uses " + scheme + ", but only http and https are fetched";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "has no host";
        }
        if (NORMALIZER.filter(url.strip()) == null) {
            return "cannot be normalised";
        }
        return null;
    }

    /** @return {@code scheme://host:port} of a canonical URL: what per-host politeness and robots.txt go by */
    public static String hostKey(String canonicalUrl) {
        URI uri = URI.create(canonicalUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
