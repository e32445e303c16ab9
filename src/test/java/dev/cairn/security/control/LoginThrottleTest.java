package dev.cairn.security.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.CairnException;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    @Test
    void aUserIsThrottledAfterFiveFailuresWhateverTheAddress() {
        LoginThrottle throttle = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
            throttle.check("alice", "10.0.0." + i);
            throttle.failed("alice", "10.0.0." + i);
        }
        CairnException.TooManyRequests refused =
                assertThrows(CairnException.TooManyRequests.class, () -> throttle.check("alice", "10.9.9.9"));
        assertTrue(refused.retryAfterSeconds() > 0 && refused.retryAfterSeconds() <= LoginThrottle.WINDOW.toSeconds());
        assertDoesNotThrow(() -> throttle.check("bob", "10.0.0.1"), "others on those addresses may still log in");
    }

    @Test
    void anAddressIsThrottledAfterManyFailuresAcrossUsers() {
        LoginThrottle throttle = new LoginThrottle();
        for (int i = 0; i < LoginThrottle.MAX_ADDRESS_FAILURES; i++) {
            throttle.failed("user" + i, "192.0.2.1");
        }
        assertThrows(CairnException.TooManyRequests.class, () -> throttle.check("fresh", "192.0.2.1"));
        assertDoesNotThrow(() -> throttle.check("fresh", "192.0.2.2"));
    }
}
