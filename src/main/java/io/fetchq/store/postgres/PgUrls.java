package io.fetchq.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers about PostgreSQL URLs and names. */
final class PgUrls {
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("//([^/:@]+):[^/@]*@");

    private PgUrls() {
    }

    /** @return the URL with any password replaced by {@code ***}, fit for logs and error messages */
    static String redact(String url) {
        String s = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USERINFO_PASSWORD.matcher(s).replaceAll("//$1:***@");
    }

    private static final Pattern CURRENT_SCHEMA = Pattern.compile("[?&]currentSchema=([^&]+)");

    /** The first schema a URL's {@code currentSchema} parameter names, if it has one. */
    static Optional<String> currentSchemaParam(String url) {
        Matcher m = CURRENT_SCHEMA.matcher(url);
        if (!m.find()) {
            return Optional.empty();
        }
        String first = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8).split(",")[0].strip();
        return first.isEmpty() ? Optional.empty() : Optional.of(first);
    }

    /**
     * The LISTEN/NOTIFY channel for one schema. Channels are database-wide, so each schema gets its own
     * and nodes of different installations in one database do not wake each other.
     */
    static String channelFor(String schema) {
        String base = "fetchq_" + schema.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (base.length() <= 63) {
            return base;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return base.substring(0, 46) + "_" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
