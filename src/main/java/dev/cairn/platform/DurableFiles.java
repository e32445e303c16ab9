package dev.cairn.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writing files so that what a call reports written survives a crash of the machine. */
public final class DurableFiles {

    private static final int BUFFER = 1 << 20;
    private static final long FORCE_EVERY = 128L << 20;

    private DurableFiles() {
    }

    /**
     * Copies at most {@code max} bytes (more is an error) in large blocks and returns how many.
     * Large content is forced to disk as it arrives, so that the caller's final fsync does not
     * stall on all of it at once.
     */
    public static long copy(InputStream in, FileChannel out, long max) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        long unforced = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > max) {
                throw new IOException("more than " + max + " bytes");
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            unforced += n;
            if (unforced >= FORCE_EVERY) {
                out.force(false);
                unforced = 0;
            }
        }
        return total;
    }

    /** Makes the creations, renames and removals of entries in a folder durable. */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
