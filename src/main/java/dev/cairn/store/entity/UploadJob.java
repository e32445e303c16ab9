package dev.cairn.store.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A chunked upload job: the shape of the content and the metadata of the version it will create. */
@Entity
@Table(schema = "cairn", name = "store_upload_job")
@NamedQuery(name = UploadJob.OF_PATH, query = "SELECT j FROM UploadJob j WHERE j.path = :path ORDER BY j.createdAt")
@NamedQuery(name = UploadJob.EXPIRED, query = "SELECT j FROM UploadJob j WHERE j.expiresAt < :now")
public class UploadJob {

    public static final String OF_PATH = "UploadJob.ofPath";
    public static final String EXPIRED = "UploadJob.expired";

    @Id
    private String id;

    private String path;

    @Column(name = "chunk_length")
    private long chunkLength;

    @Column(name = "content_length")
    private long contentLength;

    @Column(name = "content_type")
    private String contentType;

    @Column(name = "content_md5")
    private String contentMd5;

    @Column(name = "content_sha256")
    private String contentSha256;

    @Column(name = "content_disposition")
    private String contentDisposition;

    private boolean parents;

    @Column(name = "created_at")
    private OffsetDateTime createdAt;

    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "backend_token")
    private String backendToken = "";

    @Column(name = "assembled_md5")
    private String assembledMd5;

    @Column(name = "assembled_sha256")
    private String assembledSha256;

    protected UploadJob() {}

    public UploadJob(
            String id,
            String path,
            long chunkLength,
            long contentLength,
            String contentType,
            String contentMd5,
            String contentSha256,
            String contentDisposition,
            boolean parents,
            OffsetDateTime expiresAt,
            String createdBy) {
        this.id = id;
        this.path = path;
        this.chunkLength = chunkLength;
        this.contentLength = contentLength;
        this.contentType = contentType;
        this.contentMd5 = contentMd5;
        this.contentSha256 = contentSha256;
        this.contentDisposition = contentDisposition;
        this.parents = parents;
        this.createdAt = OffsetDateTime.now();
        this.expiresAt = expiresAt;
        this.createdBy = createdBy;
    }

    /** What the blob store needs to find the job's chunks (see {@code BlobStore.Upload}). */
    public String backendToken() {
        return backendToken;
    }

    public void backendToken(String token) {
        this.backendToken = token;
    }

    /** True once the chunks were assembled and checked: the job is finished from that content. */
    public boolean assembled() {
        return assembledMd5 != null;
    }

    public String assembledMd5() {
        return assembledMd5;
    }

    public String assembledSha256() {
        return assembledSha256;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public long chunkLength() {
        return chunkLength;
    }

    public long contentLength() {
        return contentLength;
    }

    /** Number of chunks: the last may be shorter; empty content has none. */
    public int chunkCount() {
        return (int) ((contentLength + chunkLength - 1) / chunkLength);
    }

    /** The exact length chunk {@code n} must have. */
    public long lengthOfChunk(int n) {
        return Math.min(chunkLength, contentLength - (long) n * chunkLength);
    }

    public String contentType() {
        return contentType;
    }

    public String contentMd5() {
        return contentMd5;
    }

    public String contentSha256() {
        return contentSha256;
    }

    public String contentDisposition() {
        return contentDisposition;
    }

    public boolean parents() {
        return parents;
    }

    public OffsetDateTime createdAt() {
        return createdAt;
    }

    public OffsetDateTime expiresAt() {
        return expiresAt;
    }

    public void expiresAt(OffsetDateTime expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String createdBy() {
        return createdBy;
    }
}
