package dev.cairn.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work that one node at a time may do, among all the nodes on one database: a lease is a
 * PostgreSQL advisory lock held by an open transaction on a connection of its own (not one of a
 * pool's). It ends when the holder closes it, and also when the holder dies: PostgreSQL sees the
 * connection go and releases the lock, so another node can take the work over at once; no clock
 * and no heartbeat are involved.
 */
@ApplicationScoped
public class Leases {

    private static final Logger LOG = Logger.getLogger(Leases.class.getName());

    @Inject
    Database database;

    /** A lease held; closing it lets the next node have it. */
    public static final class Lease implements AutoCloseable {
        private final Connection connection;

        private Lease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "closing a lease's connection", e);
            }
        }
    }

    /** The lease named {@code name}, if no node (this one included) holds it. */
    public Optional<Lease> tryAcquire(String name) {
        Connection c = null;
        try {
            c = database.unpooled();
            c.setAutoCommit(false);
            try (PreparedStatement s =
                    c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('cairn'), hashtext(?))")) {
                s.setString(1, name);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        return Optional.of(new Lease(c));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // already failing
                }
            }
            throw new CairnException.Unavailable("The database could not grant a lease: " + e.getMessage(), e);
        }
    }

    /** True when some node holds the lease now. */
    public boolean held(String name) {
        Optional<Lease> lease = tryAcquire(name);
        lease.ifPresent(Lease::close);
        return lease.isEmpty();
    }

    /**
     * Runs background work unless another node is running it (then returns false): sweeps and
     * expiries that every node schedules, and one does at a time.
     */
    public boolean runAlone(String name, Runnable work) {
        Optional<Lease> lease = tryAcquire(name);
        if (lease.isEmpty()) {
            return false;
        }
        try (Lease held = lease.get()) {
            work.run();
            return true;
        }
    }
}
