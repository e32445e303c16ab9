package dev.cairn.security.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.TreeSet;

/** A user: a login name, an optional password hash, and the groups it belongs to. */
@Entity
@Table(schema = "cairn", name = "app_user")
@NamedQuery(name = User.ALL, query = "SELECT u FROM User u ORDER BY u.username")
@NamedQuery(name = User.COUNT, query = "SELECT COUNT(u) FROM User u")
public class User {

    public static final String ALL = "User.all";
    public static final String COUNT = "User.count";
    /** Prefix of a user's client id. */
    public static final String ID_PREFIX = "user:";

    @Id
    private String username;

    @Column(name = "password_hash")
    private String passwordHash;

    @Column(name = "display_name")
    private String displayName;

    private String email;

    private boolean disabled;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(schema = "cairn", name = "user_membership", joinColumns = @JoinColumn(name = "username"))
    @Column(name = "group_name")
    private Set<String> groups = new TreeSet<>();

    protected User() {}

    public User(String username) {
        this.username = username;
        this.createdAt = OffsetDateTime.now();
    }

    public String username() {
        return username;
    }

    /** The client id ERMrest's RCB and RMB record and ACLs name. */
    public String clientId() {
        return ID_PREFIX + username;
    }

    public String passwordHash() {
        return passwordHash;
    }

    public void passwordHash(String hash) {
        this.passwordHash = hash;
    }

    public String displayName() {
        return displayName;
    }

    public void displayName(String displayName) {
        this.displayName = displayName;
    }

    public String email() {
        return email;
    }

    public void email(String email) {
        this.email = email;
    }

    public boolean disabled() {
        return disabled;
    }

    public void disabled(boolean disabled) {
        this.disabled = disabled;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    /** Group names (without the {@code group:} prefix). */
    public Set<String> groups() {
        return groups;
    }
}
