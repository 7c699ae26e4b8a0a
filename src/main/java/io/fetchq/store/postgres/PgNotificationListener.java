package io.fetchq.store.postgres;

import io.fetchq.store.jdbc.AvailabilityListeners;
import io.fetchq.store.jdbc.EventListeners;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one dedicated connection that {@code LISTEN}s on the schema's channel and turns other nodes'
 * notifications into local wake-ups, so an idle worker starts within milliseconds of an insert anywhere.
 * Notifications from this node are skipped (it woke its own workers already). A second channel carries
 * events (job progress) to every node's event listeners, this node's included. When the connection drops,
 * it reconnects with backoff; meanwhile workers fall back to polling, so nothing is lost, only slower.
 */
final class PgNotificationListener {
    private static final Logger log = LoggerFactory.getLogger(PgNotificationListener.class);
    private static final int WAIT_MS = 500;

    private final String jdbcUrl;
    private final String channel;
    private final String nodeTag;
    private final AvailabilityListeners listeners;
    private final String eventChannel;
    private final EventListeners events;
    private volatile boolean running;
    private volatile Connection connection;
    private final CountDownLatch listening = new CountDownLatch(1);
    private Thread thread;

    PgNotificationListener(String jdbcUrl, String channel, String nodeTag, AvailabilityListeners listeners,
                           String eventChannel, EventListeners events) {
        this.jdbcUrl = jdbcUrl;
        this.channel = channel;
        this.nodeTag = nodeTag;
        this.listeners = listeners;
        this.eventChannel = eventChannel;
        this.events = events;
    }

    /** The NOTIFY payload: the sending node and the queue ({@code nodeTag:queue}; tags never hold a colon). */
    static String payload(String nodeTag, String queue) {
        return nodeTag + ':' + queue;
    }

    /**
     * Starts listening, and returns once LISTEN is in place (so a notification sent after this returns is
     * not missed) or after {@code wait} if the server cannot be reached yet; workers poll meanwhile.
     */
    synchronized void start(Duration wait) {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().daemon().name("fetchq-pg-listen").start(this::run);
        try {
            if (!listening.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("LISTEN is not in place after {}; workers poll until it is", wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void stop() {
        running = false;
        closeQuietly();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoffMs = 250;
        boolean warned = false;
        while (running) {
            try {
                listen();
                if (warned) {
                    log.info("listening for other nodes again on channel {}", channel);
                    warned = false;
                }
                backoffMs = 250;
                receive();
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                if (!warned) {
                    log.warn("lost the LISTEN connection ({}); workers poll until it is back", e.getMessage());
                    warned = true;
                }
                closeQuietly();
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
        closeQuietly();
    }

    private void listen() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        connection = c;
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
            st.execute("LISTEN \"" + eventChannel.replace("\"", "\"\"") + "\"");
        }
        listening.countDown();
    }

    private void receive() throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MS);
            if (notifications == null) {
                continue;
            }
            for (PGNotification n : notifications) {
                String p = n.getParameter();
                if (n.getName().equals(eventChannel)) {
                    events.fire(p);
                    continue;
                }
                int colon = p.indexOf(':');
                if (colon > 0 && !p.substring(0, colon).equals(nodeTag)) {
                    listeners.fire(p.substring(colon + 1));
                }
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection; nothing to do
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
