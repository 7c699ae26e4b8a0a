package io.fetchq.store.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fetchq.store.Ids;
import io.fetchq.store.BrokerStore;
import io.fetchq.store.HostStore;
import io.fetchq.store.SchemaPolicy;
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
import io.fetchq.store.Store;
import io.fetchq.store.StoreException;
import io.fetchq.store.StoreOpenException;
import io.fetchq.store.TimeSource;
import io.fetchq.store.TransitionResult;
import io.fetchq.store.jdbc.AvailabilityListeners;
import io.fetchq.store.jdbc.EventListeners;
import io.fetchq.store.jdbc.ClaimedAtInsert;
import io.fetchq.store.jdbc.Errors;
import io.fetchq.store.jdbc.JdbcLookups;
import io.fetchq.store.jdbc.JdbcBrokerStore;
import io.fetchq.store.jdbc.JdbcPageStore;
import io.fetchq.store.jdbc.JdbcScrapeStore;
import io.fetchq.store.jdbc.JdbcWork;
import io.fetchq.store.jdbc.JobRows;
import io.fetchq.store.jdbc.Rows;
import io.fetchq.store.jdbc.Rows.Availability;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded default: one SQLite file in WAL mode. All writes go through one connection guarded by a
 * lock (SQLite allows one writer at a time; queueing writers here instead of in SQLite's busy handler
 * means "database is locked" never happens); reads use a small pool of read-only connections, which WAL
 * lets run beside the writer. Since SQLite runs inside this process, "now" is this process's clock.
 */
