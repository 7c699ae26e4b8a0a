package io.fetchq.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code --db} names: an SQLite file (a path, optionally {@code sqlite:} or {@code jdbc:sqlite:}) or
 * a PostgreSQL database ({@code postgresql://}, {@code postgres://} or {@code jdbc:postgresql://}).
 */
public sealed interface DbLocation {
    /** The embedded store's file. */
    record Sqlite(Path file) implements DbLocation {
    }

    /** A PostgreSQL server; {@code jdbcUrl} carries credentials as parameters. */
    record Postgres(String jdbcUrl) implements DbLocation {
    }

    /** @throws InvalidSettingsException naming {@code --db} when the text cannot be a database location */
    static DbLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSettingsException("--db must name an SQLite file or a postgresql:// URL, got nothing");
        }
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new Postgres(s);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return new Postgres(toJdbc(s));
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            return sqlite(s.substring("jdbc:sqlite:".length()), text);
        }
        if (lower.startsWith("sqlite:")) {
            return sqlite(s.substring("sqlite:".length()), text);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new InvalidSettingsException("--db '" + text + "' uses an unsupported scheme; give an SQLite file path"
                    + " or a postgresql:// URL");
        }
        return sqlite(s, text);
    }

    private static DbLocation sqlite(String path, String original) {
        if (path.isBlank() || path.startsWith(":memory:") || path.startsWith("file:")) {
            throw new InvalidSettingsException("--db '" + original + "' must be a file path (in-memory and URI forms "
                    + "are not supported: the queue must survive a restart)");
        }
        try {
            return new Sqlite(Path.of(path));
        } catch (InvalidPathException e) {
            throw new InvalidSettingsException("--db '" + original + "' is not a valid file path: " + e.getReason());
        }
    }

    /** {@code postgresql://user:pass@host:port/db?x=y} → {@code jdbc:postgresql://host:port/db?x=y&user=..&password=..}. */
    private static String toJdbc(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidSettingsException("--db '" + redact(url) + "' is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new InvalidSettingsException("--db '" + redact(url) + "' has no host; expected postgresql://host[:port]/database");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            appendParam(query, "user", URLDecoder.decode(user, StandardCharsets.UTF_8));
            if (colon >= 0) {
                appendParam(query, "password", URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8));
            }
        }
        if (!query.isEmpty()) {
            jdbc.append('?').append(query);
        }
        return jdbc.toString();
    }

    private static void appendParam(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String redact(String url) {
        return url.replaceAll("//([^/:@]+):[^/@]*@", "//$1:***@");
    }
}
