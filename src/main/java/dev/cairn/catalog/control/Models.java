package dev.cairn.catalog.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.cairn.platform.RequestClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Each catalog's model, read once and kept for resolving data paths. Whatever changes a catalog's
 * model through Cairn must {@link #invalidate} it.
 */
@ApplicationScoped
public class Models {

    @Inject
    CatalogDatabases databases;

    private final Map<Long, ModelIndex> indexes = new ConcurrentHashMap<>();

    public ModelIndex index(long catalogId) {
        return indexes.computeIfAbsent(catalogId,
                id -> new ModelIndex(databases.transaction(id, RequestClient.ANONYMOUS, ModelReader::read)));
    }

    public void invalidate(long catalogId) {
        indexes.remove(catalogId);
    }
}
