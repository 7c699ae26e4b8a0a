package io.fetchq.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fetchq.store.Ids;
import io.fetchq.store.BrokerStore;
import io.fetchq.store.HostStore;
import io.fetchq.store.Job;
import io.fetchq.store.PageStore;
import io.fetchq.store.ScrapeStore;
import io.fetchq.store.JobClaimParams;
import io.fetchq.store.JobFailure;
import io.fetchq.store.JobInsert;
import io.fetchq.store.JobInsertResult;
import io.fetchq.store.JobListParams;
import io.fetchq.store.JobPruneParams;
import io.fetchq.store.JobRequeueParams;
import io.fetchq.store.JobState;
import io.fetchq.store.JobsAvailableListener;
import io.fetchq.store.Lease;
import io.fetchq.store.QueueStateCount;
import io.fetchq.store.SchemaPolicy;
import io.fetchq.store.Store;
import io.fetchq.store.StoreException;
import io.fetchq.store.StoreOpenException;
import io.fetchq.store.TimeSource;
import io.fetchq.store.TransitionResult;
import io.fetchq.store.jdbc.AvailabilityListeners;
import io.fetchq.store.jdbc.EventListeners;
import io.fetchq.store.jdbc.ClaimedAtInsert;
import io.fetchq.store.jdbc.Errors;
import io.fetchq.store.jdbc.JdbcHostStore;
import io.fetchq.store.jdbc.JdbcLookups;
import io.fetchq.store.jdbc.JdbcBrokerStore;
import io.fetchq.store.jdbc.JdbcPageStore;
import io.fetchq.store.jdbc.JdbcWork;
import io.fetchq.store.jdbc.JobRows;
import io.fetchq.store.jdbc.Rows;
import io.fetchq.store.jdbc.Rows.Availability;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store for many nodes: PostgreSQL through a HikariCP pool. Claims use {@code FOR UPDATE SKIP LOCKED}
 * so nodes never wait on each other's rows; batches travel as arrays (one statement per batch); every
 * operation that makes jobs available sends a {@code NOTIFY} in its transaction, which
 * {@link PgNotificationListener} turns into wake-ups on every other node.
 */
