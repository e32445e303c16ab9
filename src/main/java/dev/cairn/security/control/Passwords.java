package dev.cairn.security.control;

import dev.cairn.platform.CairnException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;
import java.util.Map;

/**
 * Password hashing with Jakarta Security's {@link Pbkdf2PasswordHash}: PBKDF2 with HMAC-SHA-256,
 * 210,000 iterations (OWASP's figure for it), a 32-byte salt and key. Verification is constant-time;
 * an unknown user is checked against a dummy hash so that timing does not tell which users exist.
 */
@ApplicationScoped
public class Passwords {

    /** Shortest password accepted. */
    public static final int MIN_LENGTH = 10;

    @Inject
    Pbkdf2PasswordHash hash;

    private String dummy;

    @PostConstruct
    void configure() {
        hash.initialize(Map.of(
                "Pbkdf2PasswordHash.Algorithm", "PBKDF2WithHmacSHA256",
                "Pbkdf2PasswordHash.Iterations", "210000",
                "Pbkdf2PasswordHash.SaltSizeBytes", "32",
                "Pbkdf2PasswordHash.KeySizeBytes", "32"));
        dummy = hash.generate("not a password of anyone".toCharArray());
    }

    public String hash(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > 1024) {
            throw new CairnException.BadRequest("A password has between " + MIN_LENGTH + " and 1024 characters.");
        }
        return hash.generate(password.toCharArray());
    }

    /** True when the password matches; {@code stored} may be null (no password: always false, same time). */
    public boolean verify(String password, String stored) {
        boolean match = hash.verify(password.toCharArray(), stored == null ? dummy : stored);
        return stored != null && match;
    }
}
