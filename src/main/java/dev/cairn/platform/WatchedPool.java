package dev.cairn.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A connection pool whose borrowers stop waiting as soon as the database is known to be away. A
 * request that finds every connection busy still waits up to {@link #WAIT} for one (under load,
 * queueing is right), but in slices of the pool's own short time-out, asking the
 * {@link DatabaseWatch} between slices: when the database goes away (an external PostgreSQL
 * stopped, the embedded one killed), a waiting request fails with a 503 within a slice instead of
 * waiting out the full time. The short time-out also caps the pool's back-off between attempts to
 * reconnect, so work resumes within about a second of the database's return.
 */
final class WatchedPool extends HikariDataSource {

    /** The longest a request waits for a connection in all. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** One slice of waiting; also the pool's longest back-off between attempts to connect. */
    static final Duration SLICE = Duration.ofSeconds(1);

    private final BooleanSupplier available;
    private final Supplier<String> reason;

    WatchedPool(HikariConfig config, BooleanSupplier available, Supplier<String> reason) {
        super(withSlices(config));
        this.available = available;
        this.reason = reason;
    }

    private static HikariConfig withSlices(HikariConfig config) {
        config.setConnectionTimeout(SLICE.toMillis());
        return config;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (!available.getAsBoolean()) {
                throw new SQLTransientConnectionException(
                        "The database does not answer (" + reason.get() + ")", "08006");
            }
            try {
                return super.getConnection();
            } catch (SQLTransientConnectionException timedOut) {
                if (System.nanoTime() >= deadline || isClosed()) {
                    throw timedOut;
                }
            }
        }
    }
}
