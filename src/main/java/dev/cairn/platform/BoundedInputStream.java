package dev.cairn.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A view of at most {@code remaining} bytes of a stream, copied out in large blocks. */
public final class BoundedInputStream extends InputStream {

    private static final int BUFFER = 1 << 20;

    private final InputStream in;
    private long remaining;

    public BoundedInputStream(InputStream in, long remaining) {
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
