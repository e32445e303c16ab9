package dev.cairn.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Watches the database twice a second, on a connection of its own with short time-outs: whether it
 * answers ({@link #available()}, which lets requests fail at once with 503 while it is away instead
 * of waiting on the pools), and, for the embedded PostgreSQL, whether its postmaster still runs. A
 * dead embedded postmaster is started again on the same data and port; the pools then replace their
 * broken connections by themselves. An external PostgreSQL is only watched: when it is back, so are
 * the pools.
 */
final class DatabaseWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DatabaseWatch.class.getName());
    static final Duration PERIOD = Duration.ofMillis(500);

    private final PGSimpleDataSource probe;
    private final Path secretFile;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "cairn-database-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile EmbeddedDatabase embedded;
    private volatile boolean available = true;
    private volatile String reason = "";
    private Connection connection;

    /** {@code embedded}: the embedded server to keep running, or null for an external one. */
    DatabaseWatch(String url, String user, String password, EmbeddedDatabase embedded, Path secretFile) {
        this.embedded = embedded;
        this.secretFile = secretFile;
        probe = new PGSimpleDataSource();
        probe.setUrl(url);
        probe.setUser(user);
        probe.setPassword(password);
        probe.setConnectTimeout(1);
        probe.setLoginTimeout(2);
        probe.setSocketTimeout(2);
        probe.setApplicationName("cairn-database-watch");
        timer.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the database answered the last probe (at most {@link #PERIOD} ago). */
    boolean available() {
        return available;
    }

    /** Why it is not, when it is not. */
    String reason() {
        return reason;
    }

    /** The embedded server now running (a restart replaces it), or null. */
    EmbeddedDatabase embedded() {
        return embedded;
    }

    private void check() {
        try {
            EmbeddedDatabase current = embedded;
            if (current != null && !current.alive()) {
                down("the embedded PostgreSQL's postmaster is not running; it is being started again");
                closeConnection();
                embedded = current.restart(secretFile).orElse(current);
            }
            if (connection == null || !connection.isValid(1)) {
                closeConnection();
                connection = probe.getConnection();
            }
            if (!available) {
                LOG.info("The database answers again.");
            }
            available = true;
            reason = "";
        } catch (SQLException | IOException | RuntimeException e) {
            closeConnection();
            down("the database does not answer: " + e.getMessage());
        }
    }

    private void down(String why) {
        if (available) {
            LOG.warning(() -> "The database is away (" + why + "); requests that need it answer 503 until it is back.");
        }
        reason = why;
        available = false;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    /** Stops watching (before the database itself is stopped: a stop is not a death to repair). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
