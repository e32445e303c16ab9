package dev.cairn.store.control;

import java.io.IOException;
import java.io.InputStream;
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

import dev.cairn.platform.CairnException;
import dev.cairn.platform.Database;
import dev.cairn.platform.RequestClient;
import dev.cairn.store.entity.UploadJob;
import dev.cairn.store.spi.BlobStore.Staged;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hatrac's chunked uploads, resumable: each chunk is written at its offset and recorded once it is
 * durable, so a job survives a restart and tells which chunks it still lacks. Finalization refuses
 * a job with missing chunks, checks MD5 and SHA-256, and commits like a single PUT. Jobs left
 * alone longer than {@code cairn.store.upload.expiry} are cancelled and their bytes reclaimed.
 */
@ApplicationScoped
public class UploadJobs {

    private static final Logger LOG = Logger.getLogger(UploadJobs.class.getName());
    private static final int MAX_CHUNKS = 100_000;

    /** What {@code POST obj;upload} declares. */
    public record Request(long chunkLength, long contentLength, String contentType, String md5, String sha256,
                          String contentDisposition) {
    }

    /** A job with the chunks received so far. */
    public record Status(UploadJob job, List<Integer> received, List<Integer> missing) {
    }

    @Inject
    Database database;

    @Inject
    Storage storage;

    @Inject
    ObjectStore objects;

    @Resource
    ManagedExecutorService digester;

    @Inject
    @ConfigProperty(name = "cairn.store.upload.expiry", defaultValue = "PT24H")
    Duration expiry;

    /** Chunk writes share a job's lock; finalization and cancellation take it alone. */
    private final Map<String, ReadWriteLock> locks = new ConcurrentHashMap<>();

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
        UploadJob job = new UploadJob(RandomIds.next(), name, request.chunkLength(), request.contentLength(),
                request.contentType(), request.md5(), request.sha256(), request.contentDisposition(), parents,
                OffsetDateTime.now().plus(expiry), client.id());
        try {
            storage.blobs().createUpload(job.id());
        } catch (IOException e) {
            throw new CairnException.Unavailable("The object store cannot take an upload: " + e.getMessage(), e);
        }
        database.transaction(em -> {
            em.persist(job);
            return null;
        });
        return job;
    }

    public List<UploadJob> list(String name) {
        return database.read(em -> em.createNamedQuery(UploadJob.OF_PATH, UploadJob.class)
                .setParameter("path", name).getResultList());
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
        if (n >= job.chunkCount()) {
            throw new CairnException.Conflict("Job " + id + " has chunks 0 to " + (job.chunkCount() - 1) + "; there is no chunk " + n + ".");
        }
        long expected = job.lengthOfChunk(n);
        ReadWriteLock lock = lock(id);
        lock.readLock().lock();
        try {
            long written;
            try {
                written = storage.blobs().writeChunk(id, (long) n * job.chunkLength(), content, expected);
            } catch (java.nio.file.NoSuchFileException gone) {
                throw new CairnException.NotFound("Upload job " + id + " is finished or cancelled.");
            } catch (IOException e) {
                throw new CairnException.BadRequest("Chunk " + n + " could not be stored: " + e.getMessage()
                        + "; it must be exactly " + expected + " bytes.");
            }
            if (written != expected) {
                throw new CairnException.BadRequest("Chunk " + n + " has " + written + " bytes; it must have exactly "
                        + expected + ". Send it again.");
            }
            database.transaction(em -> {
                UploadJob current = em.find(UploadJob.class, id, LockModeType.PESSIMISTIC_WRITE);
                if (current == null) {
                    throw new CairnException.NotFound("Upload job " + id + " is finished or cancelled.");
                }
                em.createNativeQuery("INSERT INTO cairn.store_upload_chunk (job_id, chunk, length) VALUES (?1, ?2, ?3) "
                                + "ON CONFLICT (job_id, chunk) DO UPDATE SET length = EXCLUDED.length, received_at = now()")
                        .setParameter(1, id).setParameter(2, n).setParameter(3, written).executeUpdate();
                current.expiresAt(OffsetDateTime.now().plus(expiry));
                return null;
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Turns a complete job into a new version of its object. */
    public VersionInfo finish(String name, String id, RequestClient client) {
        ReadWriteLock lock = lock(id);
        Staged staged;
        UploadJob job;
        lock.writeLock().lock();
        try {
            Status status = status(name, id);
            job = status.job();
            if (!status.missing().isEmpty()) {
                throw new CairnException.Conflict("Job " + id + " still lacks " + status.missing().size()
                        + " chunks, e.g. " + status.missing().subList(0, Math.min(10, status.missing().size())) + ".");
            }
            staged = storage.blobs().completeUpload(id, job.contentLength());
        } catch (IOException e) {
            throw new CairnException.Conflict("Job " + id + " is being finished by another request.", e);
        } finally {
            lock.writeLock().unlock();
        }

        ObjectStore.Received received;
        try {
            received = digest(staged);
            if (job.contentMd5() != null && !job.contentMd5().equals(received.md5())) {
                throw new CairnException.Conflict("The uploaded content's MD5 is " + Digests.base64(received.md5())
                        + ", not the " + Digests.base64(job.contentMd5()) + " the job declared. Resend the chunks or cancel the job.");
            }
            if (job.contentSha256() != null && !job.contentSha256().equals(received.sha256())) {
                throw new CairnException.Conflict("The uploaded content's SHA-256 is " + Digests.base64(received.sha256())
                        + ", not the " + Digests.base64(job.contentSha256()) + " the job declared. Resend the chunks or cancel the job.");
            }
        } catch (RuntimeException e) {
            resume(staged, id);
            throw e;
        }
        try {
            VersionInfo version = objects.commit(name, job.parents(), received, job.contentType(),
                    job.contentDisposition(), Preconditions.NONE, client);
            database.transaction(em -> em.createNativeQuery("DELETE FROM cairn.store_upload_job WHERE id = ?1")
                    .setParameter(1, id).executeUpdate());
            locks.remove(id);
            return version;
        } catch (RuntimeException e) {
            resume(staged, id);
            throw e;
        }
    }

    public void cancel(String name, String id) {
        database.read(em -> find(em, name, id));
        remove(id);
    }

    /** Cancels every job that has had no chunk for longer than the expiry. */
    public void expire() {
        List<String> expired = database.read(em -> em.createNamedQuery(UploadJob.EXPIRED, UploadJob.class)
                .setParameter("now", OffsetDateTime.now()).getResultList().stream().map(UploadJob::id).toList());
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
                    .setParameter(1, id).executeUpdate());
            storage.blobs().deleteUpload(id);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not remove the bytes of upload job " + id + "; removed at next start", e);
        } finally {
            lock.writeLock().unlock();
            locks.remove(id);
        }
    }

    private ObjectStore.Received digest(Staged staged) {
        try (Digests.DigestingStream in = new Digests.DigestingStream(storage.blobs().openStaged(staged), digester)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return new ObjectStore.Received(staged, in.md5(), in.sha256());
        } catch (IOException e) {
            throw new CairnException.Unavailable("The uploaded content cannot be read: " + e.getMessage(), e);
        }
    }

    /** Gives a job its bytes back after a failed finalization, so that it can be fixed or retried. */
    private void resume(Staged staged, String id) {
        try {
            storage.blobs().resumeUpload(staged, id);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not return the bytes of upload job " + id, e);
        }
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
        List<?> rows = em.createNativeQuery("SELECT chunk FROM cairn.store_upload_chunk WHERE job_id = ?1 ORDER BY chunk")
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> ((Number) r).intValue()).toList();
    }
}
