package io.fetchq.http;

import io.fetchq.config.InvalidSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API keys a server accepts, from {@code FETCHQ_API_KEYS} or a keys file: entries
 * {@code owner:key[:scope]} separated by commas or newlines ({@code #} starts a comment in a file), scope
 * {@code read}, {@code write} (the default: submit, cancel and retry its own jobs) or {@code admin} (every
 * job, dead letters). Keys are compared in constant time against every entry, and never logged.
 */
public final class ApiKeys {
    /** What a key may do; each scope includes the ones before it. */
    public enum Scope {
        READ, WRITE, ADMIN;

        public boolean allows(Scope needed) {
            return compareTo(needed) >= 0;
        }
    }

    /** Who a request acts for. {@link #ANONYMOUS} is used when no keys are configured: it may do anything. */
    public record Principal(String owner, Scope scope) {
        public static final Principal ANONYMOUS = new Principal(null, Scope.ADMIN);

        /** @return null when this principal sees every job */
        public String ownerFilter() {
            return scope == Scope.ADMIN ? null : owner;
        }
    }

    private record Entry(String owner, byte[] key, Scope scope) {
    }

    private static final ApiKeys NONE = new ApiKeys(List.of());
    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ApiKeys none() {
        return NONE;
    }

    /**
     * @param inline   the {@code FETCHQ_API_KEYS} value (may be null or blank)
     * @param file     a keys file (may be null)
     * @throws InvalidSettingsException naming the bad entry by position, never by its key
     */
    public static ApiKeys of(String inline, Path file) {
        List<Entry> entries = new ArrayList<>();
        if (inline != null && !inline.isBlank()) {
            parse(inline, "FETCHQ_API_KEYS", entries);
        }
        if (file != null) {
            try {
                parse(Files.readString(file, StandardCharsets.UTF_8), "--api-keys-file " + file, entries);
            } catch (IOException e) {
                throw new InvalidSettingsException("--api-keys-file cannot be read: " + file + " (" + e.getMessage() + ")");
            }
        }
        return new ApiKeys(entries);
    }

    private static void parse(String text, String source, List<Entry> into) {
        int n = 0;
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            for (String raw : content.split(",")) {
                String entry = raw.strip();
                if (entry.isEmpty()) {
                    continue;
                }
                n++;
                String[] parts = entry.split(":", -1);
                if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new InvalidSettingsException(source + ": entry " + n + " must be owner:key or owner:key:scope");
                }
                if (parts[1].length() < 16) {
                    throw new InvalidSettingsException(source + ": entry " + n + " (owner " + parts[0]
                            + ") has a key shorter than 16 characters");
                }
                Scope scope = Scope.WRITE;
                if (parts.length == 3) {
                    try {
                        scope = Scope.valueOf(parts[2].strip().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidSettingsException(source + ": entry " + n + " (owner " + parts[0]
                                + ") has scope '" + parts[2] + "'; use read, write or admin");
                    }
                }
                into.add(new Entry(parts[0].strip(), parts[1].strip().getBytes(StandardCharsets.UTF_8), scope));
            }
        }
    }

    public boolean enabled() {
        return !entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** @return the key's principal; every entry is compared, in constant time, whether or not one matched */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        Entry found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.key(), given) && found == null) {
                found = e;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Principal(found.owner(), found.scope()));
    }
}
