package dev.cairn.security.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A group of users; ACLs name it as {@code group:<name>}. */
@Entity
@Table(schema = "cairn", name = "user_group")
@NamedQuery(name = Group.ALL, query = "SELECT g FROM Group g ORDER BY g.name")
public class Group {

    public static final String ALL = "Group.all";
    /** Prefix of a group's attribute id. */
    public static final String ID_PREFIX = "group:";

    @Id
    private String name;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    protected Group() {}

    public Group(String name, String displayName) {
        this.name = name;
        this.displayName = displayName;
        this.createdAt = OffsetDateTime.now();
    }

    public String name() {
        return name;
    }

    public String id() {
        return ID_PREFIX + name;
    }

    public String displayName() {
        return displayName;
    }

    public void displayName(String displayName) {
        this.displayName = displayName;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }
}