public final class SqliteStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(SqliteStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READERS = 4;

    private final Path file;
    /** Held while open: an SQLite file belongs to one fetchq process (per-host politeness is kept in it). */
    private final FileLock owner;
    private final SqliteDb db;
    private final SqliteCheckpointer checkpointer;
    private final PageStore pages;
    private final ScrapeStore scrapes;
    private final BrokerStore broker;
    private final HostStore hosts;
    private final AvailabilityListeners listeners = new AvailabilityListeners();
    private final EventListeners events = new EventListeners();
    private final JdbcLookups lookups;
    private final JobRows rows = new JobRows(SqliteDb::readInstant);

    private SqliteStore(Path file, FileLock owner, TimeSource time, Connection writer, HikariDataSource readers,
                        Connection checkpoints) {
        this.file = file;
        this.owner = owner;
        this.db = new SqliteDb(writer, readers, time);
        this.checkpointer = new SqliteCheckpointer(checkpoints, db);
        this.pages = new JdbcPageStore(db);
        this.scrapes = new JdbcScrapeStore(db);
        this.broker = new JdbcBrokerStore(db);
        this.lookups = new JdbcLookups(db, rows);
        this.hosts = new SqliteHostStore(db);
    }

    /** The shared writer and readers (for tests of the group commit). */
    SqliteDb db() {
        return db;
    }

    /**
     * Opens (creating if needed) the database file and brings its schema up to date.
     *
     * @throws StoreOpenException with a one-line reason when the file cannot be used
     */
    public static SqliteStore open(Path file, TimeSource time) {
        return open(file, time, SchemaPolicy.MIGRATE);
    }

    /**
     * Opens (creating if needed) the database file, and migrates its schema or, with {@link
     * SchemaPolicy#VALIDATE}, only checks that it is current.
     *
     * @throws StoreOpenException with a one-line reason when the file cannot be used
     */
    public static SqliteStore open(Path file, TimeSource time, SchemaPolicy policy) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (Files.isDirectory(file)) {
                throw new StoreOpenException("cannot use SQLite database " + file + ": it is a directory");
            }
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreOpenException("cannot create the folder for SQLite database " + file + ": " + e, e);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        FileLock owner = own(file);
        Connection writer = null;
        Connection checkpoints = null;
        HikariDataSource readers = null;
        try {
            SQLiteDataSource writeSource = new SQLiteDataSource(config(false));
            writeSource.setUrl(url);
            migrate(writeSource, file, policy);
            writer = writeSource.getConnection();
            try (Statement st = writer.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint=" + SqliteCheckpointer.WRITER_AUTOCHECKPOINT_PAGES);
            }
            readers = readerPool(url);
            checkpoints = writeSource.getConnection();
            SqliteStore store = new SqliteStore(file, owner, time, writer, readers, checkpoints);
            log.info("store: {}", store.describe());
            return store;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(writer);
            closeQuietly(checkpoints);
            if (readers != null) {
                readers.close();
            }
            release(owner);
            if (e instanceof StoreOpenException soe) {
                throw soe;
            }
            throw new StoreOpenException("cannot open SQLite database " + file + ": " + Errors.rootMessage(e), e);
        }
    }

    /**
     * Locks {@code <file>.lock} for this process: a second fetchq process on the same file would keep its
     * own per-host politeness and break it. Several processes need PostgreSQL.
     */
    private static FileLock own(Path file) {
        Path lockFile = Path.of(file.toAbsolutePath() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // this process has it open already: refused just the same
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreOpenException("cannot lock SQLite database " + file + " (" + lockFile + "): " + e, e);
        }
        closeQuietly(channel);
        throw new StoreOpenException("SQLite database " + file + " is in use by another fetchq process (it holds "
                + lockFile + "); an SQLite file serves one process, several need PostgreSQL (--db postgresql://...)");
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel closes below anyway
        }
        closeQuietly(lock.channel());
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing held any more
            }
        }
    }

    private static SQLiteConfig config(boolean readOnly) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode: a commit survives a killed process; only an OS crash may lose the last ones.
        c.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        c.setBusyTimeout(10_000);
        c.setTempStore(SQLiteConfig.TempStore.MEMORY);
        c.setCacheSize(-32_000);
        c.setReadOnly(readOnly);
        c.setGetGeneratedKeys(false); // sqlite-jdbc would query last_insert_rowid() after every insert
        return c;
    }

    private static HikariDataSource readerPool(String url) {
        SQLiteDataSource readSource = new SQLiteDataSource(config(true));
        readSource.setUrl(url);
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(readSource);
        hc.setPoolName("fetchq-sqlite-read");
        hc.setMaximumPoolSize(READERS);
        hc.setMinimumIdle(1);
        hc.setReadOnly(true);
        hc.setInitializationFailTimeout(1);
        return new HikariDataSource(hc);
    }

    private static void migrate(SQLiteDataSource source, Path file, SchemaPolicy policy) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(source)
                    .locations("classpath:db/sqlite/migration")
                    .table("fetchq_schema_history")
                    .load();
            if (policy == SchemaPolicy.VALIDATE) {
                flyway.validate();
                return;
            }
            var result = flyway.migrate();
            if (result.migrationsExecuted > 0) {
                log.info("migrated {} to schema version {}", file, result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new StoreOpenException("cannot open SQLite database " + file + ": " + Errors.rootMessage(e)
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
        List<JobInsertResult> results = db.writeTransaction("jobInsertMany", c -> {
            long now = db.nowMillis();
            long[] runAts = new long[jobs.size()];
            String[] tokens = new String[jobs.size()];
            PreparedStatement insert = db.writerStatement("jobInsertOne");
            for (int i = 0; i < jobs.size(); i++) {
                JobInsert j = jobs.get(i);
                runAts[i] = j.runAt() != null ? j.runAt().toEpochMilli() : now + j.delay().toMillis();
                tokens[i] = j.grant() == null ? null : Ids.newToken();
                insert.setString(1, j.id());
                insert.setString(2, j.queue());
                insert.setInt(3, j.priority());
                insert.setString(4, j.payload());
                insert.setInt(5, j.maxAttempts());
                insert.setLong(6, runAts[i]);
                insert.setString(7, j.dedupeKey());
                insert.setString(8, j.groupId());
                insert.setLong(9, now);
                if (j.grant() == null) {
                    insert.setNull(10, Types.VARCHAR);
                    insert.setNull(11, Types.INTEGER);
                    insert.setNull(12, Types.VARCHAR);
                } else {
                    insert.setString(10, j.grant().leasedBy());
                    insert.setLong(11, now + j.grant().lease().toMillis());
                    insert.setString(12, tokens[i]);
                }
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            List<JobInsertResult> out = new ArrayList<>(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                JobInsert j = jobs.get(i);
                if (counts[i] > 0 && j.grant() != null) {
                    Instant at = Instant.ofEpochMilli(now);
                    out.add(new JobInsertResult(j.id(), true, ClaimedAtInsert.job(j, at, tokens[i],
                            at.plus(j.grant().lease()), at, at)));
                } else if (counts[i] > 0) {
                    out.add(new JobInsertResult(j.id(), true));
                    if (runAts[i] <= now) {
                        wake.add(j.queue());
                    }
                } else {
                    out.add(new JobInsertResult(dedupeHolder(j), false));
                }
            }
            return out;
        });
        listeners.fire(wake);
        return results;
    }

    private String dedupeHolder(JobInsert j) throws SQLException {
        PreparedStatement find = db.writerStatement("jobFindUnfinishedByDedupe");
        find.setString(1, j.queue());
        find.setString(2, j.dedupeKey());
        List<String> holder = Rows.strings(find);
        if (holder.isEmpty()) {
            throw new StoreException("jobInsertMany: job " + j.id() + " was neither inserted nor deduplicated");
        }
        return holder.get(0);
    }

    @Override
    public Optional<Job> jobGet(String id) {
        return db.read("jobGet", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobGet"))) {
                ps.setString(1, id);
                List<Job> found = rows.all(ps);
                return found.isEmpty() ? Optional.<Job>empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<Job> jobList(JobListParams p) {
        return db.read("jobList", c -> {
            try (PreparedStatement ps = c.prepareStatement(db.sql("jobList"))) {
                ps.setString(1, p.queue());
                ps.setString(2, p.state() == null ? null : p.state().dbName());
                ps.setString(3, p.groupId());
                ps.setString(4, p.beforeId());
                ps.setInt(5, p.limit());
                return rows.all(ps);
            }
        });
    }

    @Override
    public List<Job> jobClaim(JobClaimParams p) {
        return db.write("jobClaim", c -> {
            PreparedStatement ps = db.writerStatement("jobClaim");
            ps.setLong(1, db.nowMillis());
            ps.setString(2, p.queue());
            ps.setInt(3, p.limit());
            ps.setLong(4, p.lease().toMillis());
            ps.setString(5, p.leasedBy());
            List<Job> claimed = rows.all(ps);
            claimed.sort(Job.CLAIM_ORDER);
            return claimed;
        });
    }

    @Override
    public List<String> jobHeartbeat(List<Lease> leases, Duration extendBy) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return db.write("jobHeartbeat", c -> {
            PreparedStatement ps = db.writerStatement("jobHeartbeat");
            ps.setLong(1, db.nowMillis());
            ps.setLong(2, extendBy.toMillis());
            ps.setString(3, SqliteDb.json(leases.stream().map(l -> List.of(l.jobId(), l.token())).toList()));
            return Rows.strings(ps);
        });
    }

    @Override
    public List<String> jobDeleteLeased(List<Lease> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return db.write("jobDeleteLeased", c -> {
            PreparedStatement ps = db.writerStatement("jobDeleteLeased");
            ps.setString(1, SqliteDb.json(leases.stream().map(l -> List.of(l.jobId(), l.token())).toList()));
            return Rows.strings(ps);
        });
    }

    @Override
    public TransitionResult jobComplete(List<Lease> leases) {
        return leaseBatch("jobComplete", leases.stream().map(l -> List.<Object>of(l.jobId(), l.token())).toList(),
                Availability.NOT_AVAILABLE);
    }

    @Override
    public TransitionResult jobFailRetry(List<JobFailure> failures) {
        return leaseBatch("jobFailRetry", failures.stream().map(f -> List.<Object>of(f.lease().jobId(),
                f.lease().token(), f.error(), f.retryDelay().toMillis())).toList(), Availability.NOT_AVAILABLE);
    }

    @Override
    public TransitionResult jobDefer(List<JobFailure> deferrals) {
        return leaseBatch("jobDefer", deferrals.stream().map(f -> List.<Object>of(f.lease().jobId(),
                f.lease().token(), f.error(), f.retryDelay().toMillis())).toList(), Availability.NOT_AVAILABLE);
    }

    @Override
    public TransitionResult jobFailDead(List<JobFailure> failures) {
        return leaseBatch("jobFailDead", failures.stream().map(f -> List.<Object>of(f.lease().jobId(),
                f.lease().token(), f.error())).toList(), Availability.NOT_AVAILABLE);
    }

    @Override
    public TransitionResult jobRelease(List<Lease> leases) {
        TransitionResult result = leaseBatch("jobRelease",
                leases.stream().map(l -> List.<Object>of(l.jobId(), l.token())).toList(), Availability.MAKES_AVAILABLE);
        listeners.fire(result.queuesMadeAvailable());
        return result;
    }

    /** Runs a batch statement that takes (now, JSON array of per-lease rows) and returns {@code id, queue}. */
    private TransitionResult leaseBatch(String statement, List<List<Object>> rows, Availability availability) {
        if (rows.isEmpty()) {
            return TransitionResult.NONE;
        }
        return db.write(statement, c -> {
            PreparedStatement ps = db.writerStatement(statement);
            ps.setLong(1, db.nowMillis());
            ps.setString(2, SqliteDb.json(rows));
            return Rows.transition(ps, availability);
        });
    }

    @Override
    public TransitionResult jobRescueExpired(int limit) {
        return makingAvailable("jobRescueExpired", c -> Rows.merge(
                limited(c, "jobRescueRetry", limit, Availability.MAKES_AVAILABLE),
                limited(c, "jobRescueDead", limit, Availability.NOT_AVAILABLE)));
    }

    @Override
    public TransitionResult jobPromoteDue(int limit) {
        return makingAvailable("jobPromoteDue", c -> limited(c, "jobPromoteDue", limit, Availability.MAKES_AVAILABLE));
    }

    private TransitionResult limited(Connection c, String statement, int limit, Availability availability)
            throws SQLException {
        PreparedStatement ps = db.writerStatement(statement);
        ps.setLong(1, db.nowMillis());
        ps.setInt(2, limit);
        return Rows.transition(ps, availability);
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
        return db.write("jobCancel", c -> {
            PreparedStatement ps = db.writerStatement("jobCancel");
            ps.setLong(1, db.nowMillis());
            ps.setString(2, id);
            return Rows.transition(ps, Availability.NOT_AVAILABLE).count() == 1;
        });
    }

    @Override
    public TransitionResult jobCancelGroup(String groupId) {
        return db.write("jobCancelGroup", c -> {
            PreparedStatement ps = db.writerStatement("jobCancelGroup");
            ps.setLong(1, db.nowMillis());
            ps.setString(2, groupId);
            return Rows.transition(ps, Availability.NOT_AVAILABLE);
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
            PreparedStatement ps = db.writerStatement("jobRequeueDead");
            ps.setLong(1, db.nowMillis());
            if (p.ids() == null) {
                ps.setNull(2, Types.VARCHAR);
            } else {
                ps.setString(2, SqliteDb.json(p.ids()));
            }
            ps.setString(3, p.queue());
            ps.setString(4, p.groupId());
            return Rows.transition(ps, Availability.MAKES_AVAILABLE);
        });
    }

    @Override
    public int jobPruneFinished(JobPruneParams p) {
        return db.write("jobPruneFinished", c -> {
            PreparedStatement ps = db.writerStatement("jobPruneFinished");
            ps.setLong(1, db.nowMillis());
            ps.setLong(2, p.finishedRetention().toMillis());
            ps.setLong(3, p.deadRetention().toMillis());
            ps.setInt(4, p.limit());
            return ps.executeUpdate();
        });
    }

    // ---- queue -------------------------------------------------------------------------------------

    @Override
    public List<QueueStateCount> queueStats() {
        return db.read("queueStats", c -> {
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
        return Instant.ofEpochMilli(db.nowMillis());
    }

    @Override
    public void ping() {
        db.read("storePing", c -> {
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
    public BrokerStore broker() {
        return broker;
    }

    @Override
    public HostStore hosts() {
        return hosts;
    }

    @Override
    public void eventNotify(List<String> payloads) {
        payloads.forEach(events::fire); // one process owns the file: every listener is in this JVM
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
        return "sqlite " + file;
    }

    @Override
    public void close() {
        checkpointer.close();
        db.close();
        release(owner);
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private TransitionResult makingAvailable(String operation, JdbcWork<TransitionResult> work) {
        TransitionResult result = db.writeTransaction(operation, work);
        listeners.fire(result.queuesMadeAvailable());
        return result;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken; nothing to add
            }
        }
    }
}
