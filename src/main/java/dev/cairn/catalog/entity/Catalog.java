package dev.cairn.catalog.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A catalog's registry row; its data lives in the database named by {@link #databaseName()}. */
@Entity
@Table(schema = "cairn", name = "catalog")
@NamedQuery(name = Catalog.ALL, query = "SELECT c FROM Catalog c ORDER BY c.id")
@NamedQuery(
        name = Catalog.NAMED,
        query = "SELECT c FROM Catalog c WHERE c.name = :name AND c.status = :status ORDER BY c.id")
@NamedQuery(name = Catalog.WITH_STATUS, query = "SELECT c FROM Catalog c WHERE c.status = :status ORDER BY c.id")
public class Catalog {

    public static final String ALL = "Catalog.all";
    public static final String WITH_STATUS = "Catalog.withStatus";
    public static final String NAMED = "Catalog.named";

    public enum Status {
        creating,
        ready,
        deleting
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    private String description;

    @Column(name = "domain_schema")
    private String domainSchema;

    private String status;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @Column(name = "created_by")
    private String createdBy;

    protected Catalog() {}

    public Catalog(String name, String description, String domainSchema, String createdBy) {
        this.name = name;
        this.description = description;
        this.domainSchema = domainSchema;
        this.createdBy = createdBy;
        this.status = Status.creating.name();
        this.createdAt = OffsetDateTime.now();
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public String domainSchema() {
        return domainSchema;
    }

    public Status status() {
        return Status.valueOf(status);
    }

    public void status(Status status) {
        this.status = status.name();
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public String createdBy() {
        return createdBy;
    }

    public String databaseName() {
        return databaseName(id);
    }

    public static String databaseName(long id) {
        return "cairn_catalog_" + id;
    }
}
