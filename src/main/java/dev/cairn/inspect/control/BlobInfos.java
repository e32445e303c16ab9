package dev.cairn.inspect.control;

import dev.cairn.platform.Database;
import dev.cairn.platform.JsonBodies;
import dev.cairn.store.control.ObjectStore;
import dev.cairn.store.control.VersionCommitted;
import dev.cairn.store.control.VersionInfo;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What was read from each blob, kept once per SHA-256 ({@code cairn.blob_info}). Bytes that
 * arrive without the registry, through a Hatrac PUT or upload job into a catalog's namespace or
 * as an execution's committed output, are read in the background after their version is
 * committed, one at a time by one worker, so that a PUT's reply never waits for statistics; the registry reads
 * its uploads before accepting them and records what it found here, so nothing is read twice.
 */
@ApplicationScoped
public class BlobInfos {

    private static final Logger LOG = Logger.getLogger(BlobInfos.class.getName());
    /** Objects under a catalog's namespace ({@code /{cid}/...}) hold catalog assets. */
    private static final Pattern CATALOG_OBJECT = Pattern.compile("/[0-9]+/.+");
    /** Versions waiting to be read; beyond this many, new ones are left unread (read when registered). */
    static final int MAX_PENDING = 10_000;

    private final Queue<VersionInfo> pending = new ConcurrentLinkedQueue<>();
    /** The queue's length ({@link ConcurrentLinkedQueue#size} walks the whole queue). */
    private final AtomicInteger waiting = new AtomicInteger();

    private final AtomicBoolean draining = new AtomicBoolean();

    @Resource
    ManagedExecutorService executor;

    @Inject
    Database database;

    @Inject
    Inspector inspector;

    @Inject
    ObjectStore store;

    public Optional<JsonObject> find(String sha256) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT info::text FROM cairn.blob_info WHERE sha256 = ?")) {
            s.setString(1, sha256);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(JsonBodies.parse(r.getString(1)).asJsonObject()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read blob info: " + e.getMessage(), e);
        }
    }

    /** Keeps what was read from a blob (the first reading wins). */
    public void record(String sha256, JsonObject info) {
        try (Connection c = database.system().getConnection();
                PreparedStatement s =
                        c.prepareStatement("INSERT INTO cairn.blob_info (sha256, info) VALUES (?, ?::jsonb) "
                                + "ON CONFLICT (sha256) DO NOTHING")) {
            s.setString(1, sha256);
            s.setString(2, info.toString());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record blob info: " + e.getMessage(), e);
        }
    }

    /**
     * Queues a new catalog object for reading in the background. The observer runs on the
     * committing thread and never waits: one
     * worker drains the queue, one file at a time, so a burst of commits (an execution's 600
     * outputs) neither holds the shared executor's threads nor competes with the uploads.
     */
    void committed(@Observes VersionCommitted event) {
        VersionInfo v = event.version();
        if (!CATALOG_OBJECT.matcher(v.name()).matches()) {
            return;
        }
        if (waiting.incrementAndGet() > MAX_PENDING) {
            waiting.decrementAndGet();
            return;
        }
        pending.add(v);
        try {
            drain();
        } catch (RuntimeException e) {
            // the executor refused (shutting down): the version is read when it is registered
            draining.set(false);
            LOG.log(Level.FINE, "reading " + v.name() + " in the background could not start", e);
        }
    }

    private void drain() {
        if (draining.compareAndSet(false, true)) {
            executor.submit(this::readPending);
        }
    }

    private void readPending() {
        try {
            for (VersionInfo v = pending.poll(); v != null; v = pending.poll()) {
                waiting.decrementAndGet();
                read(v);
            }
        } finally {
            draining.set(false);
            if (!pending.isEmpty()) {
                drain();
            }
        }
    }

    private void read(VersionInfo v) {
        try {
            if (find(v.sha256()).isPresent()) {
                return;
            }
            String filename = v.name().substring(v.name().lastIndexOf('/') + 1);
            Inspection inspection = store.withFile(v, file -> inspector.inspect(file, filename, v.contentType()));
            record(v.sha256(), inspection.info());
        } catch (RuntimeException e) {
            // the version may be gone already; its bytes are described when read again
            LOG.log(Level.FINE, "reading " + v.name() + " in the background failed", e);
        }
    }
}
