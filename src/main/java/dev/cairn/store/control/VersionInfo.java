package dev.cairn.store.control;

import dev.cairn.store.entity.ObjectVersion;

/** What a reader needs of one object version: where it is, what it is, and how to check it. */
public record VersionInfo(
        String name,
        String version,
        String sha256,
        String md5,
        long length,
        String contentType,
        String contentDisposition) {

    static VersionInfo of(String name, ObjectVersion v) {
        return new VersionInfo(
                name,
                v.version(),
                v.blob().sha256(),
                v.blob().md5(),
                v.blob().length(),
                v.contentType(),
                v.contentDisposition());
    }

    public String url() {
        return HatracPath.url(name, version);
    }

    /** Strong entity tag: a version never changes. */
    public String etag() {
        return '"' + version + '"';
    }
}
