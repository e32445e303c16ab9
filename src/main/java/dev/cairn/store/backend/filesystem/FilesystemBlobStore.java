package dev.cairn.store.backend.filesystem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cairn.platform.DurableFiles;
import dev.cairn.store.spi.BlobStore;

/**
 * Blobs as files under a root folder: {@code blobs/ab/cd/<sha256>}, staging areas in
 * {@code staging/}, uploads as one sparse file each in {@code uploads/}. Content becomes a blob
 * by a rename within one file system after fsync of the file, and the rename is made durable by
 * an fsync of the folder. Only names this class makes (hex digests, UUIDs, checked job ids) ever
 * become paths.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private static final int BUFFER = 1 << 20;

    private final Path blobs;
    private final Path staging;
    private final Path uploads;

    public FilesystemBlobStore(Path root) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs"));
        this.staging = Files.createDirectories(root.resolve("staging"));
        this.uploads = Files.createDirectories(root.resolve("uploads"));
    }

    @Override
    public Staged stage(InputStream content) throws IOException {
        String id = UUID.randomUUID().toString();
        Path file = staging.resolve(id);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long length = DurableFiles.copy(content, out, Long.MAX_VALUE);
            DurableFiles.force(out, true);
            return new Staged(id, length);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    @Override
    public InputStream openStaged(Staged staged) throws IOException {
        return Files.newInputStream(stagedFile(staged));
    }

    @Override
    public java.util.Optional<Path> localBlob(String sha256) {
        Path file = blobFile(sha256);
        return Files.exists(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<Path> localFile(Staged staged) {
        return java.util.Optional.of(stagedFile(staged));
    }

    @Override
    public void promote(Staged staged, String sha256) throws IOException {
        Path target = blobFile(sha256);
        Path source = stagedFile(staged);
        if (Files.exists(target)) {
            Files.deleteIfExists(source);
            return;
        }
        Path folder = Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(source);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the blob store's folders must be on one file system", e);
        }
        DurableFiles.syncFolder(folder);
    }

    @Override
    public void discard(Staged staged) throws IOException {
        Files.deleteIfExists(stagedFile(staged));
    }

    @Override
    public boolean exists(String sha256) {
        return Files.exists(blobFile(sha256));
    }

    @Override
    public InputStream open(String sha256, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(blobFile(sha256), StandardOpenOption.READ);
        try {
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new BoundedInputStream(in, length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(blobFile(sha256));
    }

    @Override
    public Set<String> blobs() throws IOException {
        Set<String> found = new HashSet<>();
        try (Stream<Path> files = Files.walk(blobs)) {
            files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> SHA256.matcher(name).matches())
                    .forEach(found::add);
        }
        return found;
    }

    @Override
    public void createUpload(String job) throws IOException {
        Files.newByteChannel(uploadFile(job), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        DurableFiles.syncFolder(uploads);
    }

    @Override
    public long writeChunk(String job, long offset, InputStream content, long maxLength) throws IOException {
        Path file = uploadFile(job);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(job);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            out.position(offset);
            long length = DurableFiles.copy(content, out, maxLength);
            out.force(false);
            return length;
        }
    }

    @Override
    public Staged completeUpload(String job, long length) throws IOException {
        Path file = uploadFile(job);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // chunks may have been written again with less data than before; cut any excess
            channel.truncate(length);
            channel.force(true);
        }
        String id = UUID.randomUUID().toString();
        Files.move(file, staging.resolve(id), StandardCopyOption.ATOMIC_MOVE);
        return new Staged(id, length);
    }

    @Override
    public void resumeUpload(Staged staged, String job) throws IOException {
        Files.move(stagedFile(staged), uploadFile(job), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void deleteUpload(String job) throws IOException {
        Files.deleteIfExists(uploadFile(job));
    }

    @Override
    public Set<String> uploads() throws IOException {
        Set<String> found = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uploads)) {
            files.forEach(p -> found.add(p.getFileName().toString()));
        }
        return found;
    }

    @Override
    public void removeStaged() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private Path blobFile(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private Path stagedFile(Staged staged) {
        return staging.resolve(checkedId(staged.id()));
    }

    private Path uploadFile(String job) {
        return uploads.resolve(checkedId(job));
    }

    private static String checkedId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a storage id: " + id);
        }
        return id;
    }

    /** A view of at most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            int n;
            while ((n = read(buffer, 0, buffer.length)) > 0) {
                out.write(buffer, 0, n);
                total += n;
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
