package dev.cairn.store.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Content held once per distinct SHA-256, with its MD5 and length. */
@Entity
@Table(schema = "cairn", name = "store_blob")
public class Blob {

    @Id
    private String sha256;

    private String md5;

    private long length;

    protected Blob() {}

    public String sha256() {
        return sha256;
    }

    public String md5() {
        return md5;
    }

    public long length() {
        return length;
    }
}
