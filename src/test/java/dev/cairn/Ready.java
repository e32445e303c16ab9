package dev.cairn;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a starting Cairn, and checking readiness's promise: once {@code /health} is UP, the
 * API answers (Payara itself reports its health before it routes requests to Cairn; readiness
 * must wait for the routes).
 */
public final class Ready {

    private Ready() {}

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
                if (health.status() == 200) {
                    Http.Reply api = http.get("/api/catalogs");
                    if (api.status() != 200) {
                        throw new AssertionError("/health was UP but the API answered " + api);
                    }
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
