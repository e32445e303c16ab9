package dev.cairn.store.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.store.spi.BlobStore.Area;
import dev.cairn.store.spi.BlobStore.Staged;
import dev.cairn.store.spi.BlobStore.Upload;
import dev.cairn.store.spi.StorageException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} backend must do; each backend's test extends this. Each test works
 * on names of its own, so a backend may keep what earlier tests wrote.
 */
public abstract class BlobStoreContract {

    protected BlobStore store;

    protected abstract BlobStore newStore() throws IOException;

    @BeforeEach
    void open() throws IOException {
        store = newStore();
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha() {
        return (UUID.randomUUID().toString().replace("-", "")
                + UUID.randomUUID().toString().replace("-", ""));
    }

    private static String id() {
        return "tmp-" + UUID.randomUUID();
    }

    protected static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String read(String sha256, long offset, long length) throws IOException {
        try (InputStream in = store.open(sha256, offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Set<String> listed(Area area) throws IOException {
        Set<String> all = new HashSet<>();
        store.list(area, Instant.now().plusSeconds(60), all::addAll);
        return all;
    }

    @Test
    void stagedContentBecomesABlobOnlyWhenPromoted() throws IOException {
        String sha = sha();
        Staged staged = store.stage(id(), bytes("hello blob"), true);
        assertEquals(10, staged.length());
        assertTrue(listed(Area.STAGING).contains(staged.id()));
        assertTrue(!listed(Area.BLOBS).contains(sha));
        store.promote(staged, sha, md5("hello blob"), false);
        assertEquals("hello blob", read(sha, 0, 10));
        assertEquals("blob", read(sha, 6, 4));
        assertEquals("", read(sha, 3, 0));
        assertTrue(listed(Area.BLOBS).contains(sha));
        assertTrue(!listed(Area.STAGING).contains(staged.id()), "the staged copy is gone");
    }

    @Test
    void promotingExistingContentKeepsOneCopyAndKeptStagingStays() throws IOException {
        String sha = sha();
        store.promote(store.stage(id(), bytes("same"), true), sha, md5("same"), false);
        Staged again = store.stage(id(), bytes("same"), true);
        store.promote(again, sha, md5("same"), true);
        assertEquals("same", read(sha, 0, 4));
        try (InputStream in = store.openStaged(again)) {
            assertEquals("same", new String(in.readAllBytes(), StandardCharsets.UTF_8), "kept staged");
        }
        Staged kept = store.stage(id(), bytes("kept"), true);
        String other = sha();
        store.promote(kept, other, md5("kept"), true);
        store.discard(kept);
        assertEquals("kept", read(other, 0, 4), "the blob outlives its staged copy");
    }

    @Test
    void discardedContentIsGoneAndMissingIsReportedAsSuch() throws IOException {
        Staged discarded = store.stage(id(), bytes("gone"), true);
        store.discard(discarded);
        store.discard(discarded);
        StorageException missing = assertThrows(
                StorageException.class, () -> store.openStaged(discarded).close());
        assertEquals(Reason.MISSING, missing.reason());
        assertTrue(!missing.retryable());
        StorageException noBlob = assertThrows(
                StorageException.class, () -> store.open(sha(), 0, 1).read());
        assertEquals(Reason.MISSING, noBlob.reason());
    }

    @Test
    void passingContentIsPromotedOrDiscardedLikeKeptContent() throws IOException {
        Staged passing = store.stage(id(), bytes("passing"), false);
        try (InputStream in = store.openStaged(passing)) {
            assertEquals("passing", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String sha = sha();
        store.promote(passing, sha, md5("passing"), false);
        assertEquals("passing", read(sha, 0, 7));
        Staged dropped = store.stage(id(), bytes("dropped"), false);
        store.discard(dropped);
        assertTrue(!listed(Area.STAGING).contains(dropped.id()));
    }

    @Test
    void deleteRemovesOnlyThatBlob() throws IOException {
        String a = sha();
        String b = sha();
        store.promote(store.stage(id(), bytes("a"), true), a, md5("a"), false);
        store.promote(store.stage(id(), bytes("b"), true), b, md5("b"), false);
        store.delete(a);
        store.delete(a);
        Set<String> blobs = listed(Area.BLOBS);
        assertTrue(!blobs.contains(a) && blobs.contains(b));
    }

    @Test
    void smallChunksLandInAnyOrderAndCanBeSentAgain() throws IOException {
        String job = "J" + UUID.randomUUID().toString().substring(0, 8);
        Upload upload = store.createUpload(job, 4, 10);
        String[] tags = new String[3];
        tags[2] = store.writeChunk(upload, 2, bytes("IJ"), 2);
        tags[0] = store.writeChunk(upload, 0, bytes("ABCD"), 4);
        tags[1] = store.writeChunk(upload, 1, bytes("xxxx"), 4);
        tags[1] = store.writeChunk(upload, 1, bytes("EFGH"), 4); // sent again: replaced
        assertTrue(listed(Area.UPLOADS).contains(job));
        Staged staged = store.completeUpload(upload, Arrays.asList(tags), 10);
        try (InputStream in = store.openStaged(staged)) {
            assertEquals("ABCDEFGHIJ", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String sha = sha();
        store.promote(staged, sha, md5("ABCDEFGHIJ"), false);
        assertEquals("ABCDEFGHIJ", read(sha, 0, 10));
        assertTrue(!listed(Area.UPLOADS).contains(job), "the upload's area is gone");
    }

    @Test
    void largeChunksLandInAnyOrder() throws IOException {
        int chunk = 5 << 20;
        byte[] content = new byte[2 * chunk + 1000];
        new Random(1).nextBytes(content);
        Upload upload = store.createUpload("L" + UUID.randomUUID().toString().substring(0, 8), chunk, content.length);
        String[] tags = new String[3];
        for (int n : new int[] {2, 0, 1, 0}) {
            int from = n * chunk;
            int to = Math.min(content.length, from + chunk);
            tags[n] = store.writeChunk(upload, n, new ByteArrayInputStream(content, from, to - from), to - from);
        }
        Staged staged = store.completeUpload(upload, Arrays.asList(tags), content.length);
        try (InputStream in = store.openStaged(staged)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        store.discard(staged);
    }

    @Test
    void aChunkOfTheWrongLengthIsRejected() throws IOException {
        String job = "W" + UUID.randomUUID().toString().substring(0, 8);
        Upload upload = store.createUpload(job, 4, 8);
        StorageException tooLong =
                assertThrows(StorageException.class, () -> store.writeChunk(upload, 0, bytes("too long"), 4));
        assertEquals(Reason.REJECTED, tooLong.reason());
        StorageException tooShort =
                assertThrows(StorageException.class, () -> store.writeChunk(upload, 1, bytes("ab"), 4));
        assertEquals(Reason.REJECTED, tooShort.reason());
        store.deleteUpload(job);
        store.deleteUpload(job);
        assertTrue(!listed(Area.UPLOADS).contains(job));
    }

    @Test
    void emptyContentIsContentToo() throws IOException {
        Staged empty = store.stage(id(), InputStream.nullInputStream(), true);
        assertEquals(0, empty.length());
        String sha = sha();
        store.promote(empty, sha, md5(""), false);
        assertEquals("", read(sha, 0, 0));
        Upload upload = store.createUpload("E" + UUID.randomUUID().toString().substring(0, 8), 1024, 0);
        Staged assembled = store.completeUpload(upload, List.of(), 0);
        try (InputStream in = store.openStaged(assembled)) {
            assertEquals(0, in.readAllBytes().length);
        }
        store.discard(assembled);
    }

    @Test
    void largeContentStreams() throws Exception {
        long total = 64L << 20;
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 7);
        InputStream sixtyFourMiB = new InputStream() {
            long left = total;

            @Override
            public int read() {
                return left-- > 0 ? 7 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, left), block.length);
                System.arraycopy(block, 0, b, off, n);
                left -= n;
                return n;
            }
        };
        Staged staged = store.stage(id(), sixtyFourMiB, true);
        assertEquals(total, staged.length());
        String sha = sha();
        MessageDigest digest = MessageDigest.getInstance("MD5");
        for (int i = 0; i < 64; i++) {
            digest.update(block);
        }
        store.promote(staged, sha, HexFormat.of().formatHex(digest.digest()), false);
        try (InputStream in = store.open(sha, total - 3, 3)) {
            assertArrayEquals(new byte[] {7, 7, 7}, in.readAllBytes());
        }
        try (InputStream in = store.open(sha, 0, total)) {
            assertEquals(7, in.read(), "a large read closed early does not read the rest");
        }
        store.delete(sha);
    }

    @Test
    void aFailingSourceLeavesNothingAndIsNotTheStoresFault() throws IOException {
        String id = id();
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100_000) {
                    throw new IOException("client went away");
                }
                return 1;
            }
        };
        IOException e = assertThrows(IOException.class, () -> store.stage(id, broken, true));
        assertTrue(!(e instanceof StorageException), "the caller's stream failed, not the store: " + e);
        assertTrue(!listed(Area.STAGING).contains(id));
    }

    @Test
    void listingLeavesOutWhatIsYoungerThanAsked() throws IOException {
        Staged staged = store.stage(id(), bytes("fresh"), true);
        List<String> old = new ArrayList<>();
        store.list(Area.STAGING, Instant.now().minusSeconds(3600), old::addAll);
        assertTrue(!old.contains(staged.id()));
        store.discard(staged);
    }

    @Test
    void namesThatAreNotDigestsOrIdsNeverBecomePathsOrKeys() {
        for (String hostile : new String[] {"../../etc/passwd", "a".repeat(63) + "/", "A".repeat(64), ""}) {
            assertThrows(IllegalArgumentException.class, () -> store.open(hostile, 0, 1), hostile);
            assertThrows(IllegalArgumentException.class, () -> store.delete(hostile), hostile);
        }
        assertThrows(IllegalArgumentException.class, () -> store.createUpload("../x", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> store.discard(new Staged("../../x", 0)));
        assertThrows(IllegalArgumentException.class, () -> store.stage("a/b", bytes("x"), true));
    }
}
