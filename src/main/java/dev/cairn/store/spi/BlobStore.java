package dev.cairn.store.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the object store keeps bytes, in three areas: blobs named by their SHA-256 (lower-case
 * hex), staged content on its way in (named by the caller, e.g. {@code tmp-<uuid>}), and the
 * chunks of upload jobs. Every write is durable and whole when the call returns: a reader sees
 * all of it or nothing. Backends know nothing of names, versions or the database, never let a
 * caller's string become a path or key unchecked, and report every failure of their own as a
 * {@link StorageException}; an {@link java.io.IOException} of another kind comes from the stream
 * the caller handed in.
 *
 * <p>Several Cairn nodes may share one backend: nothing here may assume that what a node did not
 * write itself is garbage. Sweeps list entries older than a grace period and ask the database.
 */
public interface BlobStore {

    /**
     * Content written to the staging area, not yet a blob; {@code held}: small passing content a
     * backend keeps in memory instead (see {@link #stage}), null otherwise.
     */
    record Staged(String id, long length, byte[] held) {

        public Staged(String id, long length) {
            this(id, length, null);
        }
    }

    /**
     * An upload job's area: chunks of {@code chunkLength} bytes, and what the backend needs to find
     * them again ({@code token}, kept with the job by the caller; empty when it needs nothing).
     */
    record Upload(String job, long chunkLength, String token) {}

    /** The areas {@link #list} walks. */
    enum Area {
        BLOBS,
        STAGING,
        UPLOADS
    }

    /**
     * Copies the whole stream into staged content {@code id}; on failure nothing stays behind.
     * Content that is {@code kept} must outlive this node (it is promoted later, perhaps by another
     * node). Other content is promoted or discarded by this node within the request, and a crash
     * before then loses nothing anyone was promised: a backend may hold it in memory when small.
     */
    Staged stage(String id, InputStream content, boolean kept) throws IOException;

    /**
     * {@link #stage} of kept content that need not be durable yet, one of many that
     * {@link #syncStaged} then makes durable together, before anything refers to them (an
     * archive's files). A backend without a cheaper way stages it durably at once.
     */
    default Staged stageLater(String id, InputStream content) throws IOException {
        return stage(id, content, true);
    }

    /** Makes the content staged by {@link #stageLater} under these ids durable, all at once. */
    default void syncStaged(List<String> ids) throws IOException {}

    /** Reads staged content from its start. */
    InputStream openStaged(Staged staged) throws StorageException;

    /**
     * Makes staged content the blob {@code sha256}, atomically; if the blob exists already, its
     * bytes stay. The staged content is dropped, unless {@code keepStaged}. Content kept staged
     * for a while is checked against its {@code md5} (hex) where it could have changed (a file on
     * a disk; S3 objects are immutable): {@link StorageException.Reason#REJECTED} when it no longer
     * matches.
     */
    void promote(Staged staged, String sha256, String md5, boolean keepStaged) throws StorageException;

    /** Kept staged content to become the blob {@code sha256}, in {@link #promoteKept}. */
    record Promotion(Staged staged, String sha256, String md5) {}

    /**
     * {@link #promote} of many kept contents, each kept staged; a backend may make them durable
     * together (one file system sync for many links) but all are durable when it returns.
     */
    default void promoteKept(List<Promotion> promotions) throws StorageException {
        for (Promotion p : promotions) {
            promote(p.staged(), p.sha256(), p.md5(), true);
        }
    }

    /** Drops staged content; does nothing if it is gone. */
    void discard(Staged staged) throws StorageException;

    /** Reads {@code length} bytes of a blob from {@code offset}. */
    InputStream open(String sha256, long offset, long length) throws StorageException;

    /** Removes a blob; does nothing if it is gone. */
    void delete(String sha256) throws StorageException;

    /** Opens the area that receives the chunks of a job of {@code length} bytes in total. */
    Upload createUpload(String job, long chunkLength, long length) throws StorageException;

    /**
     * Stores chunk {@code n} (from 0), which must be exactly {@code length} bytes, durably; sending
     * a chunk again replaces it. Returns the tag that {@link #completeUpload} needs for it.
     */
    String writeChunk(Upload upload, int n, InputStream content, long length) throws IOException;

    /**
     * Assembles the chunks (their tags in order) into staged content {@code up-<job>}. The upload's
     * area is gone afterwards.
     */
    Staged completeUpload(Upload upload, List<String> tags, long length) throws StorageException;

    /** Removes whatever an upload job left, by its job id; does nothing if it is gone. */
    void deleteUpload(String job) throws StorageException;

    /**
     * Walks an area in pages: blob digests, staged ids or upload job ids whose entries were last
     * written before {@code before}. Writes of staged content begun before then and never completed
     * (an S3 multipart upload whose node died) are not listed but dropped.
     */
    void list(Area area, Instant before, Consumer<List<String>> page) throws StorageException;

    /**
     * A URL that lets anyone who holds it read the blob for {@code expiry}, answered with the given
     * headers; empty when the backend cannot make one (the server then streams the bytes).
     */
    default Optional<URI> presign(String sha256, Duration expiry, String contentType, String contentDisposition) {
        return Optional.empty();
    }

    /**
     * Staged content or a blob ({@code stagedId} null) as a local file that must not be changed, for
     * readers that need files; empty when the backend keeps none here (the caller then copies).
     */
    default Optional<Path> localFile(String stagedId, String sha256) {
        return Optional.empty();
    }
}
