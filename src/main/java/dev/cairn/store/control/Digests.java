package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * MD5 and SHA-256 as Hatrac carries them: base64 in headers (hex accepted on the way in), lower
 * case hex inside Cairn.
 */
public final class Digests {

    private static final HexFormat HEX = HexFormat.of();

    private Digests() {}

    /**
     * The lower-case hex of a digest header value (base64 or hex), empty when absent; 400 when it
     * is not a digest of the expected size.
     */
    public static Optional<String> parse(String header, String value, int bytes) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            // a client that sends the header means to have its bytes checked: an empty one checks nothing
            throw new CairnException.BadRequest(
                    header + " is empty; send the base64 of the digest, or leave the header out.");
        }
        String v = value.trim();
        if (v.length() == bytes * 2 && v.matches("[0-9a-fA-F]+")) {
            return Optional.of(v.toLowerCase());
        }
        try {
            byte[] raw = Base64.getDecoder().decode(v);
            if (raw.length == bytes) {
                return Optional.of(HEX.formatHex(raw));
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new CairnException.BadRequest(header + " must be the base64 (or hex) of a " + bytes + "-byte digest.");
    }

    public static Optional<String> md5(String header, String value) {
        return parse(header, value, 16);
    }

    public static Optional<String> sha256(String header, String value) {
        return parse(header, value, 32);
    }

    public static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
    }

    /**
     * A stream that computes MD5 and SHA-256 and counts the bytes that pass through it. Given an
     * executor, MD5 (the slower of the two here) runs there while the reading thread computes
     * SHA-256 and its caller writes the bytes away: each read waits for the previous block's MD5
     * before it fills the caller's buffer again, so no block is copied.
     */
    public static final class DigestingStream extends FilterInputStream {

        private static final int INLINE = 64 << 10;

        private final MessageDigest md5 = digest("MD5");
        private final MessageDigest sha256 = digest("SHA-256");
        private final Executor executor;
        private CompletableFuture<Void> pendingMd5 = CompletableFuture.completedFuture(null);
        private long length;

        public DigestingStream(InputStream in) {
            this(in, Runnable::run);
        }

        public DigestingStream(InputStream in, Executor executor) {
            super(in);
            this.executor = executor;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            awaitMd5();
            // fill the buffer: fewer, larger blocks keep the hand-over cheap
            int n = in.readNBytes(b, off, len);
            if (n == 0) {
                return len == 0 ? 0 : -1;
            }
            sha256.update(b, off, n);
            if (n < INLINE) {
                md5.update(b, off, n); // handing a small block to another thread costs more than digesting it
            } else {
                pendingMd5 = CompletableFuture.runAsync(() -> md5.update(b, off, n), executor);
            }
            length += n;
            return n;
        }

        /** Skipped bytes are read and digested too: the digests always cover the whole stream. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.max(1, Math.min(n, 64 * 1024))];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        @Override
        public void close() throws IOException {
            try {
                awaitMd5();
            } finally {
                super.close();
            }
        }

        public String md5() throws IOException {
            awaitMd5();
            return HEX.formatHex(md5.digest());
        }

        public String sha256() {
            return HEX.formatHex(sha256.digest());
        }

        public long length() {
            return length;
        }

        private void awaitMd5() throws IOException {
            try {
                pendingMd5.join();
            } catch (CompletionException e) {
                throw new IOException("computing MD5 failed", e.getCause());
            }
        }

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
            }
        }
    }
}
