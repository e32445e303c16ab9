package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.ErrorCode;
import dev.cairn.platform.Leases;
import dev.cairn.platform.Metrics;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.entity.UploadJob;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStore.Staged;
import dev.cairn.store.spi.StorageException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hatrac's chunked uploads, resumable: each chunk is stored (on S3, as a part of one multipart
 * upload) and recorded once it is durable, so a job survives a restart or a change of node and
 * tells which chunks it still lacks. Finalization refuses a job with missing chunks, assembles
 * and checks MD5 and SHA-256 once, and commits like a single PUT; a failed commit can be retried.
 * Jobs left alone longer than {@code cairn.store.upload.expiry} are cancelled and their bytes
 * reclaimed.
 */
@ApplicationScoped
public class UploadJobs {

    private static final Logger LOG = Logger.getLogger(UploadJobs.class.getName());
    private static final int MAX_CHUNKS = 100_000;

    /** What {@code POST obj;upload} declares. */
    public record Request(
            long chunkLength,
            long contentLength,
            String contentType,
            String md5,
            String sha256,
            String contentDisposition) {}

    /** A job with the chunks received so far. */
    public record Status(UploadJob job, List<Integer> received, List<Integer> missing) {}

    @Inject
    Database database;

    @Inject
    Storage storage;

    @Inject
    ObjectStore objects;

    @Inject
    Metrics metrics;

    @Inject
    Leases leases;

    @Resource
    ManagedExecutorService digester;

    @Inject
    @ConfigProperty(name = "cairn.store.upload.expiry", defaultValue = "PT24H")
    Duration expiry;

    /** Chunk writes share a job's lock; finalization and cancellation take it alone. */
    private final Map<String, ReadWriteLock> locks = new ConcurrentHashMap<>();

    /** How many chunked upload jobs are open (created, not yet finished, cancelled or expired), on every node. */
    public long open() {
        return database.jdbcTransaction("count open upload jobs", c -> {
            try (var s = c.createStatement();
                    var r = s.executeQuery("SELECT count(*) FROM cairn.store_upload_job")) {
                r.next();
                return r.getLong(1);
            }
        });
    }

    public UploadJob create(String name, boolean parents, Request request, RequestClient client) {
        if (request.chunkLength() <= 0) {
            throw new CairnException.BadRequest("\"chunk-length\" must be a positive number of bytes.");
        }
        if (request.contentLength() < 0) {
            throw new CairnException.BadRequest("\"content-length\" must be a number of bytes.");
        }
        if ((request.contentLength() + request.chunkLength() - 1) / request.chunkLength() > MAX_CHUNKS) {
            throw new CairnException.BadRequest("A job has at most " + MAX_CHUNKS + " chunks; use larger chunks.");
        }
        objects.checkWritable(name, parents, Preconditions.NONE);
        UploadJob job = new UploadJob(
                RandomIds.next(),
                name,
                request.chunkLength(),
                request.contentLength(),
                request.contentType(),
                request.md5(),
                request.sha256(),
                request.contentDisposition(),
                parents,
                OffsetDateTime.now().plus(expiry),
                client.id());
        try {
            job.backendToken(storage.blobs()
                    .createUpload(job.id(), job.chunkLength(), job.contentLength())
                    .token());
        } catch (StorageException e) {
            throw ObjectStore.unavailable("The object store cannot take an upload", e);
        }
        database.transaction(em -> {
            em.persist(job);
            return null;
        });
        return job;
    }

    public List<UploadJob> list(String name) {
        return database.read(em -> em.createNamedQuery(UploadJob.OF_PATH, UploadJob.class)
                .setParameter("path", name)
                .getResultList());
    }

    public Status status(String name, String id) {
        return database.read(em -> {
            UploadJob job = find(em, name, id);
            List<Integer> received = received(em, id);
            List<Integer> missing = new ArrayList<>();
            for (int n = 0, r = 0; n < job.chunkCount(); n++) {
                if (r < received.size() && received.get(r) == n) {
                    r++;
                } else {
                    missing.add(n);
                }
            }
            return new Status(job, received, missing);
        });
    }

