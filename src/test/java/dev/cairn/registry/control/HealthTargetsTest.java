package dev.cairn.registry.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HealthTargetsTest {

    @Test
    void onlyPublicAddressesByDefault() {
        HealthTargets none = HealthTargets.of("");
        for (String host : new String[] {
            "127.0.0.1",
            "127.8.9.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "[::1]",
            "[fd00::1]",
            "[fe80::1]",
            "[::ffff:127.0.0.1]",
            "localhost"
        }) {
            assertFalse(none.allowed(URI.create("http://" + host + ":5432/health")), host);
        }
        assertTrue(none.allowed(URI.create("https://93.184.216.34/health")));
        assertTrue(none.allowed(URI.create("http://[2606:4700::1]/health")));
        assertFalse(none.allowed(URI.create("ftp://93.184.216.34/health")), "http and https only");
        assertFalse(none.allowed(URI.create("http://no-such-host.invalid/health")), "a name that does not resolve");
    }

    @Test
    void anOperatorAllowsBlocks() {
        HealthTargets some = HealthTargets.of(" 10.20.0.0/16, 127.0.0.1 ,fd00::/8");
        assertTrue(some.allowed(URI.create("http://10.20.5.6/health")));
        assertFalse(some.allowed(URI.create("http://10.21.5.6/health")));
        assertTrue(some.allowed(URI.create("http://127.0.0.1:8080/health")));
        assertFalse(some.allowed(URI.create("http://127.0.0.2:8080/health")));
        assertTrue(some.allowed(URI.create("http://[fd12::3]/health")));
        assertThrows(IllegalStateException.class, () -> HealthTargets.of("10.0.0.0/33"));
        assertThrows(IllegalStateException.class, () -> HealthTargets.of("example.org"), "names are not blocks");
        assertThrows(IllegalStateException.class, () -> HealthTargets.of("10.0.0.0/x"));
    }
}
