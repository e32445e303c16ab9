package dev.cairn.store.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cairn.store.spi.BlobStore.Staged;

/** What every {@link BlobStore} backend must do; each backend's test extends this. */
public abstract class BlobStoreContract {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    protected BlobStore store;

    protected abstract BlobStore newStore() throws IOException;

    @BeforeEach
    void open() throws IOException {
        store = newStore();
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String sha256, long offset, long length) throws IOException {
        try (InputStream in = store.open(sha256, offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void stagedContentBecomesABlobOnlyWhenPromoted() throws IOException {
        Staged staged = store.stage(bytes("hello blob"));
        assertEquals(10, staged.length());
        assertFalse(store.exists(SHA_A));
        store.promote(staged, SHA_A);
        assertTrue(store.exists(SHA_A));
        assertEquals("hello blob", read(SHA_A, 0, 10));
        assertEquals("blob", read(SHA_A, 6, 4));
        assertEquals(Set.of(SHA_A), store.blobs());
    }

    @Test
    void promotingExistingContentKeepsOneCopy() throws IOException {
        store.promote(store.stage(bytes("same")), SHA_A);
        store.promote(store.stage(bytes("same")), SHA_A);
        assertEquals(Set.of(SHA_A), store.blobs());
        assertEquals("same", read(SHA_A, 0, 4));
    }

    @Test
    void discardedAndLeftoverStagingLeavesNothing() throws IOException {
        Staged discarded = store.stage(bytes("gone"));
        store.discard(discarded);
        store.discard(discarded);
        store.stage(bytes("left by a crash"));
        store.removeStaged();
        assertTrue(store.blobs().isEmpty());
        assertThrows(IOException.class, () -> store.openStaged(discarded).close());
    }

    @Test
    void deleteRemovesOnlyThatBlob() throws IOException {
        store.promote(store.stage(bytes("a")), SHA_A);
        store.promote(store.stage(bytes("b")), SHA_B);
        store.delete(SHA_A);
        store.delete(SHA_A);
        assertEquals(Set.of(SHA_B), store.blobs());
    }

    @Test
    void chunksLandAtTheirOffsetsInAnyOrder() throws IOException {
        store.createUpload("JOB1");
        assertEquals(4, store.writeChunk("JOB1", 8, bytes("IJKL"), 4));
        assertEquals(4, store.writeChunk("JOB1", 0, bytes("ABCD"), 4));
        assertEquals(4, store.writeChunk("JOB1", 4, bytes("xxxx"), 4));
        assertEquals(4, store.writeChunk("JOB1", 4, bytes("EFGH"), 4)); // sent again: replaced
        assertEquals(Set.of("JOB1"), store.uploads());
        Staged staged = store.completeUpload("JOB1", 12);
        assertThrows(IOException.class, () -> store.writeChunk("JOB1", 0, bytes("late"), 4));
        try (InputStream in = store.openStaged(staged)) {
            assertEquals("ABCDEFGHIJKL", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        store.resumeUpload(staged, "JOB1");
        assertEquals(Set.of("JOB1"), store.uploads());
        store.promote(store.completeUpload("JOB1", 12), SHA_A);
        assertEquals("ABCDEFGHIJKL", read(SHA_A, 0, 12));
        assertTrue(store.uploads().isEmpty());
    }

    @Test
    void aChunkLongerThanAllowedFails() throws IOException {
        store.createUpload("JOB2");
        assertThrows(IOException.class, () -> store.writeChunk("JOB2", 0, bytes("too long"), 4));
        store.deleteUpload("JOB2");
        store.deleteUpload("JOB2");
        assertTrue(store.uploads().isEmpty());
    }

    @Test
    void largeContentStreams() throws IOException {
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 7);
        long total = 64L << 20;
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
                int n = (int) Math.min(len, left);
                System.arraycopy(block, 0, b, off, Math.min(n, block.length));
                left -= n;
                return n;
            }
        };
        Staged staged = store.stage(sixtyFourMiB);
        assertEquals(total, staged.length());
        store.promote(staged, SHA_B);
        try (InputStream in = store.open(SHA_B, total - 3, 3)) {
            assertArrayEquals(new byte[] {7, 7, 7}, in.readAllBytes());
        }
    }

    @Test
    void namesThatAreNotDigestsOrIdsNeverBecomePaths() {
        for (String hostile : new String[] {"../../etc/passwd", "a".repeat(63) + "/", "A".repeat(64), ""}) {
            assertThrows(IllegalArgumentException.class, () -> store.open(hostile, 0, 1), hostile);
            assertThrows(IllegalArgumentException.class, () -> store.delete(hostile), hostile);
        }
        assertThrows(IllegalArgumentException.class, () -> store.createUpload("../x"));
        assertThrows(IllegalArgumentException.class, () -> store.discard(new Staged("../../x", 0)));
    }
}