public final class PostgresStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    private static final String MIGRATIONS = "classpath:db/postgres/migration";
    private static final String HISTORY_TABLE = "fetchq_schema_history";

    /**
     * @param jdbcUrl  a {@code jdbc:postgresql://} URL, credentials in its parameters
     * @param schema   the schema to use (created by migration when missing); null for the connection's default
     * @param poolSize maximum pooled connections
     */
    public record Options(String jdbcUrl, String schema, int poolSize, SchemaPolicy schemaPolicy) {
    }

    private final HikariDataSource pool;
    private final PgDb db;
    private final PageStore pages;
    private final ScrapeStore scrapes;
    private final HostStore hosts;
    private final BrokerStore broker;
    private final String description;
    private final String channel;
    private final String nodeTag;
    private final AvailabilityListeners listeners = new AvailabilityListeners();
    private final EventListeners events = new EventListeners();
    private final String eventChannel;
    private final JdbcLookups lookups;
    private final JobRows rows = new JobRows(PgDb::readInstant);
    private final PgNotificationListener notifications;
    private final PgNotifier notifier;

    private PostgresStore(HikariDataSource pool, Options options, String schema, TimeSource time) {
        this.pool = pool;
        this.db = new PgDb(pool, time);
        this.pages = new JdbcPageStore(db);
        this.scrapes = new PgScrapeStore(db);
        this.lookups = new JdbcLookups(db, rows);
        this.hosts = new JdbcHostStore(db);
        this.broker = new JdbcBrokerStore(db);
        this.description = "postgresql " + PgUrls.redact(options.jdbcUrl()) + " schema " + schema;
        this.channel = PgUrls.channelFor(schema);
        this.nodeTag = Ids.newId();
        this.eventChannel = PgUrls.channelFor(schema + "_events");
        this.notifications = new PgNotificationListener(options.jdbcUrl(), channel, nodeTag, listeners, eventChannel,
                events);
        this.notifier = new PgNotifier(db, channel, PgNotificationListener.payload(nodeTag, ""));
    }

    /**
     * Connects, migrates (or checks) the schema, and starts listening for other nodes' notifications.
     *
     * @throws StoreOpenException with a one-line reason when the database cannot be used
     */
    public static PostgresStore open(Options options, TimeSource time) {
        String where = PgUrls.redact(options.jdbcUrl());
        HikariDataSource pool;
        try {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(options.jdbcUrl());
            config.setPoolName("fetchq-pg");
            config.setMaximumPoolSize(options.poolSize());
            config.setMinimumIdle(Math.min(2, options.poolSize()));
            config.setConnectionTimeout(10_000);
            config.setInitializationFailTimeout(1);
            config.addDataSourceProperty("ApplicationName", "fetchq");
            config.addDataSourceProperty("tcpKeepAlive", "true");
            if (options.schema() != null) {
                config.addDataSourceProperty("currentSchema", options.schema());
            }
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreOpenException("cannot connect to PostgreSQL at " + where + ": " + Errors.rootMessage(e), e);
        }
        try {
            String schema = options.schema() != null ? options.schema() : currentSchema(pool, options.jdbcUrl());
            migrate(pool, schema, options.schemaPolicy());
            PostgresStore store = new PostgresStore(pool, options, schema, time);
            store.notifications.start(Duration.ofSeconds(10));
            store.notifier.start();
            log.info("store: {}", store.describe());
            return store;
        } catch (RuntimeException e) {
            pool.close();
            if (e instanceof StoreOpenException) {
                throw e;
            }
            throw new StoreOpenException("cannot use PostgreSQL at " + where + ": " + Errors.rootMessage(e), e);
        }
    }

    /** The connection's schema; one the URL names ({@code currentSchema=}) but that does not exist yet is made by the migration. */
    private static String currentSchema(HikariDataSource pool, String jdbcUrl) {
        try (Connection c = pool.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT current_schema()")) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                schema = PgUrls.currentSchemaParam(jdbcUrl).orElse(null);
            }
            if (schema == null) {
                throw new StoreOpenException("the connection has no current schema; add currentSchema=... to the URL");
            }
            return schema;
        } catch (SQLException e) {
            throw new StoreException("cannot read the current schema", e);
        }
    }

    private static void migrate(HikariDataSource pool, String schema, SchemaPolicy policy) {
        Flyway flyway = Flyway.configure()
                .dataSource(pool)
                .locations(MIGRATIONS)
                .table(HISTORY_TABLE)
                .schemas(schema)
                .defaultSchema(schema)
                .createSchemas(true)
                .load();
        try {
            if (policy == SchemaPolicy.MIGRATE) {
                var result = flyway.migrate();
                if (result.migrationsExecuted > 0) {
                    log.info("migrated schema {} to version {}", schema, result.targetSchemaVersion);
                }
            } else {
                flyway.validate();
            }
        } catch (FlywayException e) {
            throw new StoreOpenException("schema " + schema + " is not usable: " + Errors.firstLine(e.getMessage())
                    + (policy == SchemaPolicy.VALIDATE ? " (apply the migrations first: fetchq migrate; this node does not migrate)" : ""), e);
        }
    }

    // ---- job ---------------------------------------------------------------------------------------

    @Override
    public List<JobInsertResult> jobInsertMany(List<JobInsert> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Set<String> wake = new LinkedHashSet<>();
        // One statement inserts; it is atomic on its own, so no transaction is needed.
        List<JobInsertResult> results = db.autoCommit("jobInsertMany", c -> insertAll(c, jobs, wake, 0));
        listeners.fire(wake);
        notifier.queuesAvailable(wake);
        return results;
    }

    private List<JobInsertResult> insertAll(Connection c, List<JobInsert> jobs, Set<String> wake, int depth)
            throws SQLException {
        int n = jobs.size();
        Set<String> inserted = new HashSet<>();
        Map<String, Job> claimed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(db.sql(n == 1 ? "jobInsertOne" : "jobInsertMany"))) {
            db.setNow(ps, 1);
            if (n == 1) {
                bindOne(ps, jobs.get(0));
            } else {
                bindMany(c, ps, jobs);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    inserted.add(id);
                    String state = rs.getString(3);
                    if ("available".equals(state)) {
                        wake.add(rs.getString(2));
                    } else if ("running".equals(state)) {
                        claimed.put(id, ClaimedAtInsert.job(byId(jobs, id), PgDb.readInstant(rs, 4), rs.getString(5),
                                PgDb.readInstant(rs, 6), PgDb.readInstant(rs, 7), PgDb.readInstant(rs, 8)));
                    }
                }
            }
        }
        List<JobInsertResult> out = new ArrayList<>(n);
        if (inserted.size() == n) {
            for (JobInsert j : jobs) {
                out.add(new JobInsertResult(j.id(), true, claimed.get(j.id())));
            }
            return out;
        }
        Map<String, String> holders = findDedupeHolders(c, jobs, inserted);
        List<JobInsert> orphans = new ArrayList<>();
        for (JobInsert j : jobs) {
            if (!inserted.contains(j.id()) && !holders.containsKey(dedupeSlot(j))) {
                orphans.add(j);
            }
        }
        if (!orphans.isEmpty()) {
            // Their key's holder finished between our insert and the lookup: the key is free again.
            if (depth >= 3) {
                throw new StoreException("jobInsertMany: dedupe keys kept changing hands; retry the insert");
            }
            List<JobInsertResult> retried = insertAll(c, orphans, wake, depth + 1);
            for (int i = 0; i < orphans.size(); i++) {
                JobInsertResult r = retried.get(i);
                if (r.inserted()) {
                    inserted.add(r.id());
                    if (r.claimed() != null) {
                        claimed.put(r.id(), r.claimed());
                    }
                } else {
                    holders.put(dedupeSlot(orphans.get(i)), r.id());
                }
            }
        }
        for (JobInsert j : jobs) {
            out.add(inserted.contains(j.id())
                    ? new JobInsertResult(j.id(), true, claimed.get(j.id()))
                    : new JobInsertResult(holders.get(dedupeSlot(j)), false));
        }
        return out;
    }

    /** Parameters 2-12 of jobInsertOne: the job's fields as scalars. */
    private static void bindOne(PreparedStatement ps, JobInsert j) throws SQLException {
        ps.setString(2, j.id());
        ps.setString(3, j.queue());
        ps.setInt(4, j.priority());
        ps.setString(5, j.payload());
        ps.setInt(6, j.maxAttempts());
        if (j.runAt() == null) {
            ps.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(7, OffsetDateTime.ofInstant(j.runAt(), ZoneOffset.UTC));
        }
        ps.setLong(8, j.delay().toMillis());
        ps.setString(9, j.dedupeKey());
        ps.setString(10, j.groupId());
        if (j.grant() == null) {
            ps.setNull(11, Types.VARCHAR);
            ps.setNull(12, Types.BIGINT);
        } else {
            ps.setString(11, j.grant().leasedBy());
            ps.setLong(12, j.grant().lease().toMillis());
        }
    }

    /** Parameters 2-12 of jobInsertMany: the same fields as parallel arrays. */
    private static void bindMany(Connection c, PreparedStatement ps, List<JobInsert> jobs) throws SQLException {
        int n = jobs.size();
        String[] ids = new String[n], queues = new String[n], payloads = new String[n], runAts = new String[n];
        String[] dedupeKeys = new String[n], groups = new String[n], leasedBy = new String[n];
        Integer[] priorities = new Integer[n], maxAttempts = new Integer[n];
        Long[] delays = new Long[n], leaseMs = new Long[n];
        for (int i = 0; i < n; i++) {
            JobInsert j = jobs.get(i);
            ids[i] = j.id();
            queues[i] = j.queue();
            payloads[i] = j.payload();
            priorities[i] = j.priority();
            maxAttempts[i] = j.maxAttempts();
            runAts[i] = j.runAt() == null ? null : j.runAt().toString();
            delays[i] = j.delay().toMillis();
            dedupeKeys[i] = j.dedupeKey();
            groups[i] = j.groupId();
            leasedBy[i] = j.grant() == null ? null : j.grant().leasedBy();
            leaseMs[i] = j.grant() == null ? null : j.grant().lease().toMillis();
        }
        ps.setArray(2, c.createArrayOf("text", ids));
        ps.setArray(3, c.createArrayOf("text", queues));
        ps.setArray(4, c.createArrayOf("int4", priorities));
        ps.setArray(5, c.createArrayOf("text", payloads));
        ps.setArray(6, c.createArrayOf("int4", maxAttempts));
        ps.setArray(7, c.createArrayOf("text", runAts));
        ps.setArray(8, c.createArrayOf("int8", delays));
        ps.setArray(9, c.createArrayOf("text", dedupeKeys));
        ps.setArray(10, c.createArrayOf("text", groups));
        ps.setArray(11, c.createArrayOf("text", leasedBy));
        ps.setArray(12, c.createArrayOf("int8", leaseMs));
    }

    private static JobInsert byId(List<JobInsert> jobs, String id) {
        for (JobInsert j : jobs) {
            if (j.id().equals(id)) {
                return j;
            }
        }
        throw new IllegalStateException("the insert returned unknown job " + id);
    }

    private static String dedupeSlot(JobInsert j) {
        return j.queue() + '\u0000' + j.dedupeKey();
    }

    private Map<String, String> findDedupeHolders(Connection c, List<JobInsert> jobs, Set<String> inserted)
            throws SQLException {
        List<String> queues = new ArrayList<>(), keys = new ArrayList<>();
        for (JobInsert j : jobs) {
            if (!inserted.contains(j.id()) && j.dedupeKey() != null) {
                queues.add(j.queue());
                keys.add(j.dedupeKey());
            }
        }
        Map<String, String> holders = new HashMap<>();
        try (PreparedStatement ps = db.prepare(c, "jobFindUnfinishedByDedupe")) {
            ps.setArray(1, c.createArrayOf("text", queues.toArray(String[]::new)));
            ps.setArray(2, c.createArrayOf("text", keys.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    holders.put(rs.getString("queue") + '\u0000' + rs.getString("dedupe_key"), rs.getString("id"));
                }
            }
        }
        return holders;
    }

    @Override
    public Optional<Job> jobGet(String id) {
        return db.autoCommit("jobGet", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobGet"))) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rows.one(rs)) : Optional.<Job>empty();
                }
            }
        });
    }

    @Override
    public List<Job> jobList(JobListParams p) {
        return db.autoCommit("jobList", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobList"))) {
                String state = p.state() == null ? null : p.state().dbName();
                ps.setString(1, p.queue());
                ps.setString(2, p.queue());
                ps.setString(3, state);
                ps.setString(4, state);
                ps.setString(5, p.groupId());
                ps.setString(6, p.groupId());
                ps.setString(7, p.beforeId());
                ps.setString(8, p.beforeId());
                ps.setInt(9, p.limit());
                return rows.all(ps);
            }
        });
    }

    @Override
    public List<Job> jobClaim(JobClaimParams p) {
        return db.autoCommit("jobClaim", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobClaim"))) {
                db.setNow(ps, 1);
                ps.setLong(2, p.lease().toMillis());
                ps.setString(3, p.leasedBy());
                ps.setString(4, p.queue());
                ps.setInt(5, p.limit());
                List<Job> claimed = rows.all(ps);
                claimed.sort(Job.CLAIM_ORDER);
                return claimed;
            }
        });
    }

    @Override
    public List<String> jobHeartbeat(List<Lease> leases, Duration extendBy) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return db.autoCommit("jobHeartbeat", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobHeartbeat"))) {
                db.setNow(ps, 1);
                ps.setLong(2, extendBy.toMillis());
                setLeases(c, ps, 3, leases);
                return Rows.strings(ps);
            }
        });
    }

    @Override
    public List<String> jobDeleteLeased(List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return db.autoCommit("jobDeleteLeased", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobDeleteLeased"))) {
                setLeases(c, ps, 1, leases);
                return Rows.strings(ps);
            }
        });
    }

    @Override
    public TransitionResult jobComplete(List<Lease> leases) {
        if (leases.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.autoCommit("jobComplete", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobComplete"))) {
                db.setNow(ps, 1);
                setLeases(c, ps, 2, leases);
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobFailRetry(List<JobFailure> failures) {
        if (failures.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.autoCommit("jobFailRetry", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobFailRetry"))) {
                db.setNow(ps, 1);
                setFailures(c, ps, 2, failures);
                Long[] delays = failures.stream().map(f -> f.retryDelay().toMillis()).toArray(Long[]::new);
                ps.setArray(5, c.createArrayOf("int8", delays));
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobDefer(List<JobFailure> deferrals) {
        if (deferrals.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.autoCommit("jobDefer", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobDefer"))) {
                db.setNow(ps, 1);
                setFailures(c, ps, 2, deferrals);
                Long[] delays = deferrals.stream().map(f -> f.retryDelay().toMillis()).toArray(Long[]::new);
                ps.setArray(5, c.createArrayOf("int8", delays));
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobFailDead(List<JobFailure> failures) {
        if (failures.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.autoCommit("jobFailDead", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobFailDead"))) {
                db.setNow(ps, 1);
                setFailures(c, ps, 2, failures);
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobRelease(List<Lease> leases) {
        if (leases.isEmpty()) {
            return TransitionResult.NONE;
        }
        return makingAvailable("jobRelease", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobRelease"))) {
                db.setNow(ps, 1);
                setLeases(c, ps, 2, leases);
                return Rows.transition(ps, Availability.MAKES_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobRescueExpired(int limit) {
        return makingAvailable("jobRescueExpired", c -> {
            TransitionResult retried = limited(c, "jobRescueRetry", limit, Availability.MAKES_AVAILABLE);
            TransitionResult dead = limited(c, "jobRescueDead", limit, Availability.NOT_AVAILABLE);
            return Rows.merge(retried, dead);
        });
    }

    @Override
    public TransitionResult jobPromoteDue(int limit) {
        return makingAvailable("jobPromoteDue",
                c -> limited(c, "jobPromoteDue", limit, Availability.MAKES_AVAILABLE));
    }

    private TransitionResult limited(Connection c, String statement, int limit, Availability availability)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(db.sql(statement))) {
            db.setNow(ps, 1);
            ps.setInt(2, limit);
            return Rows.transition(ps, availability);
        }
    }

    @Override
    public Optional<Duration> jobNextDueIn() {
        return lookups.millisUntil("jobNextDueIn");
    }

    @Override
    public Optional<Duration> jobNextLeaseExpiryIn() {
        return lookups.millisUntil("jobNextLeaseExpiryIn");
    }

    @Override
    public boolean jobCancel(String id) {
        return db.autoCommit("jobCancel", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobCancel"))) {
                db.setNow(ps, 1);
                ps.setString(2, id);
                return Rows.transition(ps, Availability.NOT_AVAILABLE).count() == 1;
            }
        });
    }

    @Override
    public TransitionResult jobCancelGroup(String groupId) {
        return db.autoCommit("jobCancelGroup", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobCancelGroup"))) {
                db.setNow(ps, 1);
                ps.setString(2, groupId);
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobCancelByDedupeKeys(String queue, java.util.Collection<String> dedupeKeys) {
        if (dedupeKeys.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.transaction("jobCancelByDedupeKeys", c -> {
            try (PreparedStatement ps = db.prepare(c, "jobCancelByDedupeKeys")) {
                db.setNow(ps, 1);
                ps.setString(2, queue);
                db.setTextList(c, ps, 3, dedupeKeys);
                return Rows.transition(ps, Availability.NOT_AVAILABLE);
            }
        });
    }

    @Override
    public TransitionResult jobRequeueDead(JobRequeueParams p) {
        return makingAvailable("jobRequeueDead", c -> {
            try (PreparedStatement ps = db.prepare(c, "jobRequeueDead")) {
                Array ids = p.ids() == null ? null : c.createArrayOf("text", p.ids().toArray(String[]::new));
                db.setNow(ps, 1);
                ps.setArray(2, ids);
                ps.setArray(3, ids);
                ps.setString(4, p.queue());
                ps.setString(5, p.queue());
                ps.setString(6, p.groupId());
                ps.setString(7, p.groupId());
                return Rows.transition(ps, Availability.MAKES_AVAILABLE);
            }
        });
    }

    @Override
    public int jobPruneFinished(JobPruneParams p) {
        return db.autoCommit("jobPruneFinished", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobPruneFinished"))) {
                db.setNow(ps, 1);
                ps.setLong(2, p.finishedRetention().toMillis());
                ps.setLong(3, p.deadRetention().toMillis());
                ps.setInt(4, p.limit());
                return ps.executeUpdate();
            }
        });
    }

    // ---- queue -------------------------------------------------------------------------------------

    @Override
    public List<QueueStateCount> queueStats() {
        return db.autoCommit("queueStats", c -> {
            List<QueueStateCount> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(db.sql("queueStats")); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QueueStateCount(rs.getString(1), JobState.fromDbName(rs.getString(2)), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    // ---- store -------------------------------------------------------------------------------------

    @Override
    public Instant now() {
        return db.autoCommit("storeNow", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("storeNow"))) {
                db.setNow(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, OffsetDateTime.class).toInstant();
                }
            }
        });
    }

    @Override
    public void ping() {
        db.autoCommit("storePing", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("storePing")); ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public Optional<Job> jobLatestByDedupeKey(String queue, String dedupeKey) {
        return lookups.jobLatestByDedupeKey(queue, dedupeKey);
    }

    @Override
    public Map<String, Long> queueActiveWorkers() {
        return lookups.queueActiveWorkers();
    }

    @Override
    public String metaGetOrPut(String key, String value) {
        return lookups.metaGetOrPut(key, value);
    }

    @Override
    public PageStore pages() {
        return pages;
    }

    @Override
    public ScrapeStore scrapes() {
        return scrapes;
    }

    @Override
    public HostStore hosts() {
        return hosts;
    }

    @Override
    public BrokerStore broker() {
        return broker;
    }

    @Override
    public void eventNotify(List<String> payloads) {
        if (payloads.isEmpty()) {
            return;
        }
        db.inTransaction("eventNotify", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("storeNotifyMany"))) {
                ps.setString(1, eventChannel);
                ps.setArray(2, c.createArrayOf("text", payloads.toArray(String[]::new)));
                ps.execute();
            }
            return null;
        });
    }

    @Override
    public void addEventListener(java.util.function.Consumer<String> listener) {
        events.add(listener);
    }

    @Override
    public void addJobsAvailableListener(JobsAvailableListener listener) {
        listeners.add(listener);
    }

    @Override
    public String schemaVersion() {
        return lookups.schemaVersion().orElse("none");
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        notifier.stop();
        notifications.stop();
        pool.close();
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    /** Runs work that makes jobs available, then wakes this node's waiters and notifies the other nodes. */
    private TransitionResult makingAvailable(String operation, JdbcWork<TransitionResult> work) {
        TransitionResult result = db.inTransaction(operation, work);
        listeners.fire(result.queuesMadeAvailable());
        notifier.queuesAvailable(result.queuesMadeAvailable());
        return result;
    }

    private static void setLeases(Connection c, PreparedStatement ps, int index, List<Lease> leases) throws SQLException {
        ps.setArray(index, c.createArrayOf("text", leases.stream().map(Lease::jobId).toArray(String[]::new)));
        ps.setArray(index + 1, c.createArrayOf("text", leases.stream().map(Lease::token).toArray(String[]::new)));
    }

    private static void setFailures(Connection c, PreparedStatement ps, int index, List<JobFailure> failures)
            throws SQLException {
        setLeases(c, ps, index, failures.stream().map(JobFailure::lease).toList());
        ps.setArray(index + 2, c.createArrayOf("text", failures.stream().map(JobFailure::error).toArray(String[]::new)));
    }
}
