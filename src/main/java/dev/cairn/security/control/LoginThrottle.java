package dev.cairn.security.control;

import dev.cairn.platform.CairnException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits password attempts: at most {@value #MAX_FAILURES} failed attempts per user, and
 * {@value #MAX_ADDRESS_FAILURES} per address (many users may share one), in any {@link #WINDOW};
 * beyond that the user or address is refused with 429 until the oldest failure leaves the window.
 * Successes do not count. Kept in memory: a restart forgets it.
 */
@ApplicationScoped
public class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final int MAX_ADDRESS_FAILURES = 50;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /** Refuses with 429 when the user or the address has failed too often. */
    public void check(String username, String address) {
        Instant now = Instant.now();
        long wait = Math.max(
                waitSeconds("user:" + username, now, MAX_FAILURES),
                waitSeconds("address:" + address, now, MAX_ADDRESS_FAILURES));
        if (wait > 0) {
            throw new CairnException.TooManyRequests(
                    "Too many failed logins for this user or from this address; " + "try again in " + wait + " s.",
                    wait);
        }
    }

    public void failed(String username, String address) {
        Instant now = Instant.now();
        if (failures.size() > MAX_KEYS) {
            failures.entrySet().removeIf(e -> pruned(e.getValue(), now).isEmpty());
        }
        record("user:" + username, now);
        record("address:" + address, now);
    }

    private void record(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            pruned(times, now).addLast(now);
        }
    }

    private long waitSeconds(String key, Instant now, int max) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            pruned(times, now);
            if (times.size() < max) {
                return 0;
            }
            return Math.max(
                    1, Duration.between(now, times.peekFirst().plus(WINDOW)).toSeconds());
        }
    }

    private static Deque<Instant> pruned(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(WINDOW))) {
            times.removeFirst();
        }
        return times;
    }
}
