package dev.cairn.dataset.control;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a BagIt 1.0 bag as a zip, as it goes: payload files are added one after the other
 * (digested on their way through), remote files are listed for {@code fetch.txt}, and
 * {@link #finish} writes the manifests, {@code bagit.txt}, {@code bag-info.txt} and the tag
 * manifests. Every entry carries one fixed time and entries come in the order they are added, so
 * the same content gives the same bytes. Manifest lines are spooled to temporary files, never
 * held in memory.
 */
public final class BagWriter implements Closeable {

    private static final HexFormat HEX = HexFormat.of();

    private final String root;
    private final LocalDateTime time;
    private final ZipOutputStream zip;
    private final Path spool;
    private final BufferedWriter md5Manifest;
    private final BufferedWriter sha256Manifest;
    private final BufferedWriter fetch;
    private final Set<String> paths = new HashSet<>();
    /** One buffer for every file's bytes (a fresh one per file would churn the heap). */
    private final byte[] buffer = new byte[1 << 20];

    private final Map<String, String[]> tagDigests = new LinkedHashMap<>();
    private long payloadBytes;
    private long payloadFiles;
    private boolean fetching;

    /** {@code root}: the bag's folder inside the zip; {@code time}: every entry's time (UTC). */
    public BagWriter(OutputStream out, String root, LocalDateTime time) throws IOException {
        this.root = safeSegment(root) + "/";
        this.time = time;
        this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        this.zip.setLevel(6);
        this.spool = Files.createTempDirectory("cairn-bag");
        this.md5Manifest = Files.newBufferedWriter(spool.resolve("md5"));
        this.sha256Manifest = Files.newBufferedWriter(spool.resolve("sha256"));
        this.fetch = Files.newBufferedWriter(spool.resolve("fetch"));
    }

    /** A name safe as one path segment in any unpacker: no separators, control characters or dot names. */
    public static String safeSegment(String name) {
        String s = name == null || name.isEmpty() ? "_" : name.replaceAll("[/\\\\\\p{Cntrl}:*?\"<>|]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }

    /** A payload path {@code data/a/b}, made unique within the bag. */
    public String payloadPath(String... segments) {
        StringBuilder path = new StringBuilder("data");
        for (String segment : segments) {
            path.append('/').append(safeSegment(segment));
        }
        String candidate = path.toString();
        for (int n = 2; !paths.add(candidate); n++) {
            candidate = path + "~" + n;
        }
        return candidate;
    }

    /** A payload file written by {@code content} (compressed); returns its size. */
    public long addPayload(String path, ContentWriter content) throws IOException {
        Digesting digests = new Digesting(zip);
        ZipEntry entry = entry(path);
        entry.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(entry);
        content.write(digests);
        digests.flush();
        zip.closeEntry();
        zip.flush(); // the client gets each file as it is done, not when a buffer fills
        recordPayload(path, digests.count, HEX.formatHex(digests.md5.digest()), HEX.formatHex(digests.sha256.digest()));
        return digests.count;
    }

    /**
     * A payload file stored as it is (files are mostly compressed already): its bytes are read
     * twice, once for the zip's CRC and once into the zip; its digests are known.
     */
    public void addStoredPayload(String path, long length, String md5, String sha256, Supplier<InputStream> open)
            throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = open.get()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        ZipEntry entry = entry(path);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(length);
        entry.setCompressedSize(length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        try (InputStream in = open.get()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                zip.write(buffer, 0, n);
            }
        }
        zip.closeEntry();
        recordPayload(path, length, md5, sha256);
    }

    /** A payload file left out of the zip and listed in {@code fetch.txt}, to be fetched from {@code url}. */
    public void addRemote(String url, String path, long length, String md5, String sha256) throws IOException {
        fetching = true;
        fetch.write(encode(url) + " " + length + " " + encode(path) + "\n");
        recordPayload(path, length, md5, sha256);
    }

    private void recordPayload(String path, long length, String md5, String sha256) throws IOException {
        payloadBytes += length;
        payloadFiles++;
        md5Manifest.write(md5 + "  " + encode(path) + "\n");
        sha256Manifest.write(sha256 + "  " + encode(path) + "\n");
    }

    /** {@code Payload-Oxum}: octets and files of the whole payload, remote files included. */
    public String payloadOxum() {
        return payloadBytes + "." + payloadFiles;
    }

    /** Writes the tag files and the end of the zip; {@code info}: bag-info.txt's fields in order. */
    public void finish(Map<String, String> info) throws IOException {
        md5Manifest.close();
        sha256Manifest.close();
        fetch.close();
        if (fetching) {
            tagFile("fetch.txt", null, spool.resolve("fetch"));
        }
        tagFile("manifest-md5.txt", null, spool.resolve("md5"));
        tagFile("manifest-sha256.txt", null, spool.resolve("sha256"));
        tagFile(
                "bagit.txt",
                "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".getBytes(StandardCharsets.UTF_8),
                null);
        StringBuilder text = new StringBuilder();
        info.forEach((k, v) -> text.append(k)
                .append(": ")
                .append(v.replaceAll("[\\r\\n]+", " ").strip())
                .append('\n'));
        tagFile("bag-info.txt", text.toString().getBytes(StandardCharsets.UTF_8), null);
        for (String algorithm : new String[] {"md5", "sha256"}) {
            StringBuilder manifest = new StringBuilder();
            int index = algorithm.equals("md5") ? 0 : 1;
            tagDigests.forEach((name, digests) ->
                    manifest.append(digests[index]).append("  ").append(name).append('\n'));
            writeEntry("tagmanifest-" + algorithm + ".txt", manifest.toString().getBytes(StandardCharsets.UTF_8));
        }
        zip.finish();
    }

    /** A tag file from bytes or from a spooled file, recorded for the tag manifests. */
    private void tagFile(String name, byte[] bytes, Path file) throws IOException {
        Digesting digests = new Digesting(zip);
        ZipEntry entry = entry(name);
        entry.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(entry);
        if (bytes != null) {
            digests.write(bytes);
        } else {
            Files.copy(file, digests);
        }
        digests.flush();
        zip.closeEntry();
        tagDigests.put(
                name, new String[] {HEX.formatHex(digests.md5.digest()), HEX.formatHex(digests.sha256.digest())});
    }

    private void writeEntry(String name, byte[] bytes) throws IOException {
        ZipEntry entry = entry(name);
        entry.setMethod(ZipEntry.DEFLATED);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private ZipEntry entry(String path) {
        ZipEntry entry = new ZipEntry(root + path);
        entry.setTimeLocal(time);
        return entry;
    }

    /** BagIt 1.0: CR, LF and % are percent-encoded in manifest and fetch paths. */
    static String encode(String path) {
        return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Closes the zip stream (not the output under it when finished) and removes the spool. */
    @Override
    public void close() throws IOException {
        try {
            md5Manifest.close();
            sha256Manifest.close();
            fetch.close();
        } finally {
            try (var files = Files.list(spool)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(spool);
        }
    }

    /** Writes a payload file's content. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Passes bytes on to the zip entry, digesting and counting them; closing it leaves the zip open. */
    private static final class Digesting extends FilterOutputStream {
        final MessageDigest md5 = digest("MD5");
        final MessageDigest sha256 = digest("SHA-256");
        long count;

        Digesting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            md5.update((byte) b);
            sha256.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            md5.update(b, off, len);
            sha256.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
