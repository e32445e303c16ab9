package dev.cairn;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a starting Cairn. Payara reports {@code /health} UP a moment before it routes
 * requests to the application (it answers 503 in between), so ready means both.
 */
public final class Ready {

    private Ready() {
    }

    public static void await(Http http, Duration timeout) throws InterruptedException {
        await(http, timeout, () -> true);
    }

    /** Waits until ready; {@code alive} is checked on every round, so a dead server fails fast. */
    public static void await(Http http, Duration timeout, BooleanSupplier alive) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                throw new AssertionError("the server exited while starting; last answer: " + last);
            }
            try {
                Http.Reply health = http.get("/health");
                last = health.toString();
                if (health.status() == 200 && http.get("/api/catalogs").status() == 200) {
                    return;
                }
            } catch (IllegalStateException notListening) {
                last = notListening.getMessage();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not ready within " + timeout + "; last answer: " + last);
    }
}
