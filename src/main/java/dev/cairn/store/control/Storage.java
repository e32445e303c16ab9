package dev.cairn.store.control;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.cairn.platform.Database;
import dev.cairn.platform.StartupFailure;
import dev.cairn.store.backend.filesystem.FilesystemBlobStore;
import dev.cairn.store.spi.BlobStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The blob store of this server ({@code <data dir>/store}), made consistent with the database at
 * start-up before any request: staging files of interrupted uploads are removed, blob files that
 * no committed row refers to (a crash between rename and commit) are removed, upload areas and
 * jobs are matched up. Then abandoned upload jobs are expired on a schedule.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class.getName());

    @Inject
    Database database;

    @Inject
    UploadJobs uploadJobs;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "cairn.store.upload.sweep", defaultValue = "PT5M")
    Duration sweepInterval;

    private BlobStore blobs;
    private ScheduledFuture<?> sweeper;

    @PostConstruct
    void start() {
        try {
            blobs = new FilesystemBlobStore(database.config().dataDir().resolve("store"));
            recover();
        } catch (IOException | RuntimeException e) {
            throw StartupFailure.stop(database.config(), "object store", e);
        }
        sweeper = scheduler.scheduleWithFixedDelay(this::expireUploads,
                sweepInterval.toMillis(), sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    public BlobStore blobs() {
        return blobs;
    }

    private void expireUploads() {
        try {
            uploadJobs.expire();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Expiring upload jobs failed; trying again in " + sweepInterval, e);
        }
    }

    private void recover() throws IOException {
        blobs.removeStaged();

        Set<String> committed = new HashSet<>(database.read(em -> em.createNativeQuery(
                "SELECT sha256 FROM cairn.store_blob").getResultList()));
        Set<String> onDisk = blobs.blobs();
        int orphans = 0;
        for (String sha256 : onDisk) {
            if (!committed.contains(sha256)) {
                blobs.delete(sha256);
                orphans++;
            }
        }
        Set<String> missing = new HashSet<>(committed);
        missing.removeAll(onDisk);
        if (!missing.isEmpty()) {
            LOG.severe(() -> missing.size() + " blobs the database refers to are missing from the store, e.g. "
                    + missing.iterator().next());
        }

        Set<String> jobs = new HashSet<>(database.read(em -> em.createNativeQuery(
                "SELECT id FROM cairn.store_upload_job").getResultList()));
        Set<String> areas = blobs.uploads();
        for (String area : areas) {
            if (!jobs.contains(area)) {
                blobs.deleteUpload(area);
            }
        }
        for (String job : jobs) {
            if (!areas.contains(job)) {
                // its bytes were being finalized when the server stopped: the client starts again
                database.transaction(em -> em.createNativeQuery("DELETE FROM cairn.store_upload_job WHERE id = ?1")
                        .setParameter(1, job).executeUpdate());
            }
        }
        int removed = orphans;
        LOG.info(() -> "Object store ready: " + onDisk.size() + " blobs (" + removed + " uncommitted removed), "
                + jobs.size() + " upload jobs");
    }
}
