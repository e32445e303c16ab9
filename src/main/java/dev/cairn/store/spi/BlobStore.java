package dev.cairn.store.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Where the object store keeps bytes: content-addressed blobs named by their SHA-256 (lower-case
 * hex), staging areas for content on its way in, and upload areas that receive chunks at fixed
 * offsets. Every write is durable when the call returns. Backends know nothing of names, versions
 * or the database; they translate their own failures into {@link IOException}.
 */
public interface BlobStore {

    /** Content written to a staging area, not yet a blob. */
    record Staged(String id, long length) {
    }

    /**
     * Copies the whole stream into a new staging area and makes it durable. On failure nothing
     * stays behind.
     */
    Staged stage(InputStream content) throws IOException;

    /** Reads staged content, e.g. to check an assembled upload's digests. */
    InputStream openStaged(Staged staged) throws IOException;

    /**
     * The staged content as a local file, for readers that need one (statistics engines read
     * files, not streams), or empty when the backend keeps none; the file must not be changed.
     */
    default java.util.Optional<java.nio.file.Path> localFile(Staged staged) {
        return java.util.Optional.empty();
    }

    /** A blob as a local file, as {@link #localFile(Staged)}; empty when the backend keeps none. */
    default java.util.Optional<java.nio.file.Path> localBlob(String sha256) {
        return java.util.Optional.empty();
    }

    /**
     * Makes staged content the blob {@code sha256}, atomically: readers see all of it or nothing.
     * If the blob exists already the staged copy is dropped.
     */
    void promote(Staged staged, String sha256) throws IOException;

    /** Drops staged content; does nothing if it is gone. */
    void discard(Staged staged) throws IOException;

    boolean exists(String sha256) throws IOException;

    /** Reads {@code length} bytes of a blob from {@code offset}. */
    InputStream open(String sha256, long offset, long length) throws IOException;

    /** Removes a blob; does nothing if it is gone. */
    void delete(String sha256) throws IOException;

    /** Every blob held, for reconciliation at start-up. */
    Set<String> blobs() throws IOException;

    /** Opens the area that receives an upload job's chunks. */
    void createUpload(String job) throws IOException;

    /**
     * Writes one chunk at its offset, durably, and returns the bytes read. Writing a chunk again
     * replaces it.
     */
    long writeChunk(String job, long offset, InputStream content, long maxLength) throws IOException;

    /**
     * Detaches an upload's chunks, assembled, as staged content of the given length; further chunk
     * writes to the job fail.
     */
    Staged completeUpload(String job, long length) throws IOException;

    /** Returns staged content to an upload area, undoing {@link #completeUpload}. */
    void resumeUpload(Staged staged, String job) throws IOException;

    /** Removes an upload area; does nothing if it is gone. */
    void deleteUpload(String job) throws IOException;

    /** Every upload area held, for reconciliation at start-up. */
    Set<String> uploads() throws IOException;

    /** Removes staging areas left by a crash; called at start-up before any request. */
    void removeStaged() throws IOException;
}
