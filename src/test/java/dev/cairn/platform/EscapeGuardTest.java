package dev.cairn.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class EscapeGuardTest {

    @Test
    void aPercentSignNeedsTwoHexDigits() {
        for (String bad : new String[] {"/a%zz", "/a%2", "/a%", "/%G1/x", "/a%2/b", "/a%%41"}) {
            assertTrue(EscapeGuard.malformed(bad), bad);
        }
        for (String good : new String[] {"/a%41", "/a%5Cb", "/a%5cb", "/", "/plain/path", "/%E2%82%AC", "/a%25"}) {
            assertFalse(EscapeGuard.malformed(good), good);
        }
    }

    @Test
    void aClientThatLeftIsNotAnError() {
        assertTrue(ClientAborts.gone(new RuntimeException(new IOException("Connection closed"))));
        assertTrue(ClientAborts.gone(new UncheckedIOException(new IOException("Connection reset by peer"))));
        assertTrue(ClientAborts.gone(new IOException("Broken pipe")));
        assertFalse(ClientAborts.gone(new IOException("No space left on device")));
        assertFalse(ClientAborts.gone(new IllegalStateException("a bug")));
    }
}
