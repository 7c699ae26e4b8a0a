package io.fetchq.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of a fetchq node, immutable and validated. The command line fills a {@link Builder}
 * from flags, then {@code FETCHQ_*} environment variables, then the defaults declared here; {@link
 * Builder#build()} refuses out-of-range values with messages that say what to change.
 */
public record Settings(
        DbLocation db,
        int dbPoolSize,
        boolean migrate,
        Duration lease,
        Duration pollInterval,
        Duration shutdownGrace,
        Duration backoffBase,
        Duration backoffCap,
        int maxAttempts,
        Duration rescueInterval,
        Duration retention,
        Duration deadRetention,
        long maxPayloadBytes,
        Fetching fetching) {

    /**
     * How pages are fetched: concurrency, politeness, the SSRF guard's exceptions, limits.
     *
     * @param allowedPorts  ports allowed besides 80 and 443
     * @param anyPort       every port allowed ({@code --allow-ports '*'})
     * @param userAgent     null for the default {@code fetchq/<version> (+url)}
     * @param webhookSecret null: a random secret kept in the database
     */
    public record Fetching(int concurrency, int perHostConcurrency, Duration perHostDelay, boolean allowPrivateNetworks,
                           java.util.Set<Integer> allowedPorts, boolean anyPort, String userAgent, Duration connectTimeout,
                           Duration readTimeout, Duration fetchTimeout, long maxBodyBytes, int maxRedirects,
                           String webhookSecret) {
    }

    public static final String DEFAULT_DB = "./data/fetchq.db";
    public static final int DEFAULT_DB_POOL_SIZE = 10;
    public static final String DEFAULT_LEASE = "30s";
    public static final String DEFAULT_POLL_INTERVAL = "1s";
    public static final String DEFAULT_SHUTDOWN_GRACE = "10s";
    public static final String DEFAULT_BACKOFF_BASE = "1s";
    public static final String DEFAULT_BACKOFF_CAP = "10m";
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final String DEFAULT_RESCUE_INTERVAL = "2s";
    public static final String DEFAULT_RETENTION = "1d";
    public static final String DEFAULT_DEAD_RETENTION = "7d";
    public static final String DEFAULT_MAX_PAYLOAD = "1MiB";
    public static final int DEFAULT_FETCH_CONCURRENCY = 64;
    public static final int DEFAULT_PER_HOST_CONCURRENCY = 2;
    public static final String DEFAULT_PER_HOST_DELAY = "250ms";
    public static final String DEFAULT_CONNECT_TIMEOUT = "10s";
    public static final String DEFAULT_READ_TIMEOUT = "30s";
    public static final String DEFAULT_FETCH_TIMEOUT = "60s";
    public static final String DEFAULT_MAX_BODY = "10MiB";
    public static final int DEFAULT_MAX_REDIRECTS = 10;

    public static Builder builder() {
        return new Builder();
    }

    /** Collects raw values; {@link #build()} parses and validates them all and reports every problem at once. */
    public static final class Builder {
        private String db = DEFAULT_DB;
        private int dbPoolSize = DEFAULT_DB_POOL_SIZE;
        private boolean migrate = true;
        private String lease = DEFAULT_LEASE;
        private String pollInterval = DEFAULT_POLL_INTERVAL;
        private String shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private String backoffBase = DEFAULT_BACKOFF_BASE;
        private String backoffCap = DEFAULT_BACKOFF_CAP;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private String rescueInterval = DEFAULT_RESCUE_INTERVAL;
        private String retention = DEFAULT_RETENTION;
        private String deadRetention = DEFAULT_DEAD_RETENTION;
        private String maxPayload = DEFAULT_MAX_PAYLOAD;
        private int fetchConcurrency = DEFAULT_FETCH_CONCURRENCY;
        private int perHostConcurrency = DEFAULT_PER_HOST_CONCURRENCY;
        private String perHostDelay = DEFAULT_PER_HOST_DELAY;
        private boolean allowPrivateNetworks;
        private String allowPorts = "";
        private String userAgent;
        private String connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private String readTimeout = DEFAULT_READ_TIMEOUT;
        private String fetchTimeout = DEFAULT_FETCH_TIMEOUT;
        private String maxBody = DEFAULT_MAX_BODY;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private String webhookSecret;

        public Builder db(String v) { db = v; return this; }
        public Builder dbPoolSize(int v) { dbPoolSize = v; return this; }
        /** false: only check that the schema is current (an operator runs {@code fetchq migrate}). */
        public Builder migrate(boolean v) { migrate = v; return this; }
        public Builder lease(String v) { lease = v; return this; }
        public Builder pollInterval(String v) { pollInterval = v; return this; }
        public Builder shutdownGrace(String v) { shutdownGrace = v; return this; }
        public Builder backoffBase(String v) { backoffBase = v; return this; }
        public Builder backoffCap(String v) { backoffCap = v; return this; }
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        public Builder rescueInterval(String v) { rescueInterval = v; return this; }
        public Builder retention(String v) { retention = v; return this; }
        public Builder deadRetention(String v) { deadRetention = v; return this; }
        public Builder maxPayload(String v) { maxPayload = v; return this; }
        public Builder fetchConcurrency(int v) { fetchConcurrency = v; return this; }
        public Builder perHostConcurrency(int v) { perHostConcurrency = v; return this; }
        public Builder perHostDelay(String v) { perHostDelay = v; return this; }
        public Builder allowPrivateNetworks(boolean v) { allowPrivateNetworks = v; return this; }
        public Builder allowPorts(String v) { allowPorts = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder connectTimeout(String v) { connectTimeout = v; return this; }
        public Builder readTimeout(String v) { readTimeout = v; return this; }
        public Builder fetchTimeout(String v) { fetchTimeout = v; return this; }
        public Builder maxBody(String v) { maxBody = v; return this; }
        public Builder maxRedirects(int v) { maxRedirects = v; return this; }
        public Builder webhookSecret(String v) { webhookSecret = v; return this; }

        /** @throws InvalidSettingsException listing every invalid setting, each with its allowed range */
        public Settings build() {
            List<String> problems = new ArrayList<>();
            DbLocation dbLocation = null;
            try {
                dbLocation = DbLocation.parse(db);
            } catch (InvalidSettingsException e) {
                problems.add(e.getMessage());
            }
            range(problems, "--db-pool-size", dbPoolSize, 2, 200);
            Duration leaseD = duration(problems, "--lease", lease, Duration.ofSeconds(1), Duration.ofHours(12));
            Duration pollD = duration(problems, "--poll-interval", pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
            Duration graceD = duration(problems, "--shutdown-grace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
            Duration baseD = duration(problems, "--backoff-base", backoffBase, Duration.ofMillis(1), Duration.ofHours(1));
            Duration capD = duration(problems, "--backoff-cap", backoffCap, Duration.ofMillis(1), Duration.ofDays(7));
            if (baseD != null && capD != null && capD.compareTo(baseD) < 0) {
                problems.add("--backoff-cap must not be below --backoff-base (" + Durations.format(baseD) + "), got "
                        + Durations.format(capD));
            }
            range(problems, "--max-attempts", maxAttempts, 1, 1000);
            Duration rescueD = duration(problems, "--rescue-interval", rescueInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
            Duration retentionD = duration(problems, "--retention", retention, Duration.ZERO, Duration.ofDays(3650));
            Duration deadD = duration(problems, "--dead-retention", deadRetention, Duration.ZERO, Duration.ofDays(3650));
            long payload = -1;
            try {
                payload = ByteSizes.parse(maxPayload);
                if (payload < 1024 || payload > (16L << 20)) {
                    problems.add("--max-payload must be between 1KiB and 16MiB, got " + maxPayload);
                }
            } catch (IllegalArgumentException e) {
                problems.add("--max-payload: " + e.getMessage());
            }
            Fetching fetching = fetching(problems);
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(String.join("; ", problems));
            }
            return new Settings(dbLocation, dbPoolSize, migrate, leaseD, pollD, graceD, baseD, capD, maxAttempts, rescueD,
                    retentionD, deadD, payload, fetching);
        }

        private Fetching fetching(List<String> problems) {
            range(problems, "--fetch-concurrency", fetchConcurrency, 1, 1000);
            range(problems, "--per-host-concurrency", perHostConcurrency, 1, 256);
            range(problems, "--max-redirects", maxRedirects, 0, 20);
            Duration hostDelay = duration(problems, "--per-host-delay", perHostDelay, Duration.ZERO, Duration.ofMinutes(1));
            Duration connect = duration(problems, "--connect-timeout", connectTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
            Duration read = duration(problems, "--read-timeout", readTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            Duration total = duration(problems, "--fetch-timeout", fetchTimeout, Duration.ofSeconds(1), Duration.ofMinutes(30));
            long body = -1;
            try {
                body = ByteSizes.parse(maxBody);
                if (body < 1024 || body > (1L << 30)) {
                    problems.add("--max-body must be between 1KiB and 1GiB, got " + maxBody);
                }
            } catch (IllegalArgumentException e) {
                problems.add("--max-body: " + e.getMessage());
            }
            java.util.Set<Integer> ports = new java.util.TreeSet<>();
            boolean anyPort = allowPorts != null && allowPorts.strip().equals("*");
            if (!anyPort && allowPorts != null && !allowPorts.isBlank()) {
                for (String p : allowPorts.split(",")) {
                    try {
                        int port = Integer.parseInt(p.strip());
                        if (port < 1 || port > 65535) {
                            throw new NumberFormatException();
                        }
                        ports.add(port);
                    } catch (NumberFormatException e) {
                        problems.add("--allow-ports takes port numbers 1-65535 separated by commas, or '*', got '" + allowPorts + "'");
                        break;
                    }
                }
            }
            if (userAgent != null && (userAgent.isBlank() || userAgent.length() > 256 || userAgent.chars().anyMatch(c -> c < 0x20))) {
                problems.add("--user-agent must be 1-256 printable characters");
            }
            if (webhookSecret != null && webhookSecret.length() < 16) {
                problems.add("--webhook-secret must be at least 16 characters");
            }
            return new Fetching(fetchConcurrency, perHostConcurrency, hostDelay, allowPrivateNetworks, ports, anyPort,
                    userAgent, connect, read, total, body, maxRedirects, webhookSecret);
        }

        private static void range(List<String> problems, String name, int value, int min, int max) {
            if (value < min || value > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + value);
            }
        }

        private static Duration duration(List<String> problems, String name, String text, Duration min, Duration max) {
            Duration d;
            try {
                d = Durations.parse(text);
            } catch (IllegalArgumentException e) {
                problems.add(name + ": " + e.getMessage());
                return null;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(name + " must be between " + Durations.format(min) + " and " + Durations.format(max)
                        + ", got " + text);
                return null;
            }
            return d;
        }
    }
}
