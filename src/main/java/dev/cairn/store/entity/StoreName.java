package dev.cairn.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A name in the store: a namespace or an object. It keeps its kind after deletion. */
@Entity
@Table(schema = "cairn", name = "store_name")
@NamedQuery(name = StoreName.BY_PATH, query = "SELECT n FROM StoreName n WHERE n.path = :path")
@NamedQuery(
        name = StoreName.CHILDREN,
        query = "SELECT n FROM StoreName n WHERE n.parentId = :parent AND n.deleted = false ORDER BY n.path")
public class StoreName {

    public static final String BY_PATH = "StoreName.byPath";
    public static final String CHILDREN = "StoreName.children";

    public enum Kind {
        namespace,
        object
    }

    @Id
    private Long id;

    private String path;

    @Column(name = "parent_id")
    private Long parentId;

    private String kind;

    private boolean deleted;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @Column(name = "created_by")
    private String createdBy;

    protected StoreName() {}

    public Long id() {
        return id;
    }

    public String path() {
        return path;
    }

    public Long parentId() {
        return parentId;
    }

    public Kind kind() {
        return Kind.valueOf(kind);
    }

    public boolean deleted() {
        return deleted;
    }

    public void deleted(boolean deleted) {
        this.deleted = deleted;
    }

    public String createdBy() {
        return createdBy;
    }

    public void createdBy(String createdBy) {
        this.createdBy = createdBy;
    }

    public boolean is(Kind kind) {
        return kind.name().equals(this.kind);
    }
}
