package io.fetchq.cli;

import io.fetchq.config.Settings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The settings of a node, as flags. Each flag falls back to its {@code FETCHQ_*} environment variable,
 * then to the default declared in {@link Settings}.
 */
final class NodeOptions {
    @Mixin
    DbOption database;

    @Option(names = "--db-pool-size", paramLabel = "N",
            defaultValue = "${env:FETCHQ_DB_POOL_SIZE:-" + Settings.DEFAULT_DB_POOL_SIZE + "}",
            description = "PostgreSQL connections this node may hold, 2-200 (env FETCHQ_DB_POOL_SIZE; default ${DEFAULT-VALUE}).")
    int dbPoolSize;

    @Option(names = "--migrate", negatable = true, defaultValue = "${env:FETCHQ_MIGRATE:-true}",
            description = "Bring the database schema up to date at start (the default); --no-migrate only checks "
                    + "that it is current and refuses to start otherwise, for operators who run 'fetchq migrate' "
                    + "themselves (env FETCHQ_MIGRATE).")
    boolean migrate;

    @Option(names = "--lease", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_LEASE:-" + Settings.DEFAULT_LEASE + "}",
            description = "How long a claimed job stays leased to this node without a heartbeat before another node "
                    + "may take it over, 1s-12h (env FETCHQ_LEASE; default ${DEFAULT-VALUE}). Heartbeats run every third of it.")
    String lease;

    @Option(names = "--poll-interval", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_POLL_INTERVAL:-" + Settings.DEFAULT_POLL_INTERVAL + "}",
            description = "Longest an idle worker waits before looking for work without being woken, 10ms-1m "
                    + "(env FETCHQ_POLL_INTERVAL; default ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_SHUTDOWN_GRACE:-" + Settings.DEFAULT_SHUTDOWN_GRACE + "}",
            description = "On stop, how long running jobs may finish before they are handed back to the queue, 0s-1h "
                    + "(env FETCHQ_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
    String shutdownGrace;

    @Option(names = "--backoff-base", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_BACKOFF_BASE:-" + Settings.DEFAULT_BACKOFF_BASE + "}",
            description = "Retry backoff after the first failure; it doubles per attempt with full jitter "
                    + "(env FETCHQ_BACKOFF_BASE; default ${DEFAULT-VALUE}).")
    String backoffBase;

    @Option(names = "--backoff-cap", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_BACKOFF_CAP:-" + Settings.DEFAULT_BACKOFF_CAP + "}",
            description = "Longest retry backoff (env FETCHQ_BACKOFF_CAP; default ${DEFAULT-VALUE}).")
    String backoffCap;

    @Option(names = "--max-attempts", paramLabel = "N",
            defaultValue = "${env:FETCHQ_MAX_ATTEMPTS:-" + Settings.DEFAULT_MAX_ATTEMPTS + "}",
            description = "Attempts a job gets unless it says otherwise, 1-1000 (env FETCHQ_MAX_ATTEMPTS; default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--rescue-interval", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_RESCUE_INTERVAL:-" + Settings.DEFAULT_RESCUE_INTERVAL + "}",
            description = "How often expired leases are looked for (env FETCHQ_RESCUE_INTERVAL; default ${DEFAULT-VALUE}).")
    String rescueInterval;

    @Option(names = "--retention", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_RETENTION:-" + Settings.DEFAULT_RETENTION + "}",
            description = "How long completed and cancelled jobs are kept (env FETCHQ_RETENTION; default ${DEFAULT-VALUE}).")
    String retention;

    @Option(names = "--dead-retention", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_DEAD_RETENTION:-" + Settings.DEFAULT_DEAD_RETENTION + "}",
            description = "How long dead jobs (dead letters) are kept (env FETCHQ_DEAD_RETENTION; default ${DEFAULT-VALUE}).")
    String deadRetention;

    @Option(names = "--max-payload", paramLabel = "SIZE",
            defaultValue = "${env:FETCHQ_MAX_PAYLOAD:-" + Settings.DEFAULT_MAX_PAYLOAD + "}",
            description = "Largest job payload accepted, 1KiB-16MiB (env FETCHQ_MAX_PAYLOAD; default ${DEFAULT-VALUE}).")
    String maxPayload;

    @Option(names = "--fetch-concurrency", paramLabel = "N",
            defaultValue = "${env:FETCHQ_FETCH_CONCURRENCY:-" + Settings.DEFAULT_FETCH_CONCURRENCY + "}",
            description = "Pages this node fetches at once, 1-1000 (env FETCHQ_FETCH_CONCURRENCY; default ${DEFAULT-VALUE}).")
    int fetchConcurrency;

    @Option(names = "--per-host-concurrency", paramLabel = "N",
            defaultValue = "${env:FETCHQ_PER_HOST_CONCURRENCY:-" + Settings.DEFAULT_PER_HOST_CONCURRENCY + "}",
            description = "Requests to one host at once, across all nodes sharing the database, 1-256 "
                    + "(env FETCHQ_PER_HOST_CONCURRENCY; default ${DEFAULT-VALUE}).")
    int perHostConcurrency;

    @Option(names = "--per-host-delay", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_PER_HOST_DELAY:-" + Settings.DEFAULT_PER_HOST_DELAY + "}",
            description = "Least time between request starts to one host, across all nodes; a longer robots.txt "
                    + "Crawl-delay wins, up to 30s (env FETCHQ_PER_HOST_DELAY; default ${DEFAULT-VALUE}).")
    String perHostDelay;

    @Option(names = "--allow-private-networks", negatable = true,
            defaultValue = "${env:FETCHQ_ALLOW_PRIVATE_NETWORKS:-false}",
            description = "Let the fetcher reach loopback, private and link-local addresses, which the SSRF guard "
                    + "refuses by default; for tests and local benchmarks only (env FETCHQ_ALLOW_PRIVATE_NETWORKS).")
    boolean allowPrivateNetworks;

    @Option(names = "--allow-ports", paramLabel = "PORTS",
            defaultValue = "${env:FETCHQ_ALLOW_PORTS:-}",
            description = "Ports the fetcher may use besides 80 and 443, comma-separated, or '*' for all "
                    + "(env FETCHQ_ALLOW_PORTS).")
    String allowPorts;

    @Option(names = "--user-agent", paramLabel = "TEXT", defaultValue = "${env:FETCHQ_USER_AGENT}",
            description = "User-Agent sent with every request (env FETCHQ_USER_AGENT; default fetchq/<version> (+project url)).")
    String userAgent;

    @Option(names = "--connect-timeout", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_CONNECT_TIMEOUT:-" + Settings.DEFAULT_CONNECT_TIMEOUT + "}",
            description = "To open a connection (env FETCHQ_CONNECT_TIMEOUT; default ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_READ_TIMEOUT:-" + Settings.DEFAULT_READ_TIMEOUT + "}",
            description = "Longest silence from a server while reading (env FETCHQ_READ_TIMEOUT; default ${DEFAULT-VALUE}).")
    String readTimeout;

    @Option(names = "--fetch-timeout", paramLabel = "DURATION",
            defaultValue = "${env:FETCHQ_FETCH_TIMEOUT:-" + Settings.DEFAULT_FETCH_TIMEOUT + "}",
            description = "For a whole fetch, redirects included (env FETCHQ_FETCH_TIMEOUT; default ${DEFAULT-VALUE}).")
    String fetchTimeout;

    @Option(names = "--max-body", paramLabel = "SIZE",
            defaultValue = "${env:FETCHQ_MAX_BODY:-" + Settings.DEFAULT_MAX_BODY + "}",
            description = "Largest page body kept, decoded; reading stops beyond it, 1KiB-1GiB "
                    + "(env FETCHQ_MAX_BODY; default ${DEFAULT-VALUE}).")
    String maxBody;

    @Option(names = "--max-redirects", paramLabel = "N",
            defaultValue = "${env:FETCHQ_MAX_REDIRECTS:-" + Settings.DEFAULT_MAX_REDIRECTS + "}",
            description = "Redirects followed before a fetch fails, 0-20 (env FETCHQ_MAX_REDIRECTS; default ${DEFAULT-VALUE}).")
    int maxRedirects;

    @Option(names = "--webhook-secret", paramLabel = "SECRET", defaultValue = "${env:FETCHQ_WEBHOOK_SECRET}",
            description = "Signs webhook bodies (HMAC-SHA256, header X-Fetchq-Signature); at least 16 characters "
                    + "(env FETCHQ_WEBHOOK_SECRET; default: a random secret kept in the database).")
    String webhookSecret;

    /** @throws io.fetchq.config.InvalidSettingsException listing every bad value */
    Settings settings() {
        return Settings.builder()
                .db(database.db)
                .dbPoolSize(dbPoolSize)
                .migrate(migrate)
                .lease(lease)
                .pollInterval(pollInterval)
                .shutdownGrace(shutdownGrace)
                .backoffBase(backoffBase)
                .backoffCap(backoffCap)
                .maxAttempts(maxAttempts)
                .rescueInterval(rescueInterval)
                .retention(retention)
                .deadRetention(deadRetention)
                .maxPayload(maxPayload)
                .fetchConcurrency(fetchConcurrency)
                .perHostConcurrency(perHostConcurrency)
                .perHostDelay(perHostDelay)
                .allowPrivateNetworks(allowPrivateNetworks)
                .allowPorts(allowPorts)
                .userAgent(userAgent)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .fetchTimeout(fetchTimeout)
                .maxBody(maxBody)
                .maxRedirects(maxRedirects)
                .webhookSecret(webhookSecret)
                .build();
    }
}
