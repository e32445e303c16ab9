package dev.cairn.store.control;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.EntityTags;
import java.util.Optional;

/** {@code If-Match} and {@code If-None-Match} of a write, checked against an object's current version. */
public record Preconditions(String ifMatch, String ifNoneMatch) {

    public static final Preconditions NONE = new Preconditions(null, null);

    /** Throws 412 unless the object's current version (empty if none) satisfies the request. */
    public void check(Optional<VersionInfo> current) {
        if (ifMatch != null && !matches(ifMatch, current)) {
            throw new CairnException.PreconditionFailed("If-Match " + ifMatch + " does not match the current version"
                    + current.map(v -> " " + v.etag()).orElse(": there is none") + ".");
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, current)) {
            throw new CairnException.PreconditionFailed("If-None-Match " + ifNoneMatch + " matches the current version"
                    + current.map(v -> " " + v.etag()).orElse("") + ".");
        }
    }

    /** True when an entity-tag list ({@code *} or comma-separated tags) names the current version. */
    public static boolean matches(String tags, Optional<VersionInfo> current) {
        if (current.isEmpty()) {
            return false;
        }
        return EntityTags.matches(tags, current.get().etag());
    }
}
