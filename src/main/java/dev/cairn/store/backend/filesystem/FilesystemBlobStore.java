package dev.cairn.store.backend.filesystem;

import dev.cairn.platform.BoundedInputStream;
import dev.cairn.platform.DurableFiles;
import dev.cairn.store.control.Digests;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.StorageException;
import dev.cairn.store.spi.StorageException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Blobs as files under a root folder of one node: {@code blobs/ab/cd/<sha256>}, staged content in
 * {@code staging/}, each upload job as one sparse file in {@code uploads/} (a chunk is written at
 * its offset). Content becomes a blob by a rename within one file system after fsync of the file,
 * made durable by an fsync of the folder; content kept staged becomes a blob by a hard link. Only
 * names this class checks (hex digests, ids of letters, digits and dashes) become paths.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,80}");
    private static final int PAGE = 1000;

    private final Path blobs;
    private final Path staging;
    private final Path uploads;

    public FilesystemBlobStore(Path root) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs"));
        this.staging = Files.createDirectories(root.resolve("staging"));
        this.uploads = Files.createDirectories(root.resolve("uploads"));
    }

    @Override
    public Staged stage(String id, InputStream content, boolean kept) throws IOException {
        return write(id, content, true);
    }

    @Override
    public Staged stageLater(String id, InputStream content) throws IOException {
        return write(id, content, false);
    }

    /** The staged files, then the staging folder with their names, synced side by side. */
    @Override
    public void syncStaged(List<String> ids) throws IOException {
        List<Path> files = new ArrayList<>(ids.size());
        for (String id : ids) {
            files.add(staging.resolve(checkedId(id)));
        }
        try {
            DurableFiles.syncAll(files);
            DurableFiles.syncFolder(staging);
        } catch (IOException e) {
            throw e instanceof DurableFiles.WriteFailed ? e : new DurableFiles.WriteFailed(e);
        }
    }

    private Staged write(String id, InputStream content, boolean durable) throws IOException {
        Path file = staging.resolve(checkedId(id));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long length = DurableFiles.copy(content, out, Long.MAX_VALUE);
            if (durable) {
                DurableFiles.force(out, true);
            }
            return new Staged(id, length);
        } catch (DurableFiles.WriteFailed e) {
            deleteQuietly(file);
            throw new StorageException(Reason.UNAVAILABLE, e.getMessage(), e);
        } catch (FileAlreadyExistsException e) {
            throw new StorageException(Reason.REJECTED, "staged content " + id + " exists already", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    @Override
    public InputStream openStaged(Staged staged) throws StorageException {
        return guard(() -> Files.newInputStream(staging.resolve(checkedId(staged.id()))));
    }

    @Override
    public void promote(Staged staged, String sha256, String md5, boolean keepStaged) throws StorageException {
        guard(() -> {
            Path folder = place(staged, sha256, md5, keepStaged);
            if (folder != null) {
                DurableFiles.syncFolder(folder);
            }
            if (!keepStaged) {
                Files.deleteIfExists(staging.resolve(checkedId(staged.id())));
            }
            return null;
        });
    }

    /** All links first, then each folder once, the folders synced side by side. */
    @Override
    public void promoteKept(List<Promotion> promotions) throws StorageException {
        guard(() -> {
            Set<Path> folders = new LinkedHashSet<>();
            for (Promotion p : promotions) {
                Path folder = place(p.staged(), p.sha256(), p.md5(), true);
                if (folder != null) {
                    folders.add(folder);
                }
            }
            DurableFiles.syncAll(folders);
            return null;
        });
    }

    /** Links or moves the staged content into place; the folder to sync, or null if the blob was there. */
    private Path place(Staged staged, String sha256, String md5, boolean keepStaged)
            throws IOException, StorageException {
        Path target = blobFile(sha256);
        Path source = staging.resolve(checkedId(staged.id()));
        if (!Files.exists(source)) {
            throw new NoSuchFileException(staged.id());
        }
        if (Files.exists(target)) {
            return null;
        }
        if (keepStaged && !md5(source).equals(md5)) {
            throw new StorageException(Reason.REJECTED, "staged content " + staged.id() + " no longer has MD5 " + md5);
        }
        Path folder = Files.createDirectories(target.getParent());
        try {
            if (keepStaged) {
                Files.createLink(target, source); // both immutable: one set of bytes, two names
            } else {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException raced) {
            // the same content arrived meanwhile
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob store's folders must be on one file system", e);
        }
        return folder;
    }

    private static String md5(Path file) throws IOException {
        try (Digests.DigestingStream in = new Digests.DigestingStream(Files.newInputStream(file))) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.md5();
        }
    }

    @Override
    public void discard(Staged staged) throws StorageException {
        Path file = staging.resolve(checkedId(staged.id()));
        guard(() -> Files.deleteIfExists(file));
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws StorageException {
        Path file = blobFile(sha256);
        return guard(() -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
                return new BoundedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        });
    }

    @Override
    public void delete(String sha256) throws StorageException {
        Path file = blobFile(sha256);
        guard(() -> Files.deleteIfExists(file));
    }

    @Override
    public Upload createUpload(String job, long chunkLength, long length) throws StorageException {
        Path file = uploads.resolve(checkedId(job));
        guard(() -> {
            Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)
                    .close();
            DurableFiles.syncFolder(uploads);
            return null;
        });
        return new Upload(job, chunkLength, "");
    }

    @Override
    public String writeChunk(Upload upload, int n, InputStream content, long length) throws IOException {
        Path file = uploads.resolve(checkedId(upload.job()));
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            out.position(n * upload.chunkLength());
            long written = DurableFiles.copy(new BoundedInputStream(content, length + 1), out, length + 1);
            if (written != length) {
                throw new StorageException(Reason.REJECTED, "chunk " + n + " has " + written + " bytes, not " + length);
            }
            DurableFiles.force(out, false);
            return Long.toString(written);
        } catch (NoSuchFileException e) {
            throw new StorageException(Reason.MISSING, "no upload " + upload.job(), e);
        } catch (DurableFiles.WriteFailed e) {
            throw new StorageException(Reason.UNAVAILABLE, e.getMessage(), e);
        }
    }

    @Override
    public Staged completeUpload(Upload upload, List<String> tags, long length) throws StorageException {
        Path file = uploads.resolve(checkedId(upload.job()));
        String stagedId = "up-" + upload.job();
        Path target = staging.resolve(checkedId(stagedId));
        return guard(() -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                // chunks may have been written again with less data than before; cut any excess
                channel.truncate(length);
                channel.force(true);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            return new Staged(stagedId, length);
        });
    }

    @Override
    public void deleteUpload(String job) throws StorageException {
        Path file = uploads.resolve(checkedId(job));
        guard(() -> Files.deleteIfExists(file));
    }

    @Override
    public void list(Area area, Instant before, Consumer<List<String>> page) throws StorageException {
        Path root = switch (area) {
            case BLOBS -> blobs;
            case STAGING -> staging;
            case UPLOADS -> uploads;
        };
        Pattern names = area == Area.BLOBS ? SHA256 : ID;
        guard(() -> {
            List<String> batch = new ArrayList<>();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    BasicFileAttributes attributes;
                    try {
                        attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (attributes.isRegularFile()
                            && names.matcher(name).matches()
                            && attributes.lastModifiedTime().toInstant().isBefore(before)) {
                        batch.add(name);
                        if (batch.size() == PAGE) {
                            page.accept(List.copyOf(batch));
                            batch.clear();
                        }
                    }
                }
            }
            if (!batch.isEmpty()) {
                page.accept(batch);
            }
            return null;
        });
    }

    @Override
    public Optional<Path> localFile(String stagedId, String sha256) {
        Path file = stagedId != null ? staging.resolve(checkedId(stagedId)) : blobFile(sha256);
        return Files.exists(file) ? Optional.of(file) : Optional.empty();
    }

    private interface Io<T> {
        T run() throws IOException;
    }

    /** Runs file work, reporting its failures as the store's own. */
    private static <T> T guard(Io<T> work) throws StorageException {
        try {
            return work.run();
        } catch (StorageException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new StorageException(Reason.MISSING, "not found: " + e.getFile(), e);
        } catch (IOException e) {
            throw new StorageException(Reason.UNAVAILABLE, e.toString(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // swept later
        }
    }

    private Path blobFile(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return blobs.resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    private static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a storage id: " + id);
        }
        return id;
    }
}
