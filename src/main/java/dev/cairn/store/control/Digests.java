package dev.cairn.store.control;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import dev.cairn.platform.CairnException;

/**
 * MD5 and SHA-256 as Hatrac carries them: base64 in headers (hex accepted on the way in), lower
 * case hex inside Cairn.
 */
public final class Digests {

    private static final HexFormat HEX = HexFormat.of();

    private Digests() {
    }

    /**
     * The lower-case hex of a digest header value (base64 or hex), empty when absent; 400 when it
     * is not a digest of the expected size.
     */
    public static Optional<String> parse(String header, String value, int bytes) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
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

    /** A stream that computes MD5 and SHA-256 and counts the bytes that pass through it. */
    public static final class DigestingStream extends FilterInputStream {

        private final MessageDigest md5 = digest("MD5");
        private final MessageDigest sha256 = digest("SHA-256");
        private long length;

        public DigestingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                md5.update((byte) b);
                sha256.update((byte) b);
                length++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                md5.update(b, off, n);
                sha256.update(b, off, n);
                length += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("a digesting stream reads every byte");
        }

        public String md5() {
            return HEX.formatHex(md5.digest());
        }

        public String sha256() {
            return HEX.formatHex(sha256.digest());
        }

        public long length() {
            return length;
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
