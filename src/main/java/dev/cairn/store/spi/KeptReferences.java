package dev.cairn.store.spi;

import java.util.List;
import java.util.Set;

/**
 * Which content kept in the store's staging area (by {@code ObjectStore.keep}) rows still refer
 * to: an execution's staged files. Implemented by the component that keeps it; the store's sweep
 * removes kept content older than its grace period that no implementation claims, such as a file
 * whose row was never written because its node died.
 */
public interface KeptReferences {

    /**
     * Those of the staged ids that a row refers to; when it cannot tell (a database is down), all
     * of them.
     */
    Set<String> referenced(List<String> ids);
}
