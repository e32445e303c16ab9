package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy that reads on the caller's thread while another writes: bytes, limits and whose fault a failure is. */
class DurableFilesTest {

    @TempDir
    Path folder;

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void copiesSmallAndLargeContentExactly() throws IOException {
        for (int length : new int[] {0, 10, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 20 * (1 << 20) + 12345}) {
            byte[] content = random(length);
            Path file = folder.resolve("f" + length);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                assertEquals(length, DurableFiles.copy(new ByteArrayInputStream(content), out, Long.MAX_VALUE));
            }
            assertArrayEquals(content, Files.readAllBytes(file), "length " + length);
        }
    }

    @Test
    void moreThanTheLimitIsTheClientsFault() throws IOException {
        try (FileChannel out =
                FileChannel.open(folder.resolve("big"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            IOException e = assertThrows(
                    IOException.class,
                    () -> DurableFiles.copy(new ByteArrayInputStream(random(5 << 20)), out, 3 << 20));
            assertFalse(e instanceof DurableFiles.WriteFailed);
        }
    }

    @Test
    void aFullDiskIsTheServersFault() throws IOException {
        // /dev/full refuses every write with ENOSPC
        for (int length : new int[] {10, 12 << 20}) {
            try (FileChannel out = FileChannel.open(Path.of("/dev/full"), StandardOpenOption.WRITE)) {
                assertThrows(
                        DurableFiles.WriteFailed.class,
                        () -> DurableFiles.copy(new ByteArrayInputStream(random(length)), out, Long.MAX_VALUE),
                        "length " + length);
            }
        }
    }
}
