package dev.cairn.store.spi;

import java.util.Optional;

/**
 * What other components know of the store's objects: rows that point at them. The catalog's asset
 * rows do, and make their objects readable to whoever may read the row and undeletable while the
 * row is there. Implemented outside the store (which knows no catalog); absent, nothing refers.
 */
public interface ObjectReferences {

    /**
     * True when the request's caller may read a row that refers to this object (to this version,
     * or with {@code version} null to any version of it).
     */
    boolean readableThroughRow(String name, String version);

    /**
     * A committed row that refers to the object's {@code version} (null: to any version), or with
     * {@code below} to anything under the namespace {@code name}; empty when none does.
     */
    Optional<String> referrer(String name, String version, boolean below);
}
