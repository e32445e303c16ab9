package dev.cairn.store.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.CairnException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestsTest {

    // md5 and sha256 of "hello world\n", as md5sum and sha256sum print them
    private static final String MD5 = "6f5902ac237024bdd0c176cb93063dc4";
    private static final String SHA256 = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

    @Test
    void acceptsBase64AndHex() {
        assertEquals(MD5, Digests.md5("Content-MD5", "b1kCrCNwJL3QwXbLkwY9xA==").orElseThrow());
        assertEquals(MD5, Digests.md5("Content-MD5", MD5.toUpperCase()).orElseThrow());
        assertEquals(
                SHA256,
                Digests.sha256("Content-SHA256", "qUiQTy8PR5uPgZdpSzAYSw0u0cHNKh7A+4XSmaGSpEc=")
                        .orElseThrow());
        assertTrue(Digests.md5("Content-MD5", null).isEmpty());
        assertEquals("b1kCrCNwJL3QwXbLkwY9xA==", Digests.base64(MD5));
    }

    @Test
    void refusesWhatIsNotADigestOfTheRightSize() {
        assertThrows(
                CairnException.BadRequest.class,
                () -> Digests.md5("Content-MD5", "qUiQTy8PR5uPgZdpSzAYSw0u0cHNKh7A+4XSmaGSpEc="));
        assertThrows(CairnException.BadRequest.class, () -> Digests.md5("Content-MD5", "not base64!"));
        assertThrows(CairnException.BadRequest.class, () -> Digests.sha256("Content-SHA256", MD5));
    }

    @Test
    void skippedBytesAreDigestedToo() throws IOException {
        try (var in = new Digests.DigestingStream(
                new ByteArrayInputStream("hello world\n".getBytes(StandardCharsets.UTF_8)), Runnable::run)) {
            assertEquals(6, in.skip(6));
            in.transferTo(OutputStream.nullOutputStream());
            assertEquals(MD5, in.md5());
            assertEquals(SHA256, in.sha256());
        }
    }

    @Test
    void digestingStreamComputesBothAndCounts() throws IOException {
        try (var in = new Digests.DigestingStream(
                new ByteArrayInputStream("hello world\n".getBytes(StandardCharsets.UTF_8)))) {
            in.transferTo(OutputStream.nullOutputStream());
            assertEquals(MD5, in.md5());
            assertEquals(SHA256, in.sha256());
            assertEquals(12, in.length());
        }
    }
}
