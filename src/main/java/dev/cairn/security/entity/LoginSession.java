package dev.cairn.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A webauthn-style login session, found by the SHA-256 of its cookie. */
@Entity
@Table(schema = "cairn", name = "login_session")
public class LoginSession {

    @Id
    @Column(name = "secret_sha256")
    private byte[] secretSha256;

    private String username;

    private OffsetDateTime since;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    protected LoginSession() {}

    public LoginSession(byte[] secretSha256, String username, OffsetDateTime expiresAt) {
        this.secretSha256 = secretSha256;
        this.username = username;
        this.since = OffsetDateTime.now();
        this.expiresAt = expiresAt;
    }

    public String username() {
        return username;
    }

    public OffsetDateTime since() {
        return since;
    }

    public OffsetDateTime expiresAt() {
        return expiresAt;
    }

    public void extendTo(OffsetDateTime expiresAt) {
        this.expiresAt = expiresAt;
    }
}
