package dev.cairn.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Writing files so that what a call reports written survives a crash of the machine. */
public final class DurableFiles {

    private static final int BUFFER = 1 << 20;
    private static final long FORCE_EVERY = 128L << 20;

    private DurableFiles() {}

    /** Threads that write and force data to disk while the reader goes on. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "cairn-file-writer");
        thread.setDaemon(true);
        return thread;
    });

    /** Writing to the disk failed (a full disk, say): the server's fault, where a failed read is the client's. */
    public static final class WriteFailed extends IOException {
        public WriteFailed(IOException cause) {
            super("writing to disk failed: " + cause.getMessage(), cause);
        }
    }

    /** Blocks read ahead of the disk at most: the memory one copy may hold. */
    private static final int AHEAD = 8;

    /** A block read and waiting to be written; an empty one ends the copy. */
    private record Block(byte[] bytes, int length) {}

    /**
     * Copies at most {@code max} bytes (more is an error) in large blocks and returns how many,
     * once they are all written. The caller's thread reads (and so digests, for a digesting
     * stream) while another writes up to {@value #AHEAD} blocks behind it, so reading and the disk
     * overlap. Large content is forced to disk as it arrives, one force at a time in the
     * background, so that the caller's final fsync does not stall on all of it at once.
     */
    public static long copy(InputStream in, FileChannel out, long max) throws IOException {
        byte[] first = new byte[BUFFER];
        int n = in.readNBytes(first, 0, first.length);
        if (n > max) {
            throw new IOException("more than " + max + " bytes");
        }
        if (n < first.length) {
            // all of it in one block: written here, no other thread needed
            writeFully(out, first, n);
            return n;
        }
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(AHEAD);
        BlockingQueue<Block> written = new ArrayBlockingQueue<>(AHEAD + 1);
        written.add(new Block(first, n));
        int allocated = 1;
        Future<?> writer = WRITERS.submit(() -> write(written, free, out));
        long total = n;
        try {
            while (true) {
                byte[] buffer = free.poll();
                if (buffer == null && allocated < AHEAD) {
                    buffer = new byte[BUFFER];
                    allocated++;
                } else if (buffer == null) {
                    buffer = take(free, writer);
                }
                if (buffer == null) {
                    break; // the writer failed: its error is thrown below
                }
                n = in.readNBytes(buffer, 0, buffer.length);
                if (n == 0) {
                    break;
                }
                total += n;
                if (total > max) {
                    throw new IOException("more than " + max + " bytes");
                }
                written.add(new Block(buffer, n)); // never full: there are at most AHEAD buffers
            }
        } finally {
            written.offer(new Block(null, 0));
            await(writer);
        }
        return total;
    }

    private static void writeFully(FileChannel out, byte[] bytes, int length) throws WriteFailed {
        ByteBuffer chunk = ByteBuffer.wrap(bytes, 0, length);
        try {
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw e instanceof WriteFailed failed ? failed : new WriteFailed(e);
        }
    }

    /** The writer's side of {@link #copy}: blocks in order, then every force it started. */
    private static Void write(BlockingQueue<Block> blocks, BlockingQueue<byte[]> free, FileChannel out)
            throws IOException, InterruptedException {
        long unforced = 0;
        Future<?> forcing = null;
        try {
            for (Block block = blocks.take(); block.bytes() != null; block = blocks.take()) {
                writeFully(out, block.bytes(), block.length());
                free.add(block.bytes());
                unforced += block.length();
                if (unforced >= FORCE_EVERY && (forcing == null || forcing.isDone())) {
                    await(forcing);
                    forcing = WRITERS.submit(() -> {
                        force(out, false);
                        return null;
                    });
                    unforced = 0;
                }
            }
        } finally {
            await(forcing);
        }
        return null;
    }

    /** Forces a file's data (and with {@code metadata}, its size and times) to disk. */
    public static void force(FileChannel out, boolean metadata) throws WriteFailed {
        try {
            out.force(metadata);
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    /** A free buffer once the writer has written one, or null when the writer has stopped. */
    private static byte[] take(BlockingQueue<byte[]> free, Future<?> writer) throws IOException {
        try {
            byte[] buffer;
            while ((buffer = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (writer.isDone()) {
                    return null;
                }
            }
            return writer.isDone() ? null : buffer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying");
        }
    }

    private static void await(Future<?> forcing) throws IOException {
        if (forcing == null) {
            return;
        }
        try {
            forcing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing data to disk");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new WriteFailed(new IOException(e.getCause()));
        }
    }

    /** Makes the creations, renames and removals of entries in a folder durable. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** How many files {@link #syncAll} syncs at once. */
    private static final int SYNCS = 8;

    /** Threads that sync many files side by side. */
    private static final ExecutorService SYNCERS = Executors.newFixedThreadPool(SYNCS, runnable -> {
        Thread thread = new Thread(runnable, "cairn-file-sync");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Syncs every file or folder (its data, size and entries) and returns once all are durable;
     * the first failure is thrown after all have been tried. {@value #SYNCS} at a time: a journaling
     * file system commits its journal once for the syncs that wait together, so many small files
     * become durable in about half the time one by one takes (measured on ext4: 0.35 ms per file
     * one after another, 0.16 ms side by side).
     */
    public static void syncAll(Collection<Path> paths) throws IOException {
        List<Future<?>> syncs = new ArrayList<>(paths.size());
        for (Path path : paths) {
            syncs.add(SYNCERS.submit(() -> {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel.force(true);
                }
                return null;
            }));
        }
        IOException first = null;
        for (Future<?> sync : syncs) {
            try {
                await(sync);
            } catch (IOException e) {
                first = first != null ? first : e instanceof WriteFailed failed ? failed : new WriteFailed(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
