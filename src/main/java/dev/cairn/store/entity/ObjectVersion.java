package dev.cairn.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An immutable version of an object. */
@Entity
@Table(schema = "cairn", name = "store_version")
@NamedQuery(
        name = ObjectVersion.OF_NAME,
        query = "SELECT v FROM ObjectVersion v WHERE v.nameId = :name ORDER BY v.id DESC")
@NamedQuery(
        name = ObjectVersion.BY_VERSION,
        query = "SELECT v FROM ObjectVersion v WHERE v.nameId = :name AND v.version = :version")
@NamedQuery(
        name = ObjectVersion.COUNT_OF_BLOB,
        query = "SELECT COUNT(v) FROM ObjectVersion v WHERE v.blob.sha256 = :sha256")
public class ObjectVersion {

    public static final String OF_NAME = "ObjectVersion.ofName";
    public static final String BY_VERSION = "ObjectVersion.byVersion";
    public static final String COUNT_OF_BLOB = "ObjectVersion.countOfBlob";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "name_id")
    private Long nameId;

    private String version;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "sha256")
    private Blob blob;

    @Column(name = "content_type")
    private String contentType;

    @Column(name = "content_disposition")
    private String contentDisposition;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "renamed_to")
    private Long renamedTo;

    protected ObjectVersion() {}

    public ObjectVersion(
            Long nameId, String version, Blob blob, String contentType, String contentDisposition, String createdBy) {
        this.nameId = nameId;
        this.version = version;
        this.blob = blob;
        this.contentType = contentType;
        this.contentDisposition = contentDisposition;
        this.createdBy = createdBy;
        this.createdAt = OffsetDateTime.now();
    }

    /** The object this version was renamed to (the same version id there), or null. */
    public Long renamedTo() {
        return renamedTo;
    }

    public void renamedTo(Long objectId) {
        this.renamedTo = objectId;
    }

    public Long nameId() {
        return nameId;
    }

    public String version() {
        return version;
    }

    public Blob blob() {
        return blob;
    }

    public String contentType() {
        return contentType;
    }

    public String contentDisposition() {
        return contentDisposition;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }
}
