package dev.cairn.platform;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What one node changes that other nodes keep in memory (a catalog's model, a deleted catalog, a
 * revoked token), told to every node on the same database through PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY} on the system database: a node's listeners hear its own messages at
 * once and other nodes' within milliseconds. A node that loses its listening connection may have
 * missed messages, so once it listens again every listener hears {@code null}: drop everything.
 */
@ApplicationScoped
public class Broadcasts {

    private static final Logger LOG = Logger.getLogger(Broadcasts.class.getName());
    private static final String CHANNEL = "cairn_broadcast";

    @Inject
    Database database;

    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private volatile Thread listening;
    private volatile boolean stopped;

    /**
     * Calls {@code listener} with each message of the topic, from this node or another; null: anything
     * may have changed.
     */
    public void subscribe(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
        start();
    }

    /** Tells every node; this node's listeners hear it before this returns. */
    public void publish(String topic, String message) {
        deliver(topic, message);
        try (Connection c = database.system().getConnection();
                var s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, CHANNEL);
            s.setString(2, topic + ":" + message);
            s.execute();
        } catch (SQLException e) {
            // the other nodes' caches would go stale: worth a warning, not a failed request (the change is committed)
            LOG.log(Level.WARNING, "Could not tell other nodes of " + topic + " " + message, e);
        }
    }

    private void deliver(String topic, String message) {
        for (Consumer<String> listener : listeners.getOrDefault(topic, List.of())) {
            try {
                listener.accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A listener of " + topic + " failed", e);
            }
        }
    }

    private synchronized void start() {
        if (listening != null) {
            return;
        }
        listening = new Thread(this::listen, "cairn-broadcasts");
        listening.setDaemon(true);
        listening.start();
    }

    private void listen() {
        boolean again = false;
        while (!stopped) {
            try (Connection c = database.unpooled();
                    Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                if (again) {
                    listeners.keySet().forEach(topic -> deliver(topic, null));
                }
                again = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] received = pg.getNotifications(1000);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        int colon = n.getParameter().indexOf(':');
                        if (colon > 0) {
                            deliver(
                                    n.getParameter().substring(0, colon),
                                    n.getParameter().substring(colon + 1));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!stopped) {
                    LOG.log(Level.WARNING, "Listening for other nodes' changes failed; listening again in 1 s", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        Thread t = listening;
        if (t != null) {
            t.interrupt();
        }
    }
}