    /** Stores chunk {@code n}, which must have exactly its length; sending it again replaces it. */
    public void putChunk(String name, String id, int n, InputStream content) {
        UploadJob job = database.read(em -> find(em, name, id));
        if (job.assembled()) {
            throw assembledAlready(id);
        }
        if (n >= job.chunkCount()) {
            throw new CairnException.Conflict(
                    "Job " + id + " has chunks 0 to " + (job.chunkCount() - 1) + "; there is no chunk " + n + ".");
        }
        long expected = job.lengthOfChunk(n);
        ReadWriteLock lock = lock(id);
        lock.readLock().lock();
        try {
            String tag;
            try {
                tag = storage.blobs().writeChunk(upload(job), n, content, expected);
                metrics.bytesIn(expected);
            } catch (StorageException e) {
                if (e.reason() == StorageException.Reason.MISSING) {
                    throw new CairnException.NotFound("Upload job " + id + " is finished or cancelled.");
                }
                if (e.reason() == StorageException.Reason.REJECTED) {
                    throw new CairnException.BadRequest(
                            "Chunk " + n + " must have exactly " + expected + " bytes. Send it again.");
                }
                throw ObjectStore.unavailable("Chunk " + n + " could not be stored", e);
            } catch (IOException e) {
                throw new CairnException.BadRequest("Chunk " + n + " could not be read completely: " + e.getMessage()
                        + "; it must be exactly " + expected + " bytes.");
            }
            database.transaction(em -> {
                UploadJob current = em.find(UploadJob.class, id, LockModeType.PESSIMISTIC_WRITE);
                if (current == null) {
                    throw new CairnException.NotFound("Upload job " + id + " is finished or cancelled.");
                }
                if (current.assembled()) {
                    throw assembledAlready(id);
                }
                em.createNativeQuery(
                                "INSERT INTO cairn.store_upload_chunk (job_id, chunk, length, tag) VALUES (?1, ?2, ?3, ?4) "
                                        + "ON CONFLICT (job_id, chunk) DO UPDATE SET length = EXCLUDED.length, tag = EXCLUDED.tag, "
                                        + "received_at = now()")
                        .setParameter(1, id)
                        .setParameter(2, n)
                        .setParameter(3, expected)
                        .setParameter(4, tag)
                        .executeUpdate();
                current.expiresAt(OffsetDateTime.now().plus(expiry));
                return null;
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Turns a complete job into a new version of its object: its chunks are assembled and checked
     * once (the job then records the digests), then committed. A commit that fails leaves the job
     * assembled, and finishing it again, on any node, commits the same content; one node at a time
     * finishes a job (a lease).
     */
    public VersionInfo finish(String name, String id, RequestClient client) {
        try (Leases.Lease finishing = leases.tryAcquire("upload/" + id)
                .orElseThrow(
                        () -> new CairnException.Conflict("Job " + id + " is being finished by another request."))) {
            ObjectStore.Received received = assembled(name, id);
            UploadJob job = database.read(em -> find(em, name, id));
            VersionInfo version = objects.commit(
                    name,
                    job.parents(),
                    received,
                    job.contentType(),
                    job.contentDisposition(),
                    Preconditions.NONE,
                    client,
                    true);
            database.transaction(em -> em.createNativeQuery("DELETE FROM cairn.store_upload_job WHERE id = ?1")
                    .setParameter(1, id)
                    .executeUpdate());
            locks.remove(id);
            discardQuietly(received.staged());
            return version;
        }
    }

    /** The job's content, assembled from its chunks and checked, or as an earlier finalization left it. */
    private ObjectStore.Received assembled(String name, String id) {
        ReadWriteLock lock = lock(id);
        Staged staged;
        UploadJob job;
        lock.writeLock().lock();
        try {
            Status status = status(name, id);
            job = status.job();
            if (job.assembled()) {
                return new ObjectStore.Received(
                        new Staged(Storage.UPLOAD + id, job.contentLength()),
                        job.assembledMd5(),
                        job.assembledSha256());
            }
            if (!status.missing().isEmpty()) {
                throw new CairnException.Conflict(
                        ErrorCode.UPLOAD_INCOMPLETE,
                        "Job " + id + " still lacks " + status.missing().size() + " chunks, e.g. "
                                + status.missing()
                                        .subList(
                                                0, Math.min(10, status.missing().size())) + ".");
            }
            staged = assemble(job);
        } finally {
            lock.writeLock().unlock();
        }
        // a failure to read it back leaves the assembled content for the next try; a mismatch does not
        ObjectStore.Received received = digest(staged);
        if (job.contentMd5() != null && !job.contentMd5().equals(received.md5())) {
            restart(job, staged);
            throw new CairnException.Conflict(
                    ErrorCode.CHECKSUM_MISMATCH,
                    "The uploaded content's MD5 is " + Digests.base64(received.md5()) + ", not the "
                            + Digests.base64(job.contentMd5())
                            + " the job declared. Send every chunk again, or cancel the job.");
        }
        if (job.contentSha256() != null && !job.contentSha256().equals(received.sha256())) {
            restart(job, staged);
            throw new CairnException.Conflict(
                    ErrorCode.CHECKSUM_MISMATCH,
                    "The uploaded content's SHA-256 is " + Digests.base64(received.sha256()) + ", not the "
                            + Digests.base64(job.contentSha256())
                            + " the job declared. Send every chunk again, or cancel the job.");
        }
        database.transaction(em -> em.createNativeQuery("UPDATE cairn.store_upload_job SET assembled_md5 = ?1, "
                        + "assembled_sha256 = ?2 WHERE id = ?3")
                .setParameter(1, received.md5())
                .setParameter(2, received.sha256())
                .setParameter(3, id)
                .executeUpdate());
        return received;
    }

    /** The chunks as staged content; those a finalization that stopped half-way assembled already. */
    private Staged assemble(UploadJob job) {
        try {
            return storage.blobs().completeUpload(upload(job), tags(job.id()), job.contentLength());
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.MISSING) {
                throw ObjectStore.unavailable("The chunks of job " + job.id() + " could not be assembled", e);
            }
            Staged before = new Staged(Storage.UPLOAD + job.id(), job.contentLength());
            try {
                storage.blobs().openStaged(before).close();
                return before;
            } catch (IOException gone) {
                forget(job.id());
                throw new CairnException.Conflict(
                        ErrorCode.UPLOAD_INCOMPLETE,
                        "The chunks of job " + job.id() + " are gone; upload the content again.",
                        e);
            }
        }
    }

    private void discardQuietly(Staged staged) {
        try {
            storage.blobs().discard(staged);
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "Could not remove the assembled content of a finished job; the sweep will", e);
        }
    }

    public void cancel(String name, String id) {
        database.read(em -> find(em, name, id));
        remove(id);
    }

    /** Cancels every job that has had no chunk for longer than the expiry. */
    public void expire() {
        List<String> expired = database.read(em -> em
                .createNamedQuery(UploadJob.EXPIRED, UploadJob.class)
                .setParameter("now", OffsetDateTime.now())
                .getResultList()
                .stream()
                .map(UploadJob::id)
                .toList());
        for (String id : expired) {
            LOG.info(() -> "Upload job " + id + " expired; reclaiming its bytes");
            remove(id);
        }
    }

    private void remove(String id) {
        ReadWriteLock lock = lock(id);
        lock.writeLock().lock();
        try {
            database.transaction(em -> em.createNativeQuery("DELETE FROM cairn.store_upload_job WHERE id = ?1")
                    .setParameter(1, id)
                    .executeUpdate());
            storage.blobs().deleteUpload(id);
            storage.blobs().discard(new Staged(Storage.UPLOAD + id, 0));
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "Could not remove the bytes of upload job " + id + "; removed at next start", e);
        } finally {
            lock.writeLock().unlock();
            locks.remove(id);
        }
    }

    private ObjectStore.Received digest(Staged staged) {
        try (Digests.DigestingStream in =
                new Digests.DigestingStream(storage.blobs().openStaged(staged), digester)) {
            in.transferTo(OutputStream.nullOutputStream());
            return new ObjectStore.Received(staged, in.md5(), in.sha256());
        } catch (IOException e) {
            throw new CairnException.Unavailable("The uploaded content cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * After assembled content failed its check the job stays, to be fixed or cancelled, with a new
     * area and no chunks: the assembled bytes were the chunks (an S3 multipart upload is spent once
     * completed).
     */
    private void restart(UploadJob job, Staged staged) {
        try {
            if (staged != null) {
                storage.blobs().discard(staged);
            }
            String token = storage.blobs()
                    .createUpload(job.id(), job.chunkLength(), job.contentLength())
                    .token();
            database.transaction(em -> {
                em.createNativeQuery("DELETE FROM cairn.store_upload_chunk WHERE job_id = ?1")
                        .setParameter(1, job.id())
                        .executeUpdate();
                em.createNativeQuery("UPDATE cairn.store_upload_job SET backend_token = ?1 WHERE id = ?2")
                        .setParameter(1, token)
                        .setParameter(2, job.id())
                        .executeUpdate();
                return null;
            });
        } catch (StorageException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not restart upload job " + job.id() + "; cancelling it", e);
            remove(job.id());
        }
    }

    private static CairnException assembledAlready(String id) {
        return new CairnException.Conflict("The chunks of job " + id + " are assembled already; finish the job (POST) "
                + "or cancel it (DELETE).");
    }

    /** Drops a job's row whose bytes are gone. */
    private void forget(String id) {
        database.transaction(em -> em.createNativeQuery("DELETE FROM cairn.store_upload_job WHERE id = ?1")
                .setParameter(1, id)
                .executeUpdate());
        locks.remove(id);
    }

    private static BlobStore.Upload upload(UploadJob job) {
        return new BlobStore.Upload(job.id(), job.chunkLength(), job.backendToken());
    }

    private List<String> tags(String id) {
        List<?> rows = database.read(
                em -> em.createNativeQuery("SELECT tag FROM cairn.store_upload_chunk WHERE job_id = ?1 ORDER BY chunk")
                        .setParameter(1, id)
                        .getResultList());
        return rows.stream().map(String::valueOf).toList();
    }

    private ReadWriteLock lock(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantReadWriteLock());
    }

    private static UploadJob find(EntityManager em, String name, String id) {
        UploadJob job = id == null ? null : em.find(UploadJob.class, id);
        if (job == null || !job.path().equals(name)) {
            throw new CairnException.NotFound("No upload job " + id + " for " + name + ".");
        }
        return job;
    }

    private static List<Integer> received(EntityManager em, String id) {
        List<?> rows = em.createNativeQuery(
                        "SELECT chunk FROM cairn.store_upload_chunk WHERE job_id = ?1 ORDER BY chunk")
                .setParameter(1, id)
                .getResultList();
        return rows.stream().map(r -> ((Number) r).intValue()).toList();
    }
}
