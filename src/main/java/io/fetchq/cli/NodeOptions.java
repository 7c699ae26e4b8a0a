package io.fetchq.cli;

import io.fetchq.config.Settings;
import picocli.CommandLine.Option;

/**
 * The settings of a node, as flags. Each flag falls back to its {@code FETCHQ_*} environment variable,
 * then to the default declared in {@link Settings}.
 */
final class NodeOptions {
    @Option(names = "--db", paramLabel = "FILE|URL",
            defaultValue = "${env:FETCHQ_DB:-" + Settings.DEFAULT_DB + "}",
            description = "SQLite file, or postgresql://user:pass@host:port/db to share one PostgreSQL between "
                    + "nodes (env FETCHQ_DB; default ${DEFAULT-VALUE}).")
    String db;

    @Option(names = "--db-pool-size", paramLabel = "N",
            defaultValue = "${env:FETCHQ_DB_POOL_SIZE:-" + Settings.DEFAULT_DB_POOL_SIZE + "}",
            description = "PostgreSQL connections this node may hold, 2-200 (env FETCHQ_DB_POOL_SIZE; default ${DEFAULT-VALUE}).")
    int dbPoolSize;

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

    /** @throws io.fetchq.config.InvalidSettingsException listing every bad value */
    Settings settings() {
        return Settings.builder()
                .db(db)
                .dbPoolSize(dbPoolSize)
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
                .build();
    }
}
