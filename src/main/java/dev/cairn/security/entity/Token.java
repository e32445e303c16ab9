package dev.cairn.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A personal API token: only the SHA-256 of its secret is kept. */
@Entity
@Table(schema = "cairn", name = "api_token")
@NamedQuery(
        name = Token.OF_USER,
        query = "SELECT t FROM Token t WHERE t.username = :username ORDER BY t.createdAt, t.id")
@NamedQuery(name = Token.BY_SECRET, query = "SELECT t FROM Token t WHERE t.secretSha256 = :secret")
public class Token {

    public static final String OF_USER = "Token.ofUser";
    public static final String BY_SECRET = "Token.bySecret";

    @Id
    private String id;

    private String username;

    private String name;

    @Column(name = "secret_sha256")
    private byte[] secretSha256;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    /** Catalog ids, comma-separated, or null for every catalog. */
    private String catalogs;

    @Column(name = "read_only")
    private boolean readOnly;

    @Column(name = "last_used_at")
    private OffsetDateTime lastUsedAt;

    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected Token() {}

    public Token(
            String id,
            String username,
            String name,
            byte[] secretSha256,
            OffsetDateTime expiresAt,
            String catalogs,
            boolean readOnly) {
        this.id = id;
        this.username = username;
        this.name = name;
        this.secretSha256 = secretSha256;
        this.createdAt = OffsetDateTime.now();
        this.expiresAt = expiresAt;
        this.catalogs = catalogs;
        this.readOnly = readOnly;
    }

    public String id() {
        return id;
    }

    public String username() {
        return username;
    }

    public String name() {
        return name;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public OffsetDateTime expiresAt() {
        return expiresAt;
    }

    public String catalogs() {
        return catalogs;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public OffsetDateTime lastUsedAt() {
        return lastUsedAt;
    }

    public OffsetDateTime revokedAt() {
        return revokedAt;
    }

    public void revoke() {
        if (revokedAt == null) {
            revokedAt = OffsetDateTime.now();
        }
    }
}
