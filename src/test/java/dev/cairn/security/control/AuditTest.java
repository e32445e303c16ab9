package dev.cairn.security.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The audit chain's hash covers every field and the link to the entry before. */
class AuditTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static byte[] entry(byte[] previous, String client, String target, int outcome, String snaptime) {
        return new Audit.Content(AT, client, "127.0.0.1", "urn:uuid:x", "PUT", target, outcome, snaptime)
                .hash(previous, 7);
    }

    @Test
    void theHashIsDeterministicAndChangesWithAnyField() {
        byte[] zero = new byte[32];
        byte[] base = entry(zero, "user:a", "/hatrac/x", 201, null);
        assertArrayEquals(base, entry(zero, "user:a", "/hatrac/x", 201, null));
        byte[] other = new byte[32];
        other[0] = 1;
        for (byte[] changed : new byte[][] {
            entry(other, "user:a", "/hatrac/x", 201, null),
            entry(zero, "user:b", "/hatrac/x", 201, null),
            entry(zero, "user:a", "/hatrac/y", 201, null),
            entry(zero, "user:a", "/hatrac/x", 403, null),
            entry(zero, "user:a", "/hatrac/x", 201, "2TA"),
            entry(zero, null, "/hatrac/x", 201, null),
            entry(zero, "", "/hatrac/x", 201, null)
        }) {
            assertFalse(Arrays.equals(base, changed));
        }
        // fields are length-prefixed: moving text between two fields is a different entry
        assertFalse(Arrays.equals(
                new Audit.Content(AT, "ab", "c", "r", "GET", "/", 200, null).hash(zero, 1),
                new Audit.Content(AT, "a", "bc", "r", "GET", "/", 200, null).hash(zero, 1)));
    }
}
